// One table from JSON-RPC error code to HTTP status (2026-07-28 streamable-http.mdx). The spec
// fixes no status for other errors, so they ride on 200 like any other JSON-RPC response.
import { ErrorCode } from '../protocol/jsonrpc.ts';
import type { Era } from '../protocol/revisions.ts';

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
