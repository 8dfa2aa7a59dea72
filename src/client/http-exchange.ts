// One HTTP exchange with the MCP endpoint: headers (static, bearer token per request, Accept),
// retries with backoff for safe requests, and the mapping of failed answers to client errors.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcErrorObject, JsonRpcId } from '../protocol/jsonrpc.ts';
import { McpClientError, abortError } from './errors.ts';
import { readText } from './message-reader.ts';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface Endpoint {
  url: URL;
  fetch: FetchLike;
  /** Static headers, names lower-cased. */
  headers: Record<string, string>;
  /** Called before every request, so expiring tokens can be refreshed. */
  token?: () => string | undefined | Promise<string | undefined>;
  preferJsonLines: boolean;
  /** The largest message the client reads from this endpoint (`maxMessageBytes`). */
  maxMessageBytes: number;
}

export interface RetryPolicy {
  attempts: number;
  /** Only requests the caller marks safe to repeat are retried. */
  safe?: boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const MAX_RETRY_AFTER_MS = 60_000;

export function acceptHeader(endpoint: Endpoint): string {
  return endpoint.preferJsonLines ? 'application/jsonl, application/json, text/event-stream' : 'application/json, text/event-stream';
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal, 'The request'));
    const onAbort = () => (clearTimeout(timer), reject(abortError(signal, 'The request')));
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

function backoffMs(policy: RetryPolicy, attempt: number): number {
  const base = policy.baseDelayMs ?? 200;
  const capped = Math.min(base * 2 ** attempt, policy.maxDelayMs ?? 5_000);
  // Full jitter keeps many clients from retrying in lock step after an outage.
  return Math.round(capped / 2 + (Math.random() * capped) / 2);
}

function unreachable(endpoint: Endpoint, cause: unknown): McpClientError {
  const detail = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return new McpClientError('UNREACHABLE', `Cannot reach ${endpoint.url.href} (${detail}). Check the URL, that the server is running, and your network or proxy.`, { cause });
}

async function send(endpoint: Endpoint, init: RequestInit & { headers: Headers }, signal: AbortSignal, policy: RetryPolicy | undefined): Promise<Response> {
  const attempts = policy?.safe ? Math.max(0, policy.attempts) : 0;
  for (let attempt = 0; ; attempt++) {
    const token = await endpoint.token?.();
    if (token) init.headers.set('authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await endpoint.fetch(endpoint.url, { ...init, signal });
    } catch (cause) {
      if (signal.aborted) throw abortError(signal, 'The request');
      // The fetch layer itself decided (OAuth: a failed refresh or authorization); not a network failure.
      if (cause instanceof McpClientError) throw cause;
      if (attempt >= attempts) throw unreachable(endpoint, cause);
      await delay(backoffMs(policy!, attempt), signal);
      continue;
    }
    if (!RETRYABLE_STATUS.has(response.status) || attempt >= attempts) return response;
    const wait = retryAfterMs(response) ?? backoffMs(policy!, attempt);
    // Safe to drop: this answer is discarded for the retry; a failing cancel means its stream is already gone.
    await response.body?.cancel().catch(() => undefined);
    await delay(wait, signal);
  }
}

function baseHeaders(endpoint: Endpoint, extra: Record<string, string>): Headers {
  const headers = new Headers(endpoint.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

export function postMessage(endpoint: Endpoint, message: unknown, headers: Record<string, string>, signal: AbortSignal, policy?: RetryPolicy): Promise<Response> {
  const all = baseHeaders(endpoint, { 'content-type': 'application/json', accept: acceptHeader(endpoint), ...headers });
  return send(endpoint, { method: 'POST', headers: all, body: JSON.stringify(message) }, signal, policy);
}

/** 2025 lane only: resumes an SSE stream with GET and `Last-Event-ID`. */
export function getStream(endpoint: Endpoint, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  return send(endpoint, { method: 'GET', headers: baseHeaders(endpoint, { accept: 'text/event-stream', ...headers }) }, signal, undefined);
}

/** A failed HTTP answer as the body says it: a JSON-RPC error when there is one. */
export interface Failure {
  status: number;
  body: string;
  rpc: (JsonRpcErrorObject & { id: JsonRpcId | null | undefined }) | undefined;
  wwwAuthenticate: string | undefined;
}

export async function readFailure(response: Response, maxBytes: number): Promise<Failure> {
  // Safe to drop: the status alone makes the error; a body that breaks off or passes maxBytes only loses its excerpt.
  const body = response.body ? await readText(response.body, maxBytes).catch(() => '') : '';
  let rpc: Failure['rpc'];
  try {
    const parsed: unknown = JSON.parse(body);
    if (isJsonObject(parsed) && isJsonObject(parsed.error) && typeof parsed.error.code === 'number') {
      const { code, message, data } = parsed.error;
      const { id } = parsed;
      rpc = { code, message: typeof message === 'string' ? message : '', data, id: typeof id === 'string' || typeof id === 'number' || id === null ? id : undefined };
    }
  } catch {
    // Not JSON: an HTML error page or plain text from a proxy; `body` keeps it for the message.
  }
  return { status: response.status, body, rpc, wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined };
}

/** The client error for a failed answer, with what to do about it. */
export function failureError(failure: Failure, url: URL): McpClientError {
  const { status, body, rpc, wwwAuthenticate } = failure;
  const details = { status, body, wwwAuthenticate, rpcCode: rpc?.code, data: rpc?.data };
  if (status === 401 || (status === 403 && wwwAuthenticate?.toLowerCase().startsWith('bearer'))) {
    const hint = wwwAuthenticate ? ` The server says: WWW-Authenticate: ${wwwAuthenticate}.` : '';
    const what = status === 401 ? 'requires authorization' : 'refused this token (insufficient scope)';
    return new McpClientError('UNAUTHORIZED', `HTTP ${status}: ${url.href} ${what}.${hint} Pass a bearer token (--token or MCP_TOKEN) or the header the server expects.`, details);
  }
  if (rpc) return new McpClientError('PROTOCOL_ERROR', `HTTP ${status}, JSON-RPC error ${rpc.code}: ${rpc.message}`, details);
  const excerpt = body.trim().slice(0, 200);
  const advice = status === 404 || status === 405 ? ' Check that the URL is the MCP endpoint (often ending in /mcp).' : status >= 500 ? ' The server failed; try again later or check its logs.' : '';
  return new McpClientError('HTTP_ERROR', `HTTP ${status} from ${url.href}${excerpt ? `: ${excerpt}` : ''}.${advice}`, details);
}
