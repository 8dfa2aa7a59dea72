// `stateless-mcp/client`: a fetch-based MCP client for 2026-07-28 servers and 2025-era ones, for
// Node, browsers, edge runtimes, Deno and Bun. Imports only the protocol layer.
export { McpClient, createClient } from './client.ts';
export type { ClientOptions, ListOptions, ListenOptions } from './client-options.ts';
export type { RequestOptions, ToolCallOptions } from './request-options.ts';
export { PARTIAL_RESULT_METHOD } from '../protocol/partial-results.ts';
export type { OnPartial, PartialResult, ToolStreamEvent } from './partial-results.ts';
export { McpClientError, isClientError } from './errors.ts';
export type { ClientErrorCode, ClientErrorDetails } from './errors.ts';
export type { FetchLike, RetryPolicy } from './http-exchange.ts';
export { acceptDefaults } from './input-handlers.ts';
export type { InputContext, InputHandlers } from './input-handlers.ts';
export { memoryStorage } from './oauth-types.ts';
export type { OAuthClientInformation, OAuthProvider, OAuthStorage, OAuthTokens } from './oauth-types.ts';
export { parseWwwAuthenticate } from './oauth-discovery.ts';
export { ListCache } from './list-cache.ts';
export { readMessages, readSse } from './message-reader.ts';
export type { SseEvent, StreamCursor } from './message-reader.ts';
export { StatelessHttpTransport, createSdkTransport } from './sdk-transport.ts';
export type { SdkTransportOptions } from './sdk-transport.ts';
export { Subscription } from './subscription.ts';
export { analyseToolHeaders } from './tool-headers.ts';
export type { HeaderParam, ToolHeaderVerdict } from './tool-headers.ts';
export { encodeHeaderValue } from './header-values.ts';
export type {
  CacheScope,
  CompleteResult,
  CompletionReference,
  Era,
  ListenFilter,
  Progress,
  Prompt,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  ServerDescription,
  Tool,
} from './types.ts';
