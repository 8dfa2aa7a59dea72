// 2025 lane: what a client declared at `initialize`, kept by the client rather than the server.
// The Mcp-Session-Id that comes with InitializeResult is a sealed token (the requestState keys and
// AEAD of src/mrtr/request-state.ts) holding the negotiated version, the declared capabilities and
// clientInfo. The client sends it on every later request (MCP 2025-11-25, basic/transports:
// session management), and any instance holding the keys opens it: every instance knows what was
// negotiated, and none stores anything.
import { createRequestStateSealer } from '../mrtr/request-state.ts';
import type { OpenFailureReason, RequestStateBinding, RequestStateOptions, RequestStateSealer } from '../mrtr/request-state.ts';
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { ClientCapabilities, Implementation } from '../protocol/types.ts';

/** What the client negotiated at initialize, as every later request of its session carries it. */
export interface ClientSession {
  protocolVersion: string;
  capabilities: ClientCapabilities;
  clientInfo?: Implementation;
}

/** Why an Mcp-Session-Id opened to nothing (it was tampered with, has expired, is another caller's, …). */
export type SessionFailure = OpenFailureReason;

export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** What a token may hold: it travels in a header on every request (nginx allows 8 KiB per header line). */
export const MAX_SESSION_BYTES = 4096;

// A binding no requestState can carry (MRTR binds only tools/call, prompts/get and resources/read),
// so neither kind of token opens as the other. The principal binds the session to its caller.
const bindingFor = (principal: string | undefined): RequestStateBinding => ({ method: 'initialize', name: 'Mcp-Session-Id', args: undefined, principal });

export class ClientSessions {
  readonly #sealer: RequestStateSealer;

  /** Same keys (and clock) as requestState; a lifetime of its own. */
  constructor(requestState: RequestStateOptions | undefined, ttlMs = DEFAULT_SESSION_TTL_MS) {
    this.#sealer = createRequestStateSealer({ ...requestState, ttlMs });
  }

  /** The Mcp-Session-Id for `session`: visible ASCII only (`v1.<key id>.<iv>.<ciphertext>`, base64url). */
  issue(session: ClientSession, principal: string | undefined): Promise<string> {
    // The sealer's payload has room for MRTR answers; a session has none.
    return this.#sealer.seal({ answers: {}, data: session }, bindingFor(principal));
  }

  /** The session an Mcp-Session-Id holds, or why it holds none (tampered, expired, another caller's, …). */
  async open(id: string, principal: string | undefined): Promise<ClientSession | SessionFailure> {
    const opened = await this.#sealer.open(id, bindingFor(principal));
    if (!opened.ok) return opened.reason;
    const data = opened.payload.data;
    // Sealed by us, so well formed unless a future version wrote another shape.
    if (!isJsonObject(data) || typeof data.protocolVersion !== 'string' || !isJsonObject(data.capabilities)) return 'malformed';
    return sessionOf(data.protocolVersion, data.capabilities, data.clientInfo);
  }
}

/** The session a client declared: `clientInfo` is kept only when it names the client as Implementation does. */
export function sessionOf(protocolVersion: string, capabilities: ClientCapabilities, clientInfo: unknown): ClientSession {
  const session: ClientSession = { protocolVersion, capabilities };
  if (isJsonObject(clientInfo) && typeof clientInfo.name === 'string' && typeof clientInfo.version === 'string') session.clientInfo = { ...clientInfo, name: clientInfo.name, version: clientInfo.version };
  return session;
}
