// Transport checks that come before any JSON-RPC parsing: Origin/Host, Content-Type, Accept, body
// size. Each returns a Response to send, or a value to go on with.
import { ErrorCode } from '../protocol/jsonrpc.ts';
import type { JsonRpcId } from '../protocol/jsonrpc.ts';

export function jsonRpcErrorResponse(status: number, code: number, message: string, id?: JsonRpcId, data?: unknown, headers?: HeadersInit): Response {
  const error = data === undefined ? { code, message } : { code, message, data };
  const body = id === undefined ? { jsonrpc: '2.0', error } : { jsonrpc: '2.0', id, error };
  const response = Response.json(body, { status, headers });
  return response;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(hostnameOf(host).toLowerCase());
}

/** 2025-11-25+: an invalid Origin MUST get 403; a Host outside the allowed list is DNS rebinding. */
export function checkOriginAndHost(request: Request, allowedHosts: readonly string[] | undefined, allowedOrigins: readonly string[] | undefined): Response | undefined {
  const host = (request.headers.get('host') ?? new URL(request.url).host).toLowerCase();
  if (allowedHosts && !isAllowedHost(host, allowedHosts)) {
    return jsonRpcErrorResponse(403, ErrorCode.InvalidRequest, `Forbidden: Host "${host}" is not served here. Add it to allowedHosts if this server should answer it.`);
  }
  const origin = request.headers.get('origin');
  if (origin === null || isAllowedOrigin(origin, host, allowedOrigins)) return undefined;
  return jsonRpcErrorResponse(403, ErrorCode.InvalidRequest, `Forbidden: Origin "${origin}" may not call this server. Add it to allowedOrigins to allow browser clients from it.`);
}

/** An entry with a port allows that host and port; a bare hostname allows it on any port (as the official SDKs do). */
function isAllowedHost(host: string, allowedHosts: readonly string[]): boolean {
  const name = hostnameOf(host);
  return allowedHosts.some((allowed) => {
    const entry = allowed.toLowerCase();
    return entry === host || entry === name || (entry === '::1' && name === '[::1]');
  });
}

export function isAllowedOrigin(origin: string, host: string, allowedOrigins: readonly string[] | undefined): boolean {
  if (allowedOrigins?.includes(origin) || allowedOrigins?.includes('*')) return true;
  if (!URL.canParse(origin)) return false;
  const originHost = new URL(origin).host.toLowerCase();
  return originHost === host || (isLoopbackHost(host) && isLoopbackHost(originHost));
}

export function checkContentType(request: Request): Response | undefined {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return undefined;
  return jsonRpcErrorResponse(415, ErrorCode.InvalidRequest, `Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json (got ${type ? `"${type}"` : 'none'}).`);
}

export type ResponseMode = 'sse' | 'jsonl';

const JSONL_TYPES = ['application/jsonl', 'application/json-lines', 'application/x-ndjson'];

interface MediaRange { type: string; q: number }

function parseAccept(header: string): MediaRange[] {
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { type, q: q ? Number(q.slice(2)) : 1 };
  });
}

function quality(ranges: MediaRange[], type: string): number {
  const exact = ranges.find((r) => r.type === type);
  if (exact) return exact.q;
  const wildcard = ranges.find((r) => r.type === `${type.split('/')[0]}/*`) ?? ranges.find((r) => r.type === '*/*');
  return wildcard ? wildcard.q : 0;
}

/**
 * Clients MUST accept application/json and text/event-stream. JSON Lines is an opt-in extension:
 * chosen only when the client lists one of its types at least as high as text/event-stream.
 */
function modeFor(header: string): ResponseMode | undefined {
  const ranges = parseAccept(header);
  const json = quality(ranges, 'application/json');
  const sse = quality(ranges, 'text/event-stream');
  const jsonl = Math.max(0, ...JSONL_TYPES.map((t) => (ranges.some((r) => r.type === t) ? quality(ranges, t) : 0)));
  if (json > 0 && jsonl > 0 && jsonl >= sse) return 'jsonl';
  if (json > 0 && sse > 0) return 'sse';
  return undefined;
}

// Clients send the same Accept on every call: parse each new value once.
let lastAccept: string | undefined;
let lastMode: ResponseMode = 'sse';

export function negotiateStreamMode(request: Request): ResponseMode | Response {
  const header = request.headers.get('accept');
  if (header === lastAccept) return lastMode;
  if (header === null || header.trim() === '') return 'sse';
  const mode = modeFor(header);
  if (mode === undefined) {
    return jsonRpcErrorResponse(
      406,
      ErrorCode.InvalidRequest,
      'Not Acceptable: send Accept: application/json, text/event-stream (or add application/jsonl to receive JSON Lines).',
    );
  }
  lastAccept = header;
  lastMode = mode;
  return mode;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads at most `limit` bytes; a larger body gets 413 without being read to the end. */
export async function readBody(request: Request, limit: number): Promise<string | Response> {
  try {
    return await readLimited(request, limit);
  } catch {
    // The body stream failed: the client left mid-request or the host timed it out. Nobody may
    // be there to read this answer, and it is not the server's fault: no 5xx, nothing to log.
    return jsonRpcErrorResponse(400, ErrorCode.InvalidRequest, 'Bad Request: the body ended before its declared end. Send the whole JSON-RPC message.');
  }
}

async function readLimited(request: Request, limit: number): Promise<string | Response> {
  const tooLarge = () => jsonRpcErrorResponse(413, ErrorCode.InvalidRequest, `Payload Too Large: the body exceeds ${limit} bytes. Send a smaller request or raise maxBodyBytes.`);
  const length = request.headers.get('content-length');
  const declared = length === null ? NaN : Number(length);
  if (declared > limit) return tooLarge();
  let bytes: Uint8Array;
  if (Number.isFinite(declared)) {
    // A declared length within the limit: arrayBuffer() lets the Node adapter read the socket
    // straight into one buffer instead of building a web stream for every POST.
    bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > limit) return tooLarge();
  } else {
    // Touching request.body makes the Node adapter build a web stream: only this branch needs it.
    if (!request.body) return '';
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined); // safe: the 413 is the answer either way; this only stops the upload
        return tooLarge();
      }
      chunks.push(value);
    }
    bytes = chunks.length === 1 ? chunks[0]! : concat(chunks, size);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return jsonRpcErrorResponse(400, ErrorCode.ParseError, 'Parse error: the body is not valid UTF-8.');
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Host header values of a server bound to loopback on `port`: the default DNS-rebinding allow-list. */
export function loopbackHosts(port: number | string): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}
