// Which lane a POST is served in: the stateless 2026-07-28 lane, or the 2025 lane with what its
// Mcp-Session-Id says the client negotiated; and which requests may ride in a 2025-03-26 batch.
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcRequest } from '../protocol/jsonrpc.ts';
import type { Principal } from '../protocol/principal.ts';
import { DEFAULT_LEGACY_VERSION, MODERN_VERSION, MetaKey, SUPPORTED_VERSIONS, isLegacyVersion } from '../protocol/revisions.ts';
import type { ClientSession, SessionFailure } from '../server/client-session.ts';
import type { McpServer } from '../server/server.ts';
import { jsonRpcErrorResponse } from './checks.ts';
import type { Lane } from './request-context.ts';
import { unsupportedVersion } from './request-headers.ts';

/** The one revision with JSON-RPC batches: 2025-06-18 removed them. */
export const BATCH_REVISION = '2025-03-26';

/** Why an Mcp-Session-Id did not open, for the 404 that tells the client to initialize again. */
const SESSION_NOT_FOUND: ReadonlyMap<SessionFailure, string> = new Map([
  ['malformed', 'was not issued by this server'],
  ['unknown-key', 'was sealed with a key this server does not hold (another deployment, or a rotated-out key)'],
  ['tampered', 'failed its integrity check'],
  ['expired', 'has expired'],
  ['wrong-request', 'was issued to another caller'],
]);

/**
 * Era per request (the 2026-07-28 specification, basic/versioning: version negotiation): modern `_meta` or a 2026 header selects the stateless 2026 lane;
 * a 2025 header, or none, the legacy lane; any other header version is unsupported.
 */
export function chooseLane(message: JsonRpcRequest | undefined, headerVersion: string | null): Lane | McpError {
  const meta = message?.params?._meta;
  const modern = isJsonObject(meta) && meta[MetaKey.protocolVersion] !== undefined;
  if (modern || headerVersion === MODERN_VERSION) return { era: 'modern', protocolVersion: MODERN_VERSION };
  if (headerVersion === null) return { era: 'legacy', protocolVersion: DEFAULT_LEGACY_VERSION };
  if (isLegacyVersion(headerVersion)) return { era: 'legacy', protocolVersion: headerVersion };
  return unsupportedVersion(headerVersion, SUPPORTED_VERSIONS);
}

/** Why a request cannot ride in a 2025-03-26 batch, if it cannot. */
export function unbatchable(message: JsonRpcRequest): string | undefined {
  // MCP 2025-03-26, basic/lifecycle: the initialize request MUST NOT be part of a batch.
  if (message.method === 'initialize') return 'Invalid Request: initialize must not be part of a JSON-RPC batch; send it alone, then batch the requests that follow.';
  const lane = chooseLane(message, null);
  if (!(lane instanceof McpError) && lane.era === 'modern') return `Invalid Request: protocol ${MODERN_VERSION} has no JSON-RPC batches; send this request in its own POST.`;
  return undefined;
}

/**
 * 2025 lane: what the request's Mcp-Session-Id says the client negotiated. One that does not open
 * gets 404, which tells a 2025 client to initialize again (MCP 2025-11-25, basic/transports:
 * session management). initialize starts a new session and 2026-07-28 has none: both ignore it.
 */
export function sessionOf(server: McpServer, request: Request, headerVersion: string | null, body: unknown, principal: Principal | undefined): Promise<ClientSession | Response> | undefined {
  const id = request.headers.get('mcp-session-id');
  // Synchronous when there is nothing to open, as for most POSTs: the caller then need not wait.
  if (id === null || headerVersion === MODERN_VERSION || (isJsonObject(body) && body.method === 'initialize')) return undefined;
  return server.openSession(id, principal).then((opened) =>
    typeof opened !== 'string'
      ? opened
      : jsonRpcErrorResponse(404, ErrorCode.InvalidRequest, `Session not found: this Mcp-Session-Id ${SESSION_NOT_FOUND.get(opened)}. Send initialize again, without the header, to start a new session.`),
  );
}
