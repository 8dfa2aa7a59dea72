// `stateless-mcp`: create a server, register tools/resources/prompts, serve it with Hono.
export { createServer, InputRoundEndedError, McpServer, ResourceTemplate } from './server/index.ts';
export type {
  Capabilities,
  Completer,
  HandlerContext,
  ListedResource,
  Outbox,
  Principal,
  PromptConfig,
  PromptHandler,
  RegisteredTool,
  RequestEnv,
  ResourceConfig,
  ResourceHandler,
  ServerOptions,
  TemplateHandler,
  ToolConfig,
  ToolHandler,
} from './server/index.ts';
export { jsonSchema } from './schema/json-schema.ts';
export { tasks } from './server/tasks.ts';
export type { TaskOptions, TasksExtension, TaskSupport } from './server/tasks.ts';
export type { JsonSchemaWrapper } from './schema/json-schema.ts';
export type { JsonSchema } from './schema/json-schema-validator.ts';
export type { StandardSchemaV1, ToJsonSchema } from './schema/index.ts';
export { createMcpApp, mcp, mcpRoutes, protectedResourceMetadata } from './http/index.ts';
export type { HealthOptions, HttpAuth, McpEndpoint, McpHttpOptions, RateLimit, RateLimitOptions, RateLimits, RequestLogEntry, RequestLogger, RestFace } from './http/index.ts';
export { RATE_LIMITED_CODE, defaultRateLimitKey, healthRoutes, rateLimit } from './http/index.ts';
export { rest } from './rest/index.ts';
export type { RestOptions } from './rest/index.ts';
export { formatRequestLog } from './http/index.ts';
export { ErrorCode, McpError } from './protocol/index.ts';
export type { JsonRpcId, JsonRpcMessage, JsonRpcRequest, JsonRpcResponse, LogLevel } from './protocol/index.ts';
export { MemoryBus, MemoryStore } from './store/index.ts';
export type { Bus, Hit, ServerEvent, Store } from './store/index.ts';
export { createRequestStateSealer, parseRequestStateKeys } from './mrtr/request-state.ts';
export type { RequestStateKey, RequestStateOptions } from './mrtr/request-state.ts';
export type {
  Annotations,
  AudioContent,
  BlobResourceContents,
  CallToolResult,
  ClientCapabilities,
  ContentBlock,
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestParams,
  ElicitResult,
  EmbeddedResource,
  GetPromptResult,
  Icon,
  ImageContent,
  Implementation,
  ListRootsResult,
  PromptArgument,
  PromptMessage,
  ReadResourceResult,
  ResourceContents,
  ResourceLink,
  Role,
  Root,
  SamplingMessage,
  TextContent,
  TextResourceContents,
  ToolAnnotations,
} from './protocol/types.ts';
