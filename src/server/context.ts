// The context a tool, resource or prompt handler receives: cancellation, progress, logging,
// input requests and what the request declared. Built per request from a RequestEnv.
import { ErrorCode, McpError } from '../protocol/jsonrpc.ts';
import type { JsonRpcId } from '../protocol/jsonrpc.ts';
import { LOG_LEVELS, MetaKey } from '../protocol/revisions.ts';
import type { Era, LogLevel } from '../protocol/revisions.ts';
import type {
  ClientCapabilities,
  ContentBlock,
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestParams,
  ElicitResult,
  Implementation,
  ListRootsResult,
} from '../protocol/types.ts';
import type { Cancellation } from './cancellation.ts';
import type { ClientRequestBroker } from './client-requests.ts';
import { requireClientCapability } from './input-requests.ts';
import type { InputMethod, InputRound } from './input-requests.ts';
import type { PartialContent, PartialOptions, PartialResults } from './partial-results.ts';
import type { Principal } from '../protocol/principal.ts';
import type { RequestEnv } from './outbox.ts';

export interface HandlerContext {
  /**
   * Aborted when the client closes the response stream (2026: that is cancellation) or the time
   * limit passes; on 2026-07-28 also, with an `InputRoundEndedError`, once this run's unanswered
   * ask has ended the round with `input_required`.
   */
  readonly signal: AbortSignal;
  readonly requestId: JsonRpcId;
  readonly method: string;
  readonly era: Era;
  readonly protocolVersion: string;
  /** The request's `_meta`, as sent. */
  readonly meta: Readonly<Record<string, unknown>>;
  /**
   * What the client declared: on this request (2026), or at initialize (2025 lane, read from the
   * Mcp-Session-Id the request carries; undefined when it carries none).
   */
  readonly clientCapabilities: ClientCapabilities | undefined;
  readonly clientInfo: Implementation | undefined;
  readonly headers: Headers;
  /** The verified caller, when an authentication layer runs in front. */
  readonly principal: Principal | undefined;
  /** Data stored with `setState` in an earlier round of this MRTR exchange. */
  readonly state: unknown;
  setState(data: unknown): void;
  /** Sends `notifications/progress` when the client asked for it; values must increase. */
  progress(progress: number, total?: number, message?: string): void;
  /** Sends `notifications/message` when the request opted in (2026: `_meta` logLevel). */
  log(level: LogLevel, data: unknown, logger?: string): void;
  /**
   * Asks the user (2026-07-28: MRTR, keyed by `key` or by call order; 2025: a server request).
   * On 2026-07-28 an ask this round cannot answer ends the round with `input_required`: the
   * client's retry runs the handler again with the answer, and this run unwinds, its pending ask
   * rejecting with `InputRoundEndedError` (as do `sample` and `listRoots`). Clean up in `finally`.
   * Rejects at once with an McpError of code -32021 (MissingRequiredClientCapability) when the
   * client did not declare the capability it needs.
   */
  elicit(params: ElicitRequestParams, key?: string): Promise<ElicitResult>;
  sample(params: CreateMessageRequestParams, key?: string): Promise<CreateMessageResult>;
  listRoots(key?: string): Promise<ListRootsResult>;
  /**
   * Tool handlers: emits one piece of the result now (partial results, following the SEP-2998
   * draft; see partial-results.ts). The piece is also kept for the final result, which is always
   * complete. Resolves once the piece is written and the client has room for more; rejects with
   * the cancellation reason once the call is cancelled.
   */
  partial(content: ContentBlock | readonly ContentBlock[], structuredContent?: Record<string, unknown>, options?: PartialOptions): Promise<void>;
  /**
   * Tasks extension: turns this call into a task now (for tools registered with taskSupport
   * "optional"); the client gets a CreateTaskResult and the rest runs in the background. Asks made
   * before it are answered through MRTR, asks after it through tasks/update. A no-op when the
   * call cannot become a task.
   */
  startTask(): Promise<void>;
}

export interface ContextSources {
  env: RequestEnv;
  requestId: JsonRpcId;
  method: string;
  meta: Record<string, unknown>;
  /** Derives the handler's signal; undefined: the handler cannot outlive the request, and has its signal. */
  cancellation: Cancellation | undefined;
  round: InputRound | undefined;
  broker: ClientRequestBroker;
  loggingEnabled: boolean;
  state: unknown;
  /** The pieces of a tools/call; other handlers have none. */
  partials?: PartialResults;
}

function logThreshold(sources: ContextSources): number {
  if (!sources.loggingEnabled) return Infinity;
  // 2025 lane: logging/setLevel was session-scoped, and a sealed session id cannot change after
  // initialize, so every level goes out.
  if (sources.env.era === 'legacy') return 0;
  const level = sources.meta[MetaKey.logLevel];
  return typeof level === 'string' ? LOG_LEVELS.indexOf(level as LogLevel) : Infinity;
}

/**
 * The context as a class: its methods live on the prototype, so a call allocates one object
 * instead of a dozen closures.
 */
class Context implements HandlerContext {
  readonly #sources: ContextSources;
  readonly #threshold: number;
  #lastProgress = -Infinity;
  nextState: unknown;
  readonly requestId: JsonRpcId;
  readonly method: string;
  readonly era: Era;
  readonly protocolVersion: string;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly clientCapabilities: ClientCapabilities | undefined;
  readonly clientInfo: Implementation | undefined;
  readonly headers: Headers;
  readonly principal: Principal | undefined;
  readonly state: unknown;

  constructor(sources: ContextSources) {
    const { env, meta } = sources;
    this.#sources = sources;
    this.#threshold = logThreshold(sources);
    this.nextState = sources.state;
    this.requestId = sources.requestId;
    this.method = sources.method;
    this.era = env.era;
    this.protocolVersion = env.protocolVersion;
    this.meta = meta;
    this.clientCapabilities = env.era === 'modern' ? (meta[MetaKey.clientCapabilities] as ClientCapabilities) : env.session?.capabilities;
    this.clientInfo = env.era === 'modern' ? (meta[MetaKey.clientInfo] as Implementation | undefined) : env.session?.clientInfo;
    this.headers = env.headers;
    this.principal = env.principal;
    this.state = sources.state;
  }

  get signal(): AbortSignal {
    const { cancellation, env } = this.#sources;
    return cancellation ? cancellation.signal : env.signal;
  }

  setState(data: unknown): void {
    this.nextState = data;
  }

  progress(progress: number, total?: number, message?: string): void {
    const progressToken = this.meta.progressToken;
    // Progress MUST increase and MUST stop once the request completes.
    if (progressToken === undefined || this.signal.aborted || !(progress > this.#lastProgress)) return;
    this.#lastProgress = progress;
    const params: Record<string, unknown> = { progressToken, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    this.#sources.env.outbox.send({ jsonrpc: '2.0', method: 'notifications/progress', params });
  }

  log(level: LogLevel, data: unknown, logger?: string): void {
    if (this.signal.aborted || LOG_LEVELS.indexOf(level) < this.#threshold) return;
    const params: Record<string, unknown> = { level, data };
    if (logger !== undefined) params.logger = logger;
    this.#sources.env.outbox.send({ jsonrpc: '2.0', method: 'notifications/message', params });
  }

  elicit(params: ElicitRequestParams, key?: string): Promise<ElicitResult> {
    return this.#ask('elicitation/create', { ...params }, key) as Promise<ElicitResult>;
  }

  sample(params: CreateMessageRequestParams, key?: string): Promise<CreateMessageResult> {
    return this.#ask('sampling/createMessage', { ...params }, key) as Promise<CreateMessageResult>;
  }

  listRoots(key?: string): Promise<ListRootsResult> {
    return this.#ask('roots/list', undefined, key) as Promise<ListRootsResult>;
  }

  partial(content: PartialContent, structuredContent?: Record<string, unknown>, options?: PartialOptions): Promise<void> {
    const partials = this.#sources.partials;
    if (!partials) return Promise.reject(new TypeError(`ctx.partial streams a tool's result; ${this.method} has no partial results.`));
    return partials.emit(content, structuredContent, options, this.signal);
  }

  startTask(): Promise<void> {
    return this.#sources.round?.startTask() ?? Promise.resolve();
  }

  #ask(method: InputMethod, params: Record<string, unknown> | undefined, key: string | undefined): Promise<unknown> {
    const { env, round, broker } = this.#sources;
    const signal = this.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    if (round === undefined) {
      try {
        if (env.era === 'legacy') requireNegotiated(method, params, env);
      } catch (error) {
        return Promise.reject(error);
      }
      return broker.request(env.outbox, method, params, signal);
    }
    requireClientCapability(method, params, this.clientCapabilities);
    return round.ask(round.keyFor(method, key), params === undefined ? { method } : { method, params });
  }
}

/**
 * 2025 lane: a server may use only capabilities negotiated at initialize (MCP 2025-11-25,
 * basic/lifecycle), which the request's session holds. Without one nothing is known to be
 * negotiated, so nothing is asked: a client that cannot answer would leave the handler waiting.
 */
function requireNegotiated(method: InputMethod, params: Record<string, unknown> | undefined, env: RequestEnv): void {
  const session = env.session;
  // Elicitation arrived in 2025-06-18: an older client would receive a method it cannot know.
  if (method === 'elicitation/create' && (session?.protocolVersion === '2025-03-26' || session?.protocolVersion === '2024-11-05')) {
    throw new McpError(ErrorCode.MissingRequiredClientCapability, `This client speaks MCP ${session.protocolVersion}, which has no elicitation; it needs 2025-06-18 or later.`, { requiredCapabilities: { elicitation: {} } });
  }
  const declareIn = session
    ? 'the capabilities of initialize (then use the new Mcp-Session-Id)'
    : 'the capabilities of initialize, and send the Mcp-Session-Id it returns on every request (this request carried none)';
  requireClientCapability(method, params, session?.capabilities, declareIn);
}

export function createHandlerContext(sources: ContextSources): HandlerContext & { readonly nextState: unknown } {
  return new Context(sources);
}
