// Result shapes the client hands back (2026-07-28 `schema.ts`, with the 2025 fields that remain).
// Content and message shapes come from the protocol layer.
import type { JsonObject } from '../protocol/jsonrpc.ts';
import type { Icon, Implementation, PromptArgument, ToolAnnotations } from '../protocol/types.ts';

export type Era = 'modern' | 'legacy';
export type CacheScope = 'public' | 'private';

export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: JsonObject;
}

export interface Resource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  _meta?: JsonObject;
}

export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  _meta?: JsonObject;
}

export interface Prompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  _meta?: JsonObject;
}

export interface ServerCapabilities {
  tools?: { listChanged?: boolean };
  resources?: { listChanged?: boolean; subscribe?: boolean };
  prompts?: { listChanged?: boolean };
  completions?: JsonObject;
  logging?: JsonObject;
  extensions?: JsonObject;
  [key: string]: unknown;
}

/** What `discover()` learns, from `server/discover` (2026) or the `initialize` result (2025). */
export interface ServerDescription {
  era: Era;
  /** The revision this client speaks with the server. */
  protocolVersion: string;
  supportedVersions: string[];
  capabilities: ServerCapabilities;
  serverInfo?: Implementation;
  instructions?: string;
}

export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

export type CompletionReference = { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };

export interface CompleteResult {
  completion: { values: string[]; total?: number; hasMore?: boolean };
  _meta?: JsonObject;
}

/** `subscriptions/listen` params.notifications (2026-07-28 `basic/patterns/subscriptions.mdx`). */
export interface ListenFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}
