// The authoring API and the stateless dispatcher: registrations compile once; each message is then
// parsed params → handler → result, with no per-request server, transport or validator.
import { createRequestStateSealer } from '../mrtr/request-state.ts';
import type { RequestStateOptions } from '../mrtr/request-state.ts';
import { formatIssues } from '../schema/compile.ts';
import type { SchemaInput, ToJsonSchema, ValidationResult } from '../schema/compile.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../protocol/json-depth.ts';
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import { missingScopes } from '../protocol/principal.ts';
import type { Principal } from '../protocol/principal.ts';
import type { JsonObject, JsonRpcErrorObject, JsonRpcId, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import { LEGACY_VERSIONS, MODERN_VERSION, MetaKey, isLegacyVersion, isLogLevel } from '../protocol/revisions.ts';
import type { CallToolResult, Icon, Implementation } from '../protocol/types.ts';
import { MemoryBus, MemoryStore } from '../store/memory.ts';
import { StoreUnavailableError } from '../store/store.ts';
import type { Bus, ServerEvent, Store } from '../store/store.ts';
import { ClientRequestBroker } from './client-requests.ts';
import { ClientSessions, MAX_SESSION_BYTES } from './client-session.ts';
import type { ClientSession, SessionFailure } from './client-session.ts';
import { createHandlerContext } from './context.ts';
import type { HandlerContext } from './context.ts';
import { InputRoundEndedError } from './input-requests.ts';
import { runRound } from './input-round.ts';
import type { Promotion, RoundDeps, RoundOutcome } from './input-round.ts';
import { openMemo } from './idempotency.ts';
import { ScopeRequiredError } from './outcome.ts';
import type { Dispatched, Refusal } from './outcome.ts';
import { PartialResults, drainGenerator, isAsyncGenerator, partialResultToken } from './partial-results.ts';
import { listen } from './listen.ts';
import { TASKS_EXTENSION, declaresTasks, missingTasksCapability } from './tasks.ts';
import type { Tasks, TasksExtension } from './tasks.ts';
import type { RequestEnv } from './outbox.ts';
import { decodeCursor, pageAt, pageOf } from './pagination.ts';
import { compilePrompt, compileResource, compileTemplate, compileTool } from './registry.ts';
import type { ResourceTemplate } from './registry.ts';
import type {
  Completer,
  Gated,
  CompiledPrompt,
  CompiledResource,
  CompiledTemplateEntry,
  CompiledTool,
  PromptConfig,
  PromptHandler,
  RegisteredTool,
  ResourceConfig,
  ResourceHandler,
  TemplateHandler,
  ToolConfig,
  ToolHandler,
} from './registry.ts';

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
  onError?: (error: unknown, info: { method: string; requestId: JsonRpcId }) => void;
}

export interface Capabilities extends JsonObject {}

type Method = (request: JsonRpcRequest, params: JsonObject, env: RequestEnv) => Promise<JsonObject>;

function invalidParams(message: string, data?: unknown): McpError {
  return new McpError(ErrorCode.InvalidParams, message, data);
}

function requireString(params: JsonObject, field: string, what: string): string {
  const value = params[field];
  if (typeof value !== 'string' || value === '') throw invalidParams(`params.${field} must be a non-empty string naming the ${what}.`);
  return value;
}

/** Prompt arguments, and completion context arguments, are strings by name (server/prompts, server/utilities/completion). */
function requireStrings(value: JsonObject, what: string): Record<string, string> {
  for (const name of Object.keys(value)) {
    if (typeof value[name] !== 'string') throw invalidParams(`${what} must map argument names to strings; ${JSON.stringify(name)} is not a string.`);
  }
  return value as Record<string, string>;
}

/** A completer the prompt or template registered for this argument: own entries only, never what every object inherits. */
function completerFor(completers: Readonly<Record<string, Completer>>, argument: string): Completer | undefined {
  return Object.hasOwn(completers, argument) ? completers[argument] : undefined;
}

export class McpServer {
  readonly info: Implementation;
  readonly #options: ServerOptions;
  readonly #tools = new Map<string, CompiledTool>();
  readonly #resources = new Map<string, CompiledResource>();
  readonly #templates: CompiledTemplateEntry[] = [];
  readonly #prompts = new Map<string, CompiledPrompt>();
  readonly #round: RoundDeps;
  readonly #sessions: ClientSessions;
  readonly #bus: Bus;
  readonly #tasks: Tasks | undefined;
  readonly #pageSize: number;
  readonly #cache: { ttlMs: number; cacheScope: 'public' | 'private' };
  /** A Map: a client's method name must never find what a plain object inherits (`constructor`, `__proto__`). */
  readonly #methods: ReadonlyMap<string, Method>;
  readonly #listCache = new Map<string, JsonObject>();
  #serving = false;
  #capsCache: Partial<Record<'modern' | 'legacy', Capabilities>> = {};

  constructor(options: ServerOptions) {
    if (!options?.name || !options.version) throw new TypeError('createServer needs { name, version }, e.g. createServer({ name: "my-server", version: "1.0.0" }).');
    this.#options = options;
    const { name, version, title, description, websiteUrl, icons } = options;
    this.info = JSON.parse(JSON.stringify({ name, version, title, description, websiteUrl, icons }));
    this.#bus = options.bus ?? new MemoryBus();
    this.#pageSize = options.pageSize ?? 100;
    this.#cache = { ttlMs: options.cache?.ttlMs ?? 0, cacheScope: options.cache?.cacheScope ?? 'public' };
    const store = options.store ?? new MemoryStore();
    this.#tasks = options.tasks?.(store, this.#bus);
    this.#round = {
      sealer: createRequestStateSealer(options.requestState),
      store,
      broker: new ClientRequestBroker(this.#bus, options.clientRequestTimeoutMs ?? 30_000),
      loggingEnabled: options.logging !== false,
    };
    this.#sessions = new ClientSessions(options.requestState, options.sessionTtlMs);
    this.#methods = new Map<string, Method>([
      ['server/discover', async () => this.#discover()],
      ['initialize', async (_req, params) => this.#initialize(params)],
      ['ping', async () => ({})],
      [
        'logging/setLevel',
        async (_req, params) => {
          if (!isLogLevel(params.level)) throw invalidParams('params.level must be one of debug, info, notice, warning, error, critical, alert, emergency.');
          return {};
        },
      ],
      ['tools/list', async (_req, params, env) => this.#list('tools', [...this.#tools.values()], params, env)],
      ['tools/call', (req, params, env) => this.#callTool(req, params, env)],
      ['resources/list', (_req, params, env) => this.#listResources(params, env)],
      ['resources/templates/list', async (_req, params, env) => this.#list('resourceTemplates', this.#templates, params, env)],
      ['resources/read', (req, params, env) => this.#readResource(req, params, env)],
      ['resources/subscribe', async (_req, params) => (requireString(params, 'uri', 'resource'), {})],
      ['resources/unsubscribe', async (_req, params) => (requireString(params, 'uri', 'resource'), {})],
      ['prompts/list', async (_req, params, env) => this.#list('prompts', [...this.#prompts.values()], params, env)],
      ['prompts/get', (req, params, env) => this.#getPrompt(req, params, env)],
      ['completion/complete', (req, params, env) => this.#complete(req, params, env)],
      ['subscriptions/listen', (req, params, env) => listen(req.id, params, env, this.#bus, this.#capabilities(env.era))],
      ['tasks/get', async (_req, params, env) => this.#tasks!.get(params.taskId, this.#taskOwner(params, env))],
      ['tasks/update', async (_req, params, env) => this.#tasks!.update(params.taskId, params.inputResponses, this.#taskOwner(params, env))],
      ['tasks/cancel', async (_req, params, env) => this.#tasks!.cancel(params.taskId, this.#taskOwner(params, env))],
    ]);
  }

  registerTool<In extends SchemaInput | undefined = undefined>(name: string, config: ToolConfig<In>, handler: ToolHandler<In>): { remove(): void } {
    if (this.#tools.has(name)) throw new TypeError(`Tool "${name}" is already registered; tool names must be unique.`);
    if ((config.taskSupport ?? 'forbidden') !== 'forbidden' && !this.#tasks) {
      throw new TypeError(`Tool "${name}" has taskSupport "${config.taskSupport}", but this server runs no tasks: createServer({ ..., tasks: tasks() }), with import { tasks } from 'stateless-mcp'.`);
    }
    this.#tools.set(name, compileTool(name, config as ToolConfig, handler as ToolHandler<unknown>, this.#options.toJsonSchema));
    return this.#changed('tools/list_changed', () => this.#tools.delete(name));
  }

  registerResource(name: string, uri: string, config: ResourceConfig, handler: ResourceHandler): { remove(): void };
  registerResource(name: string, template: ResourceTemplate, config: ResourceConfig, handler: TemplateHandler): { remove(): void };
  registerResource(name: string, target: string | ResourceTemplate, config: ResourceConfig, handler: ResourceHandler | TemplateHandler): { remove(): void } {
    // Not instanceof: naming the class here would bundle URI templates into every server.
    if (typeof target !== 'string') {
      if (typeof target?.matcher?.match !== 'function') throw new TypeError(`registerResource("${name}"): expected a URI string or a ResourceTemplate, e.g. new ResourceTemplate('users://{id}').`);
      const entry = compileTemplate(name, target, config, handler as TemplateHandler);
      this.#templates.push(entry);
      return this.#changed('resources/list_changed', () => this.#templates.splice(this.#templates.indexOf(entry), 1));
    }
    if (this.#resources.has(target)) throw new TypeError(`Resource "${target}" is already registered.`);
    this.#resources.set(target, compileResource(name, target, config, handler as ResourceHandler));
    return this.#changed('resources/list_changed', () => this.#resources.delete(target));
  }

  registerPrompt<Args extends SchemaInput | undefined = undefined>(name: string, config: PromptConfig<Args>, handler: PromptHandler<Args>): { remove(): void } {
    if (this.#prompts.has(name)) throw new TypeError(`Prompt "${name}" is already registered; prompt names must be unique.`);
    this.#prompts.set(name, compilePrompt(name, config as PromptConfig, handler as PromptHandler<unknown>, this.#options.toJsonSchema));
    return this.#changed('prompts/list_changed', () => this.#prompts.delete(name));
  }

  /** Tells every `subscriptions/listen` stream that asked for it (on every instance sharing the bus). */
  notify(event: ServerEvent): Promise<void> {
    if (event.type !== 'resources/updated') this.#listCache.clear();
    return this.#bus.publish(event);
  }

  /** A registered tool as faces other than MCP see it (the REST face and its OpenAPI document). */
  tool(name: string): RegisteredTool | undefined {
    return this.#tools.get(name);
  }

  /** `x-mcp-header` parameters of a tool, for the HTTP layer's header checks. */
  headerParams(toolName: string): CompiledTool['headerParams'] | undefined {
    return this.#tools.get(toolName)?.headerParams;
  }

  /** The shared Store (or the in-memory default): for the HTTP layer's rate limits and readiness check. */
  get store(): Store {
    return this.#round.store;
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
  async dispatch(request: JsonRpcRequest, env: RequestEnv): Promise<Dispatched> {
    this.#serving = true;
    const method = this.#methods.get(request.method);
    try {
      if (!method || !this.#offers(request.method, env)) {
        throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${request.method}. Call server/discover (or initialize on 2025 revisions) to see what this server offers.`);
      }
      // Handlers, validators and requestState digests walk params recursively: bound them first.
      if (nestsDeeperThan(request.params)) {
        throw invalidParams(`Invalid params: they nest more than ${MAX_JSON_DEPTH} levels deep, deeper than this server reads. Send flatter arguments.`);
      }
      const result = await method(request, request.params ?? {}, env);
      return { response: { jsonrpc: '2.0', id: request.id, result: this.#finish(result, env) } };
    } catch (error) {
      return this.#failure(error, request);
    }
  }

  /** Client notifications change nothing on a stateless server; they are accepted and dropped. */
  handleNotification(_notification: JsonRpcNotification): void {}

  /**
   * 2025 lane: the Mcp-Session-Id to send with a successful `initialize` result: what the client
   * declared in `params`, sealed with the negotiated version and bound to `principal`.
   */
  issueSession(params: JsonObject, result: JsonObject, principal?: Principal): Promise<string> {
    const session: ClientSession = { protocolVersion: result.protocolVersion as string, capabilities: isJsonObject(params.capabilities) ? params.capabilities : {} };
    if (isJsonObject(params.clientInfo)) session.clientInfo = params.clientInfo as unknown as ClientSession['clientInfo'];
    return this.#sessions.issue(session, principal?.subject);
  }

  /** 2025 lane: what an Mcp-Session-Id says the client negotiated, or why it says nothing (then 404). */
  openSession(id: string, principal?: Principal): Promise<ClientSession | SessionFailure> {
    return this.#sessions.open(id, principal?.subject);
  }

  /** 2025 lane: routes a client's response to the handler waiting for it, on whichever instance it runs. */
  deliverResponse(response: JsonRpcResponse): Promise<boolean> {
    return this.#round.broker.deliver(response);
  }

  #changed(event: 'tools/list_changed' | 'resources/list_changed' | 'prompts/list_changed', remove: () => void): { remove(): void } {
    this.#listsChanged(event);
    return {
      remove: () => {
        remove();
        this.#listsChanged(event);
      },
    };
  }

  // Registrations at module scope happen on every instance at boot: announcing those would make
  // each cold start ping every listener, so only changes after the first request are published.
  #listsChanged(event: 'tools/list_changed' | 'resources/list_changed' | 'prompts/list_changed'): void {
    this.#listCache.clear();
    this.#capsCache = {};
    // Nobody awaits this publish: a bus outage must reach onError, not crash the process.
    if (this.#serving) this.notify({ type: event }).catch((error: unknown) => this.#reportError(error, { jsonrpc: '2.0', id: 0, method: event }));
  }

  #offers(method: string, env: RequestEnv): boolean {
    const modern = env.era === 'modern';
    if (modern ? LEGACY_ONLY.has(method) : method === 'server/discover' || method === 'subscriptions/listen') return false;
    const area = method.slice(0, method.indexOf('/'));
    const caps = this.#capabilities(env.era);
    if (area === 'tools' || area === 'prompts' || area === 'resources') return caps[area] !== undefined;
    if (area === 'completion') return caps.completions !== undefined;
    if (area === 'tasks') return modern && isJsonObject(caps.extensions) && caps.extensions[TASKS_EXTENSION] !== undefined;
    if (area === 'logging') return caps.logging !== undefined;
    return true;
  }

  #capabilities(era: 'modern' | 'legacy'): Capabilities {
    return (this.#capsCache[era] ??= this.#computeCapabilities(era));
  }

  #computeCapabilities(era: 'modern' | 'legacy'): Capabilities {
    const caps: Capabilities = {};
    // 2025 lane: there is no GET stream to carry list_changed, so it is not promised there.
    const listChanged = era === 'modern';
    if (this.#tools.size > 0) caps.tools = { listChanged };
    if (this.#prompts.size > 0) caps.prompts = { listChanged };
    if (this.#resources.size > 0 || this.#templates.length > 0) caps.resources = { subscribe: true, listChanged };
    if (this.#prompts.size > 0 || this.#templates.length > 0) caps.completions = {};
    if (this.#round.loggingEnabled) caps.logging = {};
    if (era === 'modern' && [...this.#tools.values()].some((tool) => tool.taskSupport !== 'forbidden')) caps.extensions = { [TASKS_EXTENSION]: {} };
    return caps;
  }

  #finish(result: JsonObject, env: RequestEnv): JsonObject {
    if (env.era === 'legacy') return result;
    const meta = isJsonObject(result._meta) ? result._meta : {};
    return { ...result, resultType: result.resultType ?? 'complete', _meta: { ...meta, [MetaKey.serverInfo]: this.info } };
  }

  /** The one mapping from a thrown error to the wire, and to the refusal the transport reports. */
  #failure(error: unknown, request: JsonRpcRequest): Dispatched {
    const respond = (wire: JsonRpcErrorObject, refusal?: Refusal): Dispatched => ({ response: { jsonrpc: '2.0', id: request.id, error: wire }, refusal });
    if (error instanceof ScopeRequiredError) return respond(error.toJSON(), error.refusal);
    if (error instanceof McpError) return respond(error.toJSON());
    this.#reportError(error, request);
    if (error instanceof StoreUnavailableError) {
      return respond({ code: ErrorCode.InternalError, message: 'Service unavailable: the shared store cannot be reached right now; retry shortly.', data: { reason: 'unavailable' } }, { kind: 'unavailable' });
    }
    return respond({ code: ErrorCode.InternalError, message: 'Internal error: the server failed while handling this request. Retrying may help; if not, report it to the server operator.' });
  }

  #reportError(error: unknown, request: JsonRpcRequest): void {
    try {
      (this.#options.onError ?? logError)(error, { method: request.method, requestId: request.id });
    } catch {
      // An onError hook that throws must not turn a handled failure into a crash.
    }
  }

  #cacheFields(env: RequestEnv, personal = false): JsonObject {
    if (env.era !== 'modern') return {};
    return { ttlMs: this.#cache.ttlMs, cacheScope: personal ? 'private' : this.#cache.cacheScope };
  }

  #discover(): JsonObject {
    const result: JsonObject = {
      supportedVersions: [MODERN_VERSION],
      capabilities: this.#capabilities('modern'),
      ttlMs: this.#cache.ttlMs,
      cacheScope: this.#cache.cacheScope,
    };
    if (this.#options.instructions) result.instructions = this.#options.instructions;
    return result;
  }

  #initialize(params: JsonObject): JsonObject {
    const { capabilities, clientInfo } = params;
    if (capabilities !== undefined && !isJsonObject(capabilities)) throw invalidParams('params.capabilities must be an object naming what the client supports, e.g. {"elicitation": {}}.');
    if (clientInfo !== undefined && !isJsonObject(clientInfo)) throw invalidParams('params.clientInfo must be an object such as {"name": "my-client", "version": "1.0.0"}.');
    // Both travel in the session id on every later request, so they must stay small.
    let size: number;
    try {
      size = new TextEncoder().encode(JSON.stringify({ capabilities, clientInfo })).length;
    } catch {
      throw invalidParams('params.capabilities or params.clientInfo is nested too deeply; send plain objects.');
    }
    if (size > MAX_SESSION_BYTES) {
      throw invalidParams(`params.capabilities and params.clientInfo take ${size} bytes; the session id that carries them holds at most ${MAX_SESSION_BYTES}. Leave out experimental capabilities and long descriptions.`);
    }
    const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : '';
    const result: JsonObject = {
      protocolVersion: isLegacyVersion(requested) ? requested : LEGACY_VERSIONS[0],
      capabilities: this.#capabilities('legacy'),
      serverInfo: this.info,
    };
    if (this.#options.instructions) result.instructions = this.#options.instructions;
    return result;
  }

  #list(key: string, items: readonly Gated[], params: JsonObject, env: RequestEnv): JsonObject {
    // A list that depends on the caller's scopes is neither shared between callers nor cached here.
    const personal = env.principal !== undefined && items.some((item) => item.scopes.length > 0);
    // Keyed by the offset the cursor names: decoding first refuses a cursor we did not issue.
    const offset = decodeCursor(params.cursor);
    const cacheKey = `${key}|${env.era}|${offset}`;
    const cached = personal ? undefined : this.#listCache.get(cacheKey);
    if (cached) return cached;
    const visible = personal ? items.filter((item) => this.#allows(item, env)) : items;
    const page = pageAt(visible, offset, this.#pageSize);
    const result: JsonObject = { [key]: page.items.map((item) => item.definition), ...this.#cacheFields(env, personal) };
    if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
    if (!personal) this.#listCache.set(cacheKey, result);
    return result;
  }

  #allows(item: Gated, env: RequestEnv): boolean {
    return item.scopes.length === 0 || env.principal === undefined || missingScopes(env.principal.scopes, item.scopes, this.#options.scopeCovers).length === 0;
  }

  /** Scopes bind only when an auth gate established a principal; without one there is nothing to check. */
  #gate(item: Gated, env: RequestEnv, what: string): void {
    if (this.#allows(item, env)) return;
    throw new ScopeRequiredError(what, item.scopes);
  }

  async #listResources(params: JsonObject, env: RequestEnv): Promise<JsonObject> {
    const listing = this.#templates.filter((t) => t.template.list && this.#allows(t, env));
    if (listing.length === 0) return this.#list('resources', [...this.#resources.values()], params, env);
    const ctx = this.#plainContext('resources/list', 0, params, env);
    const dynamic = await Promise.all(listing.map((t) => t.template.list!(ctx)));
    const statics = [...this.#resources.values()].filter((r) => this.#allows(r, env));
    const items = statics.map((r) => r.definition).concat(dynamic.flat() as unknown as JsonObject[]);
    const page = pageOf(items, params.cursor, this.#pageSize);
    const personal = env.principal !== undefined && [...this.#resources.values(), ...this.#templates].some((r) => r.scopes.length > 0);
    const result: JsonObject = { resources: page.items, ...this.#cacheFields(env, personal) };
    if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
    return result;
  }

  #plainContext(method: string, requestId: JsonRpcId, params: JsonObject, env: RequestEnv): HandlerContext {
    const meta: JsonObject = isJsonObject(params._meta) ? params._meta : {};
    return createHandlerContext({ env, requestId, method, meta, signal: () => env.signal, round: undefined, broker: this.#round.broker, loggingEnabled: this.#round.loggingEnabled, state: undefined });
  }

  #inputRequired<T>(outcome: RoundOutcome<T>, complete: (value: T) => JsonObject | Promise<JsonObject>): JsonObject | Promise<JsonObject> {
    if (outcome.kind === 'complete') return complete(outcome.value);
    if (outcome.kind === 'task') return { ...outcome.created, resultType: 'task' };
    return { resultType: 'input_required', inputRequests: outcome.inputRequests, requestState: outcome.requestState };
  }

  /** tasks/* only for clients that declared the extension on this request (MUST, -32021 otherwise). */
  #taskOwner(params: JsonObject, env: RequestEnv): string | undefined {
    const meta = isJsonObject(params._meta) ? params._meta : {};
    if (!declaresTasks(meta[MetaKey.clientCapabilities])) throw missingTasksCapability('This method');
    return env.principal?.subject;
  }

  /** Whether and how soon this call may become a task; -32021 when it must and the client cannot. */
  #promotion(tool: CompiledTool, request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promotion<CallToolResult> | undefined {
    if (tool.taskSupport === 'forbidden') return undefined;
    const meta = isJsonObject(params._meta) ? params._meta : {};
    if (env.era !== 'modern' || !declaresTasks(meta[MetaKey.clientCapabilities])) {
      if (tool.taskSupport === 'required') throw missingTasksCapability(`Tool "${tool.name}"`);
      return undefined;
    }
    const tasks = this.#tasks!;
    return {
      tasks,
      afterMs: tool.taskSupport === 'required' ? 0 : tasks.promoteAfterMs,
      always: tool.taskSupport === 'required',
      settle: (result) => this.#checkToolResult(tool, result, request),
      report: (error) => this.#reportError(error, request),
    };
  }

  async #callTool(request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
    const name = requireString(params, 'name', 'tool');
    const tool = this.#tools.get(name);
    if (!tool) throw invalidParams(`Unknown tool "${name}". Call tools/list to see the available tools.`);
    this.#gate(tool, env, `tool "${name}"`);
    const raw = params.arguments ?? {};
    if (!isJsonObject(raw)) return toolError(`Invalid arguments for tool "${name}": arguments must be a JSON object.`);
    let args: unknown = raw;
    if (tool.input) {
      // Most validators answer synchronously: awaiting only a promise saves a microtask per call.
      const pending = tool.input.validate(raw);
      const checked = pending instanceof Promise ? await pending : pending;
      if (!checked.ok) return toolError(`Invalid arguments for tool "${name}":\n${formatIssues(checked.issues)}`);
      args = checked.value;
    }
    const memo = tool.idempotency ? await openMemo(this.#round.store, name, raw, env.idempotencyKey, env.principal?.subject, tool.idempotency) : undefined;
    if (memo?.replayed) return memo.replayed;
    const partials = new PartialResults(env.outbox, partialResultToken(isJsonObject(params._meta) ? params._meta : {}, env.era));
    const invoke = async (ctx: HandlerContext): Promise<CallToolResult> => {
      try {
        const returned = tool.handler(args as never, ctx);
        return partials.fold(isAsyncGenerator(returned) ? await drainGenerator(returned, (piece) => ctx.partial(piece), ctx.signal) : await returned);
      } catch (error) {
        // An MRTR run abandoned after input_required unwinds this way: no failure to report.
        if (error instanceof InputRoundEndedError) throw error;
        // 2025 has no -32021: there, a tool that asked for what the client never declared reports
        // it as a tool error, as the official 1.x SDK does, so the model reads why.
        const undeclared = error instanceof McpError && error.code === ErrorCode.MissingRequiredClientCapability && ctx.era === 'legacy';
        if (error instanceof McpError && !undeclared) throw error;
        this.#reportError(error, request);
        // A tool that throws becomes an isError result the model can read; only the message travels.
        return partials.fold(toolError(error instanceof Error && error.message ? error.message : `Tool "${name}" failed.`) as CallToolResult);
      }
    };
    // Anything else that fails here (the store, sealing) is the server's problem: a generic -32603.
    const outcome = await runRound(this.#round, { env, requestId: request.id, method: request.method, name, args: raw, params, partials }, invoke, this.#promotion(tool, request, params, env));
    if (outcome.kind !== 'complete' || !memo) return this.#inputRequired(outcome, (result) => this.#checkToolResult(tool, result, request));
    const result = await this.#checkToolResult(tool, outcome.value, request);
    await memo.remember(result);
    return result;
  }

  /** A tool's broken promise about its output is the server's bug: the operator hears of it too. */
  #toolFault(request: JsonRpcRequest, message: string): McpError {
    const error = new McpError(ErrorCode.InternalError, message);
    this.#reportError(error, request);
    return error;
  }

  /** Synchronous unless an outputSchema validates asynchronously: most calls skip a promise here. */
  #checkToolResult(tool: CompiledTool, result: CallToolResult, request: JsonRpcRequest): JsonObject | Promise<JsonObject> {
    if (!isJsonObject(result)) throw new McpError(ErrorCode.InternalError, `Tool "${tool.name}" returned no result object.`);
    const out: JsonObject = { ...result, content: result.content ?? [] };
    // Tools SHOULD mirror structured results as text for clients that only read content.
    if (result.structuredContent !== undefined && (out.content as unknown[]).length === 0) {
      out.content = [{ type: 'text', text: JSON.stringify(result.structuredContent) }];
    }
    if (!tool.output || result.isError) return out;
    if (result.structuredContent === undefined) {
      throw this.#toolFault(request, `Tool "${tool.name}" declares an outputSchema but returned no structuredContent.`);
    }
    const verdict = (checked: ValidationResult): JsonObject => {
      if (checked.ok) return out;
      throw this.#toolFault(request, `Tool "${tool.name}" returned structuredContent that does not match its outputSchema:\n${formatIssues(checked.issues)}`);
    };
    const checked = tool.output.validate(result.structuredContent);
    return checked instanceof Promise ? checked.then(verdict) : verdict(checked);
  }

  async #readResource(request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
    const uri = requireString(params, 'uri', 'resource');
    const exact = this.#resources.get(uri);
    let invoke: ((ctx: HandlerContext) => Promise<unknown>) | undefined;
    if (exact) {
      this.#gate(exact, env, `resource ${uri}`);
      invoke = async (ctx) => exact.handler(new URL(uri), ctx);
    } else {
      for (const entry of this.#templates) {
        const variables = entry.matcher.match(uri);
        if (variables) {
          this.#gate(entry, env, `resource ${uri}`);
          invoke = async (ctx) => entry.handler(new URL(uri), variables, ctx);
          break;
        }
      }
    }
    if (!invoke) {
      // SEP-2164: 2026 reports an unknown resource as InvalidParams; 2025 used -32002.
      const code = env.era === 'modern' ? ErrorCode.InvalidParams : ErrorCode.ResourceNotFound;
      throw new McpError(code, `Resource not found: ${uri}. Call resources/list or resources/templates/list to see what can be read.`, { uri });
    }
    const outcome = await this.#guard(request, () => runRound(this.#round, { env, requestId: request.id, method: request.method, name: uri, args: { uri }, params }, invoke));
    return this.#inputRequired(outcome, (value) => ({ ...this.#cacheFields(env), ...(value as JsonObject) }));
  }

  async #getPrompt(request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
    const name = requireString(params, 'name', 'prompt');
    const prompt = this.#prompts.get(name);
    if (!prompt) throw invalidParams(`Unknown prompt "${name}". Call prompts/list to see the available prompts.`);
    this.#gate(prompt, env, `prompt "${name}"`);
    const raw = params.arguments ?? {};
    if (!isJsonObject(raw)) throw invalidParams(`Invalid arguments for prompt "${name}": arguments must be an object of strings.`);
    requireStrings(raw, `Invalid arguments for prompt "${name}": arguments`);
    let args: unknown = raw;
    if (prompt.args) {
      const checked = await prompt.args.validate(raw);
      if (!checked.ok) throw invalidParams(`Invalid arguments for prompt "${name}":\n${formatIssues(checked.issues)}`);
      args = checked.value;
    }
    const outcome = await this.#guard(request, () => runRound(this.#round, { env, requestId: request.id, method: request.method, name, args: raw, params }, async (ctx) => prompt.handler(args as never, ctx)));
    return this.#inputRequired(outcome, (value) => value as unknown as JsonObject);
  }

  async #complete(request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
    const ref = params.ref;
    const argument = params.argument;
    if (!isJsonObject(ref) || !isJsonObject(argument) || typeof argument.name !== 'string' || typeof argument.value !== 'string') {
      throw invalidParams('completion/complete needs params.ref ({type:"ref/prompt",name} or {type:"ref/resource",uri}) and params.argument {name, value}.');
    }
    let completers: Readonly<Record<string, Completer>>;
    if (ref.type === 'ref/prompt') {
      const name = ref.name;
      if (typeof name !== 'string') throw invalidParams('params.ref.name must be a string naming the prompt whose argument to complete.');
      const prompt = this.#prompts.get(name);
      if (!prompt) throw invalidParams(`Unknown prompt "${name}" in completion ref. Call prompts/list to see the available prompts.`);
      this.#gate(prompt, env, `prompt "${prompt.name}"`);
      completers = prompt.complete;
    } else if (ref.type === 'ref/resource') {
      const uri = ref.uri;
      if (typeof uri !== 'string') throw invalidParams('params.ref.uri must be a string: the URI template whose variable to complete.');
      const template = this.#templates.find((t) => t.template.uriTemplate === uri);
      if (!template) throw invalidParams(`Unknown resource template "${uri}" in completion ref. Call resources/templates/list to see the available templates.`);
      this.#gate(template, env, `resource template ${template.template.uriTemplate}`);
      completers = template.template.complete;
    } else {
      throw invalidParams('params.ref.type must be "ref/prompt" or "ref/resource".');
    }
    const completer = completerFor(completers, argument.name);
    const context = isJsonObject(params.context) && isJsonObject(params.context.arguments) ? requireStrings(params.context.arguments, 'params.context.arguments') : {};
    const values = completer
      ? await this.#guard(request, () => Promise.resolve(completer(argument.value as string, { arguments: context }, this.#plainContext(request.method, request.id, params, env))))
      : [];
    const completion: JsonObject = { values: values.slice(0, 100) };
    if (values.length > 100) Object.assign(completion, { total: values.length, hasMore: true });
    return { completion };
  }

  /** Runs a non-tool handler: an unexpected throw becomes a generic -32603, its cause goes to onError. */
  async #guard<T>(request: JsonRpcRequest, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof McpError) throw error;
      this.#reportError(error, request);
      throw new McpError(ErrorCode.InternalError, `Internal error while handling ${request.method}; the server operator can find the cause in its logs.`);
    }
  }
}

/** The default `onError`: our own errors by message, anything else with its stack. */
function logError(error: unknown, info: { method: string; requestId: JsonRpcId }): void {
  const detail = error instanceof McpError ? error.message : error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error);
  console.error(`stateless-mcp: ${info.method} (request ${JSON.stringify(info.requestId)}) failed: ${detail}`);
}

const LEGACY_ONLY: ReadonlySet<string> = new Set(['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);

function toolError(text: string): JsonObject {
  return { content: [{ type: 'text', text }], isError: true };
}

/** Creates a server. Register tools, resources and prompts on it once, at module scope. */
export function createServer(options: ServerOptions): McpServer {
  return new McpServer(options);
}

