// Raw 2026-07-28 POSTs with the standard headers and `_meta`, for tests that check exact wire
// behaviour; and an incremental reader for SSE / JSON Lines bodies.
import { request } from 'node:http';
import { createRecorder } from './recording-fetch.ts';

export const MODERN = '2026-07-28';

/** Every raw exchange goes through this recorder, so suites can check each server message against its schema. */
export const wire = createRecorder();
export const ACCEPT = 'application/json, text/event-stream';

export interface PostOptions {
  id?: string | number | null;
  params?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  capabilities?: Record<string, unknown>;
  /** Header overrides; a null value removes the header. */
  headers?: Record<string, string | null>;
  body?: string;
  signal?: AbortSignal;
}

export function modernRequest(method: string, options: PostOptions = {}) {
  const params = {
    ...options.params,
    _meta: {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientCapabilities': options.capabilities ?? {},
      ...options.meta,
    },
  };
  const message: Record<string, unknown> = { jsonrpc: '2.0', method, params };
  if (options.id !== null) message.id = options.id ?? 1;
  const name = (options.params?.name ?? options.params?.uri) as string | undefined;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: ACCEPT,
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
  };
  if (name !== undefined && ['tools/call', 'prompts/get', 'resources/read'].includes(method)) headers['mcp-name'] = name;
  for (const [key, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[key];
    else headers[key] = value;
  }
  return { headers, body: options.body ?? JSON.stringify(message) };
}

export function post(url: string, method: string, options: PostOptions = {}): Promise<Response> {
  const { headers, body } = modernRequest(method, options);
  return wire.fetch(url, { method: 'POST', headers, body, signal: options.signal });
}

export function postRaw(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return wire.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Yields each JSON-RPC message of an SSE or JSON Lines body as it arrives. */
export async function* readMessages(response: Response): AsyncGenerator<Record<string, any>> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const jsonl = ['application/jsonl', 'application/json-lines', 'application/x-ndjson'].includes(type);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    const separator = jsonl ? '\n' : '\n\n';
    let end: number;
    while ((end = buffer.indexOf(separator)) !== -1) {
      const chunk = buffer.slice(0, end);
      buffer = buffer.slice(end + separator.length);
      if (jsonl) {
        if (chunk.trim()) yield JSON.parse(chunk);
        continue;
      }
      const data = chunk.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
      if (data) yield JSON.parse(data);
    }
  }
}

/** POSTs with an explicit Host header (fetch will not send one), to see DNS-rebinding refusals. */
export function postWithHost(url: string, host: string, method: string): Promise<{ status: number; body: string }> {
  const { headers, body } = modernRequest(method);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, host } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}
