// Public face of the server layer (no HTTP here).
export { createServer, McpServer } from './server.ts';
export type { Capabilities, ServerOptions } from './server.ts';
export { ResourceTemplate } from './registry.ts';
export type {
  Completer,
  ListedResource,
  PromptConfig,
  PromptHandler,
  RegisteredTool,
  ResourceConfig,
  ResourceHandler,
  TemplateHandler,
  ToolConfig,
  ToolHandler,
} from './registry.ts';
export type { HandlerContext } from './context.ts';
export { InputRoundEndedError } from './input-requests.ts';
export type { Outbox, RequestEnv } from './outbox.ts';
export type { Dispatched, Refusal } from './outcome.ts';
export type { Principal } from '../protocol/principal.ts';
