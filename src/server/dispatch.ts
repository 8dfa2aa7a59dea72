// Dispatch: one request → the method that answers it, with the era gating, the one mapping from a
// thrown error to the wire (and to the refusal a transport reports), and the finishing of results.
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../protocol/json-depth.ts';
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcErrorObject, JsonRpcRequest } from '../protocol/jsonrpc.ts';
import { MetaKey, isLogLevel } from '../protocol/revisions.ts';
import { StoreUnavailableError } from '../store/store.ts';
import type { Bus } from '../store/store.ts';
import { offersTasks } from './catalog.ts';
import { complete } from './completion.ts';
import type { MethodDeps } from './deps.ts';
import { discover, initialize } from './lifecycle.ts';
import { listen } from './listen.ts';
import type { RequestEnv } from './outbox.ts';
import { ScopeRequiredError } from './outcome.ts';
import type { Dispatched, Refusal } from './outcome.ts';
import { invalidParams, metaOf, requireString } from './params.ts';
import { getPrompt } from './prompts.ts';
import { listResources, readResource } from './resources.ts';
import { declaresTasks, missingTasksCapability } from './tasks.ts';
import { callTool } from './tool-calls.ts';

type Method = (request: JsonRpcRequest, params: JsonObject, env: RequestEnv) => Promise<JsonObject>;

const LEGACY_ONLY: ReadonlySet<string> = new Set(['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);

/** tasks/* only for clients that declared the extension on this request (MUST, -32021 otherwise). */
function taskOwner(params: JsonObject, env: RequestEnv): string | undefined {
  if (!declaresTasks(metaOf(params)[MetaKey.clientCapabilities])) throw missingTasksCapability('This method');
  return env.principal?.subject;
}

/** The method table, built once: a Map, so a client's method name never finds what a plain object inherits. */
function methodTable(deps: MethodDeps, bus: Bus): ReadonlyMap<string, Method> {
  const { catalog, lists } = deps;
  return new Map<string, Method>([
    ['server/discover', async () => discover(deps)],
    ['initialize', async (_req, params) => initialize(deps, params)],
    ['ping', async () => ({})],
    [
      'logging/setLevel',
      async (_req, params) => {
        if (!isLogLevel(params.level)) throw invalidParams('params.level must be one of debug, info, notice, warning, error, critical, alert, emergency.');
        return {};
      },
    ],
    ['tools/list', async (_req, params, env) => lists.page('tools', catalog.toolList(), params.cursor, env)],
    ['tools/call', (req, params, env) => callTool(deps, req, params, env)],
    ['resources/list', (req, params, env) => listResources(deps, req, params, env)],
    ['resources/templates/list', async (_req, params, env) => lists.page('resourceTemplates', catalog.templates, params.cursor, env)],
    ['resources/read', (req, params, env) => readResource(deps, req, params, env)],
    ['resources/subscribe', async (_req, params) => (requireString(params, 'uri', 'resource'), {})],
    ['resources/unsubscribe', async (_req, params) => (requireString(params, 'uri', 'resource'), {})],
    ['prompts/list', async (_req, params, env) => lists.page('prompts', catalog.promptList(), params.cursor, env)],
    ['prompts/get', (req, params, env) => getPrompt(deps, req, params, env)],
    ['completion/complete', (req, params, env) => complete(deps, req, params, env)],
    ['subscriptions/listen', (req, params, env) => listen(req.id, params, env, bus, catalog.capabilities(env.era))],
    // tasks/* are offered only with the tasks capability, which needs the extension (see #offers).
    ['tasks/get', async (_req, params, env) => deps.tasks!.get(params.taskId, taskOwner(params, env))],
    ['tasks/update', async (_req, params, env) => deps.tasks!.update(params.taskId, params.inputResponses, taskOwner(params, env))],
    ['tasks/cancel', async (_req, params, env) => deps.tasks!.cancel(params.taskId, taskOwner(params, env))],
  ]);
}

export class Dispatcher {
  readonly #deps: MethodDeps;
  readonly #methods: ReadonlyMap<string, Method>;
  readonly #serverMeta: JsonObject;

  constructor(deps: MethodDeps, bus: Bus) {
    this.#deps = deps;
    this.#serverMeta = Object.freeze({ [MetaKey.serverInfo]: deps.info });
    this.#methods = methodTable(deps, bus);
  }

  /** Answers one request. Never throws: protocol failures come back as JSON-RPC errors. */
  async dispatch(request: JsonRpcRequest, env: RequestEnv): Promise<Dispatched> {
    this.#deps.catalog.serving();
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

  /** Era gating: each lane sees only its own methods, and only those the capabilities offer. */
  #offers(method: string, env: RequestEnv): boolean {
    const modern = env.era === 'modern';
    if (modern ? LEGACY_ONLY.has(method) : method === 'server/discover' || method === 'subscriptions/listen') return false;
    const area = method.slice(0, method.indexOf('/'));
    const caps = this.#deps.catalog.capabilities(env.era);
    if (area === 'tools' || area === 'prompts' || area === 'resources') return caps[area] !== undefined;
    if (area === 'completion') return caps.completions !== undefined;
    if (area === 'tasks') return modern && offersTasks(caps);
    if (area === 'logging') return caps.logging !== undefined;
    return true;
  }

  /** 2026 results say they are complete and which server answered. */
  #finish(result: JsonObject, env: RequestEnv): JsonObject {
    if (env.era === 'legacy') return result;
    // Most results carry no _meta of their own: those share one (frozen) instead of a copy each.
    const meta = isJsonObject(result._meta) ? { ...result._meta, [MetaKey.serverInfo]: this.#deps.info } : this.#serverMeta;
    return { ...result, resultType: result.resultType ?? 'complete', _meta: meta };
  }

  /** The one mapping from a thrown error to the wire, and to the refusal the transport reports. */
  #failure(error: unknown, request: JsonRpcRequest): Dispatched {
    const respond = (wire: JsonRpcErrorObject, refusal?: Refusal): Dispatched => ({ response: { jsonrpc: '2.0', id: request.id, error: wire }, refusal });
    if (error instanceof ScopeRequiredError) return respond(error.toJSON(), error.refusal);
    if (error instanceof McpError) return respond(error.toJSON());
    this.#deps.report(error, request.method, request.id);
    if (error instanceof StoreUnavailableError) {
      return respond({ code: ErrorCode.InternalError, message: 'Service unavailable: the shared store cannot be reached right now; retry shortly.', data: { reason: 'unavailable' } }, { kind: 'unavailable' });
    }
    return respond({ code: ErrorCode.InternalError, message: 'Internal error: the server failed while handling this request. Retrying may help; if not, report it to the server operator.' });
  }
}
