// The authoring API: a small facade over the parts of a stateless server. Registrations compile
// once (registry.ts) into the catalog; each message then goes through dispatch (dispatch.ts) to
// its method family (tool-calls, resources, prompts, completion, lists, lifecycle), with no
// per-request server, transport or validator. The parts get what they need at construction and
// never call back up into this facade.
import { createRequestStateSealer } from '../mrtr/request-state.ts';
import type { RequestStateOptions } from '../mrtr/request-state.ts';
import type { SchemaInput, ToJsonSchema } from '../schema/compile.ts';
import type { JsonObject, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import type { Principal } from '../protocol/principal.ts';
import type { Icon, Implementation } from '../protocol/types.ts';
import { MemoryBus, MemoryStore } from '../store/memory.ts';
import type { Bus, ServerEvent, Store } from '../store/store.ts';
import { Catalog } from './catalog.ts';
import { ClientRequestBroker } from './client-requests.ts';
import { ClientSessions } from './client-session.ts';
import type { ClientSession, SessionFailure } from './client-session.ts';
import type { MethodDeps } from './deps.ts';
import { Dispatcher } from './dispatch.ts';
import { negotiated } from './lifecycle.ts';
import { Lists } from './lists.ts';
import type { RequestEnv } from './outbox.ts';
import type { Dispatched } from './outcome.ts';
import { compilePrompt, compileResource, compileTemplate, compileTool } from './registry.ts';
import type {
  CompiledTool,
  PromptConfig,
  PromptHandler,
  RegisteredTool,
  ResourceConfig,
  ResourceHandler,
  ResourceTemplate,
  TemplateHandler,
  ToolConfig,
  ToolHandler,
} from './registry.ts';
import { createReport } from './report.ts';
import type { OnError } from './report.ts';
import type { TasksExtension } from './tasks.ts';

export type { Capabilities } from './catalog.ts';

export interface ServerOptions {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
  instructions?: string;
  /** Declare the (deprecated in 2026-07-28) logging capability, so `ctx.log` can emit. Default true. */
  logging?: boolean;
  /** `ttlMs`/`cacheScope` on discover, list and read results. Default `{ ttlMs: 0, cacheScope: 'public' }`. */
  cache?: { ttlMs?: number; cacheScope?: 'public' | 'private' };
  /** Items per list page. Default 100. */
  pageSize?: number;
  /** Keys and lifetime for sealed MRTR `requestState`. Instances behind one load balancer must share keys. */
  requestState?: RequestStateOptions;
  /** Shared state (single-use `requestState`); in-memory by default. */
  store?: Store;
  /** Fan-out of change notifications to `subscriptions/listen` streams; in-memory by default. */
  bus?: Bus;
  /** 2025 lane: how long a handler waits for the client to answer a server-to-client request. Default 30 s. */
  clientRequestTimeoutMs?: number;
  /**
   * 2025 lane: how long the Mcp-Session-Id issued at initialize (sealed with the requestState keys)
   * stays valid. Requests carrying an older one get 404, and the client initializes again. Default 24 h.
   */
  sessionTtlMs?: number;
  /**
   * The tasks extension, for tools with `taskSupport`: `tasks()` or `tasks({ ttlMs, pollIntervalMs,
   * promoteAfterMs })`, imported from `stateless-mcp`. Off by default.
   */
  tasks?: TasksExtension;
  /**
   * Describes schemas whose library lacks Standard JSON Schema as JSON Schema, e.g.
   * `{ toJsonSchema: (s) => z.toJSONSchema(s as z.ZodMiniType, { io: 'input' }) }` for zod/mini.
   */
  toJsonSchema?: ToJsonSchema;
  /** Scope hierarchy for `scopes` on tools, resources and prompts. Default: `weather` covers `weather:read`. */
  scopeCovers?: (granted: string, required: string) => boolean;
  /**
   * Receives what went wrong inside a handler (a throw, a result that breaks its outputSchema, a
   * bus or store failure); the client only sees a generic message or an `isError` result.
   * Default: one entry on `console.error` with the stack.
   */
  onError?: OnError;
}

export class McpServer {
  readonly info: Implementation;
  readonly #options: ServerOptions;
  readonly #catalog: Catalog;
  readonly #deps: MethodDeps;
  readonly #dispatcher: Dispatcher;
  readonly #sessions: ClientSessions;
  readonly #bus: Bus;

  constructor(options: ServerOptions) {
    if (!options?.name || !options.version) throw new TypeError('createServer needs { name, version }, e.g. createServer({ name: "my-server", version: "1.0.0" }).');
    this.#options = options;
    const { name, version, title, description, websiteUrl, icons } = options;
    this.info = JSON.parse(JSON.stringify({ name, version, title, description, websiteUrl, icons }));
    const bus = (this.#bus = options.bus ?? new MemoryBus());
    const store = options.store ?? new MemoryStore();
    const report = createReport(options.onError);
    const loggingEnabled = options.logging !== false;
    const catalog = (this.#catalog = new Catalog(bus, report, loggingEnabled));
    const lists = new Lists(
      { pageSize: options.pageSize ?? 100, ttlMs: options.cache?.ttlMs ?? 0, cacheScope: options.cache?.cacheScope ?? 'public', covers: options.scopeCovers },
      catalog.listCache,
    );
    this.#deps = {
      info: this.info,
      instructions: options.instructions,
      catalog,
      lists,
      round: {
        sealer: createRequestStateSealer(options.requestState),
        store,
        broker: new ClientRequestBroker(bus, options.clientRequestTimeoutMs ?? 30_000),
        loggingEnabled,
        report,
      },
      report,
      tasks: options.tasks?.(store, bus),
    };
    this.#dispatcher = new Dispatcher(this.#deps, bus);
    this.#sessions = new ClientSessions(options.requestState, options.sessionTtlMs);
  }

  registerTool<In extends SchemaInput | undefined = undefined>(name: string, config: ToolConfig<In>, handler: ToolHandler<In>): { remove(): void } {
    if ((config.taskSupport ?? 'forbidden') !== 'forbidden' && !this.#deps.tasks) {
      throw new TypeError(`Tool "${name}" has taskSupport "${config.taskSupport}", but this server runs no tasks: createServer({ ..., tasks: tasks() }), with import { tasks } from 'stateless-mcp'.`);
    }
    return this.#catalog.addTool(compileTool(name, config as ToolConfig, handler as ToolHandler<unknown>, this.#options.toJsonSchema));
  }

  registerResource(name: string, uri: string, config: ResourceConfig, handler: ResourceHandler): { remove(): void };
  registerResource(name: string, template: ResourceTemplate, config: ResourceConfig, handler: TemplateHandler): { remove(): void };
  registerResource(name: string, target: string | ResourceTemplate, config: ResourceConfig, handler: ResourceHandler | TemplateHandler): { remove(): void } {
    // Not instanceof: naming the class here would bundle URI templates into every server.
    if (typeof target !== 'string') {
      if (typeof target?.matcher?.match !== 'function') throw new TypeError(`registerResource("${name}"): expected a URI string or a ResourceTemplate, e.g. new ResourceTemplate('users://{id}').`);
      return this.#catalog.addTemplate(compileTemplate(name, target, config, handler as TemplateHandler));
    }
    return this.#catalog.addResource(compileResource(name, target, config, handler as ResourceHandler));
  }

  registerPrompt<Args extends SchemaInput | undefined = undefined>(name: string, config: PromptConfig<Args>, handler: PromptHandler<Args>): { remove(): void } {
    return this.#catalog.addPrompt(compilePrompt(name, config as PromptConfig, handler as PromptHandler<unknown>, this.#options.toJsonSchema));
  }

  /** Tells every `subscriptions/listen` stream that asked for it (on every instance sharing the bus). */
  notify(event: ServerEvent): Promise<void> {
    return this.#catalog.publish(event);
  }

  /** A registered tool as faces other than MCP see it (the REST face and its OpenAPI document). */
  tool(name: string): RegisteredTool | undefined {
    return this.#catalog.tools.get(name);
  }

  /** `x-mcp-header` parameters of a tool, for the HTTP layer's header checks. */
  headerParams(toolName: string): CompiledTool['headerParams'] | undefined {
    return this.#catalog.tools.get(toolName)?.headerParams;
  }

  /** The shared Store (or the in-memory default): for the HTTP layer's rate limits and readiness check. */
  get store(): Store {
    return this.#deps.round.store;
  }

  /** The shared Bus (or the in-memory default): for the HTTP layer's readiness check. */
  get bus(): Bus {
    return this.#bus;
  }

  /** Answers one request. Never throws: protocol failures come back as JSON-RPC errors. */
  async handle(request: JsonRpcRequest, env: RequestEnv): Promise<JsonRpcResponse> {
    return (await this.dispatch(request, env)).response;
  }

  /** Like `handle`, and says why a request was refused, for a transport that maps refusals to statuses. */
  dispatch(request: JsonRpcRequest, env: RequestEnv): Promise<Dispatched> {
    return this.#dispatcher.dispatch(request, env);
  }

  /** Client notifications change nothing on a stateless server; they are accepted and dropped. */
  handleNotification(_notification: JsonRpcNotification): void {}

  /**
   * 2025 lane: the Mcp-Session-Id to send with a successful `initialize` result: what the client
   * declared in `params`, sealed with the negotiated version and bound to `principal`.
   */
  issueSession(params: JsonObject, result: JsonObject, principal?: Principal): Promise<string> {
    return this.#sessions.issue(negotiated(params, result), principal?.subject);
  }

  /** 2025 lane: what an Mcp-Session-Id says the client negotiated, or why it says nothing (then 404). */
  openSession(id: string, principal?: Principal): Promise<ClientSession | SessionFailure> {
    return this.#sessions.open(id, principal?.subject);
  }

  /** 2025 lane: routes a client's response to the handler waiting for it, on whichever instance it runs. */
  deliverResponse(response: JsonRpcResponse): Promise<boolean> {
    return this.#deps.round.broker.deliver(response);
  }
}

/** Creates a server. Register tools, resources and prompts on it once, at module scope. */
export function createServer(options: ServerOptions): McpServer {
  return new McpServer(options);
}
