// A bare node:http client for the harness's own requests (cold-start polling, streaming timing),
// so nothing between the socket and the clock buffers or batches.
import { Agent, request } from 'node:http';
import type { HttpRequestSpec } from './requests.ts';

export interface Reply {
  status: number;
  body: string;
}

export function post(port: number, spec: HttpRequestSpec, agent: Agent | false = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { ...spec.headers, 'content-length': Buffer.byteLength(spec.body) }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(spec.body);
  });
}

export const keepAliveAgent = () => new Agent({ keepAlive: true, maxSockets: 1 });
