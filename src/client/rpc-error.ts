// A JSON-RPC error from the server as the client's error, with a hint for the codes a caller can act on.
import { ErrorCode, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcErrorObject } from '../protocol/jsonrpc.ts';
import { MODERN_VERSION } from '../protocol/revisions.ts';
import { McpClientError } from './errors.ts';
import { LEGACY_OFFERS } from './legacy-session.ts';

export function rpcError(method: string, error: JsonRpcErrorObject, status?: number): McpClientError {
  const details = { rpcCode: error.code, data: error.data, status };
  let hint = '';
  if (error.code === ErrorCode.MethodNotFound) hint = ` The server does not offer ${method}; discover() lists what it does.`;
  if (error.code === ErrorCode.MissingRequiredClientCapability) {
    const needed = isJsonObject(error.data) ? JSON.stringify(error.data.requiredCapabilities) : 'more capabilities';
    hint = ` The server needs client capabilities ${needed}: set the matching input handler (elicitation, sampling, roots).`;
  }
  if (error.code === ErrorCode.HeaderMismatch) hint = ' A proxy may be rewriting MCP headers, or the tool list is stale: list tools again.';
  if (error.code === ErrorCode.UnsupportedProtocolVersion) {
    return new McpClientError('UNSUPPORTED_VERSION', `${method}: ${error.message} This client speaks ${MODERN_VERSION} and ${LEGACY_OFFERS.join(', ')}.`, details);
  }
  return new McpClientError('PROTOCOL_ERROR', `${method} failed with JSON-RPC error ${error.code}: ${error.message}${hint}`, details);
}
