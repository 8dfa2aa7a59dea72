// The HTTP status of an answer, in two tables: JSON-RPC error code to status (2026-07-28
// streamable-http.mdx; the spec fixes no status for other errors, so they ride on 200 like any
// other JSON-RPC response), and typed refusal (src/server/outcome.ts) to status and challenge.
import { ErrorCode } from '../protocol/jsonrpc.ts';
import type { Era } from '../protocol/revisions.ts';
import type { Refusal } from '../server/outcome.ts';
import { jsonRpcErrorResponse } from './checks.ts';
import type { HttpAuth } from './options.ts';

const MODERN_STATUS: ReadonlyMap<number, number> = new Map([
  [ErrorCode.ParseError, 400],
  [ErrorCode.InvalidRequest, 400],
  [ErrorCode.MethodNotFound, 404],
  [ErrorCode.HeaderMismatch, 400],
  [ErrorCode.MissingRequiredClientCapability, 400],
  [ErrorCode.UnsupportedProtocolVersion, 400],
]);

/**
 * 2025 lane: only malformed messages get 400. A 404 there would tell a 2025 client its session
 * expired, so method-not-found stays on 200.
 */
export function statusForError(code: number, era: Era): number {
  if (era === 'legacy') return code === ErrorCode.ParseError || code === ErrorCode.InvalidRequest ? 400 : 200;
  return MODERN_STATUS.get(code) ?? 200;
}

/** What a refusal's answer is made from: the request, the auth gate (for its challenge), and the JSON-RPC body as this response writes it. */
export interface RefusalTarget {
  request: Request;
  auth?: Pick<HttpAuth, 'insufficientScope'>;
  /** The refused request's own JSON-RPC error, with this status and these headers. */
  reply(status: number, headers: Record<string, string>): Response;
}

type RefusalAnswers = { [K in Refusal['kind']]: (refusal: Extract<Refusal, { kind: K }>, to: RefusalTarget) => Response };

/**
 * The one table from a typed refusal (dispatch's, or the rate limiter's) to its HTTP answer. A
 * caller short of scopes gets the auth gate's RFC 6750 challenge, or a plain 403 without a gate; a
 * backend outage (the shared store) is worth a retry, and 503 tells clients and balancers so.
 */
const REFUSALS: RefusalAnswers = {
  insufficient_scope: (refusal, to) =>
    to.auth?.insufficientScope?.(to.request, refusal.scopes) ??
    jsonRpcErrorResponse(403, ErrorCode.InvalidRequest, `Forbidden: this operation needs the scopes ${refusal.scopes.join(' ')}.`),
  unavailable: (_refusal, to) => to.reply(503, { 'Retry-After': '1' }),
};

export function refusalResponse(refusal: Refusal, to: RefusalTarget): Response {
  return (REFUSALS[refusal.kind] as (refusal: Refusal, to: RefusalTarget) => Response)(refusal, to);
}
