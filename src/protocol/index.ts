// Public face of the protocol layer: wire shapes, codes, revisions.
export { ErrorCode, McpError, classifyMessage, errorResponse, isJsonObject } from './jsonrpc.ts';
export type {
  ClassifiedMessage,
  JsonObject,
  JsonRpcErrorObject,
  JsonRpcFailure,
  JsonRpcId,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcSuccess,
} from './jsonrpc.ts';
export { NAME_FIELD } from './methods.ts';
export {
  DEFAULT_LEGACY_VERSION,
  LEGACY_VERSIONS,
  LOG_LEVELS,
  MODERN_VERSION,
  MetaKey,
  SUPPORTED_VERSIONS,
  isLegacyVersion,
  isLogLevel,
} from './revisions.ts';
export type { Era, LogLevel } from './revisions.ts';
export { missingScopes, scopeCovers } from './principal.ts';
export type { Principal } from './principal.ts';
