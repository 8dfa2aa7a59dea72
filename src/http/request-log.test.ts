import { describe, expect, it } from 'vitest';
import { createServer, jsonSchema } from '../index.ts';
import { createMcpApp } from './app.ts';
import { formatRequestLog } from './request-log.ts';
import type { RequestLogEntry } from './request-log.ts';

let release: () => void = () => {};

function app(log: false | ((entry: RequestLogEntry) => void)) {
  const server = createServer({ name: 'logged', version: '1' });
  const text = jsonSchema<{ text: string }>({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
  server.registerTool('echo', { inputSchema: text }, ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('steps', {}, async (_args, ctx) => {
    ctx.progress(1, 2);
    await new Promise<void>((resolve) => (release = resolve));
    return { content: [{ type: 'text', text: 'done' }] };
  });
  return createMcpApp(server, { log });
}

const call = (name: string, args: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
  new Request('http://localhost/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name, arguments: args, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, ...meta } },
    }),
  });

describe('request log', () => {
  it('gives one entry per request to a logger function: method, name, status, body kind; never arguments', async () => {
    const entries: RequestLogEntry[] = [];
    const response = await app((entry) => entries.push(entry)).fetch(call('echo', { text: 'secret words' }));
    await response.text();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ method: 'tools/call', name: 'echo', protocolVersion: '2026-07-28', status: 200, body: 'json' });
    expect(JSON.stringify(entries)).not.toContain('secret words');
    expect(formatRequestLog(entries[0]!)).toMatch(/^mcp 2026-07-28 tools\/call echo 200 json [\d.]+ms$/);
  });

  it('logs a streamed call once its stream has ended, not when it started', async () => {
    const entries: RequestLogEntry[] = [];
    const response = await app((entry) => entries.push(entry)).fetch(call('steps', {}, { progressToken: 'p' }));
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(entries).toHaveLength(0);
    release();
    await response.text();
    await expect.poll(() => entries.length).toBe(1);
    expect(entries[0]).toMatchObject({ name: 'steps', body: 'sse', status: 200 });
  });

  it('names the JSON-RPC error a request was answered with', async () => {
    const entries: RequestLogEntry[] = [];
    const response = await app((entry) => entries.push(entry)).fetch(call('missing', {}));
    await response.text();
    expect(entries[0]?.errorCode).toBeTypeOf('number');
    expect(formatRequestLog(entries[0]!)).toMatch(/ error -?\d+$/);
  });

  it('keeps nothing with log: false, and a logger that throws does not fail the request', async () => {
    const quiet = await app(false).fetch(call('echo', { text: 'a' }));
    expect(quiet.status).toBe(200);
    const throwing = await app(() => {
      throw new Error('logger down');
    }).fetch(call('echo', { text: 'b' }));
    expect(throwing.status).toBe(200);
    expect(await throwing.text()).toContain('"b"');
  });
});
