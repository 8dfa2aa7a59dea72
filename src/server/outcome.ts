// What dispatch tells the transport besides the JSON-RPC response: why a request was refused, as
// a type. The HTTP layer maps each kind to a status and headers in one table (src/http/status.ts);
// the core never names a status and never calls back into auth.
import { ErrorCode, McpError } from '../protocol/jsonrpc.ts';
import type { JsonRpcResponse } from '../protocol/jsonrpc.ts';

export type Refusal =
  /** The caller's principal lacks scopes this tool, resource or prompt requires. */
  | { kind: 'insufficient_scope'; scopes: readonly string[] }
  /** A shared backend (the Store or Bus) cannot be reached: worth a retry. */
  | { kind: 'unavailable' };

export interface Dispatched {
  response: JsonRpcResponse;
  refusal?: Refusal;
}

/** Thrown by the scope gate: a JSON-RPC error that also carries its refusal for the transport. */
export class ScopeRequiredError extends McpError {
  readonly refusal: Refusal;

  constructor(what: string, scopes: readonly string[]) {
    // The data stays on the wire for clients reading a streamed error, where no status can change.
    super(ErrorCode.InvalidRequest, `Forbidden: ${what} needs the scopes ${scopes.join(' ')}.`, { reason: 'insufficient_scope', requiredScopes: [...scopes] });
    this.refusal = { kind: 'insufficient_scope', scopes };
  }
}
