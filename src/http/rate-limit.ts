// Rate limits that hold across instances: every JSON-RPC request counts one hit on its caller's
// counter in the shared Store, and a tools/call of a tool with a limit of its own one more on the
// caller's counter for that tool. A counter past its max is answered 429 with Retry-After until its
// window ends. Windows are fixed (Store.hit): one atomic step per counter on every engine, constant
// storage per caller, and an exact time to retry; the price is that a caller can fit up to twice
// `max` into the moments around one window's end (choose a shorter window to smooth that).
import { ErrorCode, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcRequest } from '../protocol/jsonrpc.ts';
import type { Principal } from '../protocol/principal.ts';
import { StoreUnavailableError } from '../store/store.ts';
import type { Store } from '../store/store.ts';
import { jsonRpcErrorResponse } from './checks.ts';
import { refusalResponse } from './status.ts';

export interface RateLimit {
  /** Length of one window, in ms. */
  windowMs: number;
  /** Requests allowed in one window; the next ones get 429 until it ends. */
  max: number;
}

export interface RateLimitOptions extends RateLimit {
  /** Limits of their own for `tools/call` of these tools, counted per caller beside the overall one. */
  perTool?: Readonly<Record<string, RateLimit>>;
  /**
   * Who is counted: requests with the same key share a limit; `undefined` leaves a request
   * unlimited (e.g. a trusted internal caller). Default `defaultRateLimitKey`.
   */
  key?: (request: Request, principal: Principal | undefined) => string | undefined;
}

/**
 * JSON-RPC code of the 429 answer. MCP (2026-07-28, basic: error codes) asks new codes to stay out
 * of the JSON-RPC reserved range (-32768 to -32000); the digits echo HTTP 429.
 */
export const RATE_LIMITED_CODE = -31_429;

/** Which limit a request went past, and when the caller may try again. */
export interface RateLimitExceeded extends RateLimit {
  /** Whole seconds until the window ends (at least 1), as `Retry-After` carries it. */
  retryAfterSeconds: number;
  /** The tool whose own limit it was; absent for the caller's overall limit. */
  tool?: string;
}

/**
 * The verified principal's subject when auth is on; otherwise the last address in
 * `X-Forwarded-For`, the one the nearest proxy (nginx with `$proxy_add_x_forwarded_for`, an AWS
 * ALB, most platforms' front ends) appended for the connection it accepted, which a client cannot
 * forge. Without that header every anonymous caller shares one counter: behind no proxy, pass a
 * `key` that reads your runtime's connection info instead.
 */
export function defaultRateLimitKey(request: Request, principal: Principal | undefined): string {
  if (principal) return `principal:${principal.subject}`;
  const address = request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
  // An address is at most 45 characters (IPv6); anything longer is not one, and must not become a key.
  return `address:${address && address.length <= 64 ? address : 'unknown'}`;
}

function requireLimit(limit: RateLimit | undefined, where: string): RateLimit {
  const { windowMs, max } = limit ?? ({} as Partial<RateLimit>);
  if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) {
    throw new TypeError(`${where}.windowMs must be a positive, finite number of milliseconds, e.g. 60000 for a minute; got ${String(windowMs)}.`);
  }
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) throw new TypeError(`${where}.max must be a whole number of requests, 1 or more; got ${String(max)}.`);
  return { windowMs, max };
}

const describeWindow = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * What `createMcpApp(server, { rateLimit })` takes: made by `rateLimit(options)`, given the server's
 * Store by the app. A function, so servers without limits do not bundle the limiter.
 */
export type RateLimits = (store: Store) => RateLimiter;

/**
 * Limits counted in the server's Store, so every instance sharing it enforces one limit:
 * `createMcpApp(server, { rateLimit: rateLimit({ windowMs: 60_000, max: 100 }) })`. Checks the
 * options at once, so a typo fails at start-up, not on the first request.
 */
export function rateLimit(options: RateLimitOptions): RateLimits {
  const limit = requireLimit(options, 'rateLimit');
  // A Map: tool names in requests are client strings, never keys of a plain object.
  const perTool = new Map(Object.entries(options.perTool ?? {}).map(([tool, own]) => [tool, requireLimit(own, `rateLimit.perTool["${tool}"]`)]));
  const key = options.key ?? defaultRateLimitKey;
  return (store) => new RateLimiter(store, limit, perTool, key);
}

export class RateLimiter {
  readonly #store: Store;
  readonly #limit: RateLimit;
  readonly #perTool: ReadonlyMap<string, RateLimit>;
  readonly #key: NonNullable<RateLimitOptions['key']>;

  constructor(store: Store, limit: RateLimit, perTool: ReadonlyMap<string, RateLimit>, key: NonNullable<RateLimitOptions['key']>) {
    this.#store = store;
    this.#limit = limit;
    this.#perTool = perTool;
    this.#key = key;
  }

  /**
   * Counts one request per entry of `tools` (the tool each calls, or undefined) and resolves the
   * limit the caller went past, if any. Rejects with StoreUnavailableError when the store is down.
   */
  async check(request: Request, principal: Principal | undefined, tools: readonly (string | undefined)[]): Promise<RateLimitExceeded | undefined> {
    const caller = this.#key(request, principal);
    if (caller === undefined) return undefined;
    const counted: { counter: string; limit: RateLimit; tool?: string }[] = [];
    for (const tool of tools) {
      counted.push({ counter: `ratelimit:caller:${caller}`, limit: this.#limit });
      const own = tool === undefined ? undefined : this.#perTool.get(tool);
      if (own) counted.push({ counter: `ratelimit:tool:${encodeURIComponent(tool!)}:${caller}`, limit: own, tool });
    }
    const hits = await Promise.all(counted.map(({ counter, limit }) => this.#store.hit(counter, limit.windowMs)));
    const now = Date.now();
    let exceeded: RateLimitExceeded | undefined;
    hits.forEach((hit, i) => {
      const { limit, tool } = counted[i]!;
      if (hit.count <= limit.max) return;
      const retryAfterSeconds = Math.max(1, Math.ceil((hit.resetAt - now) / 1000));
      if (!exceeded || retryAfterSeconds > exceeded.retryAfterSeconds) exceeded = { ...limit, retryAfterSeconds, ...(tool !== undefined && { tool }) };
    });
    return exceeded;
  }

  /**
   * For the MCP endpoint: the 429 (or, with the store down, 503) answer to `sent`, or undefined to
   * go on. One message gets one JSON-RPC error; a batch (an array), one per request.
   */
  async refuse(request: Request, principal: Principal | undefined, sent: JsonRpcRequest | readonly JsonRpcRequest[]): Promise<Response | undefined> {
    const messages = Array.isArray(sent) ? sent : [sent as JsonRpcRequest];
    const tools = messages.map((m) => (m.method === 'tools/call' && isJsonObject(m.params) && typeof m.params.name === 'string' ? m.params.name : undefined));
    let exceeded: RateLimitExceeded | undefined;
    try {
      exceeded = await this.check(request, principal, tools);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      const message = 'Service unavailable: the shared store that counts rate limits cannot be reached right now; retry shortly.';
      const unavailable = { code: ErrorCode.InternalError, message, data: { reason: 'unavailable' } };
      return refusalResponse({ kind: 'unavailable' }, { request, reply: (status, headers) => answer(sent, status, unavailable, headers) });
    }
    if (!exceeded) return undefined;
    const { max, windowMs, retryAfterSeconds, tool } = exceeded;
    const what = tool === undefined ? `${max} requests` : `${max} calls of tool "${tool}"`;
    const message = `Too many requests: this caller may send ${what} per ${describeWindow(windowMs)}. Retry after ${retryAfterSeconds} s.`;
    const data = { reason: 'rate_limited', retryAfterSeconds, max, windowMs, ...(tool !== undefined && { tool }) };
    return answer(sent, 429, { code: RATE_LIMITED_CODE, message, data }, { 'Retry-After': String(retryAfterSeconds) });
  }
}

function answer(sent: JsonRpcRequest | readonly JsonRpcRequest[], status: number, error: { code: number; message: string; data: unknown }, headers: Record<string, string>): Response {
  if (!Array.isArray(sent)) return jsonRpcErrorResponse(status, error.code, error.message, (sent as JsonRpcRequest).id, error.data, headers);
  return Response.json(sent.map((m: JsonRpcRequest) => ({ jsonrpc: '2.0', id: m.id, error })), { status, headers });
}
