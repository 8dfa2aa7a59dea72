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

/** A bare name or address (no port), as a server binds to it: `localhost`, `127.0.0.1`, `::1`. */
export function isLoopbackName(name: string): boolean {
  return LOOPBACK.has(name.toLowerCase());
}

export function isLoopbackHost(host: string): boolean {
  return isLoopbackName(hostnameOf(host));
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

/** What a POST must pass before its body is read: an allowed Host and Origin, and a JSON body. */
export function postRefusal(request: Request, options: { allowedHosts?: readonly string[]; allowedOrigins?: readonly string[] }): Response | undefined {
  return checkOriginAndHost(request, options.allowedHosts, options.allowedOrigins) ?? checkContentType(request);
}

export function checkContentType(request: Request): Response | undefined {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return undefined;
  return jsonRpcErrorResponse(415, ErrorCode.InvalidRequest, `Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json (got ${type ? `"${type}"` : 'none'}).`);
}

/** How one POST's response is written. */
export interface ResponseMode {
  /** SSE events, JSON Lines, or none: one JSON body, with the notifications before it dropped. */
  framing: 'sse' | 'jsonl' | 'json';
  /** Content-Type of the stream: a JSON Lines type is spelled as the client asked for it. */
  contentType: string;
  /** The client cannot read plain JSON, so even a lone result is written in the stream's framing. */
  alwaysStream: boolean;
}

const JSONL_TYPES: readonly string[] = ['application/jsonl', 'application/json-lines', 'application/x-ndjson'];
const SSE: ResponseMode = { framing: 'sse', contentType: 'text/event-stream', alwaysStream: false };
const SSE_ONLY: ResponseMode = { ...SSE, alwaysStream: true };
const JSON_ONLY: ResponseMode = { framing: 'json', contentType: 'application/json', alwaysStream: false };

interface MediaRange { type: string; q: number }

/** RFC 9110 Accept: media ranges with their weights; a weight that is not a number counts as 1. */
function parseAccept(header: string): MediaRange[] {
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const weight = params.find((p) => p.startsWith('q='));
    const q = weight === undefined ? 1 : Number(weight.slice(2));
    return { type, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 1 };
  });
}

/** The weight of `type`: the most specific range that names it decides (q=0: not acceptable). */
function quality(ranges: MediaRange[], type: string): number {
  const exact = ranges.find((r) => r.type === type);
  if (exact) return exact.q;
  const wildcard = ranges.find((r) => r.type === `${type.split('/')[0]}/*`) ?? ranges.find((r) => r.type === '*/*');
  return wildcard ? wildcard.q : 0;
}

/**
 * Clients MUST accept application/json and text/event-stream (2026-07-28, basic/transports), but a
 * client that accepts less still gets what it can read. JSON Lines is an opt-in extension, chosen
 * only when the client names one of its types, at least as high as text/event-stream. A client
 * that cannot read plain JSON gets a stream even for a lone result; one that reads only JSON gets
 * the result alone; undefined when nothing we write is acceptable.
 */
function modeFor(header: string): ResponseMode | undefined {
  const ranges = parseAccept(header);
  const json = quality(ranges, 'application/json');
  const sse = quality(ranges, 'text/event-stream');
  let jsonl: MediaRange | undefined;
  for (const range of ranges) if (JSONL_TYPES.includes(range.type) && range.q > (jsonl?.q ?? 0)) jsonl = range;
  if (jsonl && jsonl.q >= sse) return { framing: 'jsonl', contentType: jsonl.type, alwaysStream: json === 0 };
  if (sse > 0) return json > 0 ? SSE : SSE_ONLY;
  return json > 0 ? JSON_ONLY : undefined;
}

/** Negotiates the response mode of each POST. Clients send the same Accept on every call, so each handler remembers its last value. */
export function streamModeNegotiator(): (request: Request) => ResponseMode | Response {
  let lastAccept: string | null = null;
  let lastMode: ResponseMode | undefined = SSE;
  return (request) => {
    const header = request.headers.get('accept');
    if (header !== lastAccept) {
      lastAccept = header;
      lastMode = header === null || header.trim() === '' ? SSE : modeFor(header);
    }
    if (lastMode) return lastMode;
    return jsonRpcErrorResponse(
      406,
      ErrorCode.InvalidRequest,
      'Not Acceptable: send Accept: application/json, text/event-stream (or add application/jsonl to receive JSON Lines).',
    );
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads at most `limit` bytes; a larger body gets 413 without being read to the end. */
export function readBody(request: Request, limit: number): Promise<string | Response> {
  // The body stream failed: the client left mid-request or the host timed it out. Nobody may
  // be there to read this answer, and it is not the server's fault: no 5xx, nothing to log.
  return readLimited(request, limit).catch(() =>
    jsonRpcErrorResponse(400, ErrorCode.InvalidRequest, 'Bad Request: the body ended before its declared end. Send the whole JSON-RPC message.'),
  );
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
