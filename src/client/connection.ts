// Maps each request onto independent POSTs in the server's era. 2026-07-28 first (the
// `server/discover` probe): a recognised modern error keeps the modern lane (-32022 → retry with a
// supported version), a 400/404/405 without one falls back to `initialize` (MCP 2026-07-28 specification, basic/transports,
// "Backward Compatibility"). The era is remembered per endpoint. MRTR rounds run here.
import { ErrorCode, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import { NAME_FIELD } from '../protocol/methods.ts';
import { MODERN_VERSION, MetaKey } from '../protocol/revisions.ts';
import type { LogLevel } from '../protocol/revisions.ts';
import type { Implementation } from '../protocol/types.ts';
import { traceClientCall } from '../otel/client.ts';
import { McpClientError, abortError } from './errors.ts';
import { encodeHeaderValue } from './header-values.ts';
import { failureError, postMessage, readFailure } from './http-exchange.ts';
import type { Endpoint, RetryPolicy } from './http-exchange.ts';
import { answerInputRequest, answerInputRequests, capabilitiesFor } from './input-handlers.ts';
import type { InputContext, InputHandlers } from './input-handlers.ts';
import { LEGACY_OFFERS, LegacySession, SessionExpired } from './legacy-session.ts';
import { PARTIAL_RESULTS_CAPABILITY } from '../protocol/partial-results.ts';
import { CallTracker } from './call-tracker.ts';
import type { RequestOptions, StreamRequestOptions, ToolCallOptions } from './request-options.ts';
import { rpcError } from './rpc-error.ts';
import { awaitResponse } from './rpc-stream.ts';
import type { Era } from './types.ts';

export interface ConnectionOptions {
  endpoint: Endpoint;
  clientInfo: Implementation;
  handlers: InputHandlers;
  era: 'auto' | Era;
  eraMemory: Map<string, Era>;
  timeoutMs: number;
  retry: RetryPolicy | undefined;
  logLevel: LogLevel | undefined;
  maxInputRounds: number;
  onNotification(message: JsonRpcNotification): void;
  /** Failures that have no caller to reject (the 2025 session's GET stream). */
  onWarning(message: string): void;
}

/** Methods that exist only in 2026-07-28. */
const MODERN_ONLY = new Set(['server/discover', 'subscriptions/listen']);
/** Codes that only a modern server sends with any id (SEP-2243, SEP-2575). */
const MODERN_CODES = new Set<number>([ErrorCode.HeaderMismatch, ErrorCode.MissingRequiredClientCapability, ErrorCode.UnsupportedProtocolVersion]);

/** Internal: the server is not a 2026-07-28 server; the request goes again on the 2025 lane. */
class LegacyFallback extends Error {}

interface Exchanged {
  response: JsonRpcResponse;
  status: number;
}

export class Connection {
  readonly #options: ConnectionOptions;
  readonly #memoryKey: string;
  #era: Era | undefined;
  #probe: Promise<Era> | undefined;
  #probeResult: JsonObject | undefined;
  #legacy: Promise<LegacySession> | undefined;
  #nextId = 0;
  #nextProgress = 0;
  #nextPartial = 0;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    const { url } = options.endpoint;
    // Keyed by endpoint: two MCP endpoints on one origin (/v1/mcp, /v2/mcp) may differ in era.
    this.#memoryKey = url.origin + url.pathname;
    this.#era = options.era === 'auto' ? options.eraMemory.get(this.#memoryKey) : options.era;
  }

  get era(): Era | undefined {
    return this.#era;
  }

  /** The `server/discover` result the era probe obtained, once. */
  takeProbeResult(): JsonObject | undefined {
    const result = this.#probeResult;
    this.#probeResult = undefined;
    return result;
  }

  async legacySession(signal: AbortSignal, retry?: RetryPolicy): Promise<LegacySession> {
    const handlers = this.#options.handlers;
    const deps = {
      endpoint: this.#options.endpoint,
      nextId: () => ++this.#nextId,
      clientInfo: this.#options.clientInfo,
      capabilities: capabilitiesFor(handlers),
      standalone: {
        notification: (message: JsonRpcNotification) => this.#options.onNotification(message),
        answer: (request: JsonRpcRequest, closed: AbortSignal) => answerInputRequest(handlers, request.method, request.params, { signal: closed, method: 'session', name: undefined }),
        warn: (message: string) => this.#options.onWarning(message),
      },
    };
    this.#legacy ??= LegacySession.open(deps, signal, retry ?? this.#options.retry).catch((error: unknown) => {
      this.#legacy = undefined;
      throw error;
    });
    return this.#legacy;
  }

  async close(): Promise<void> {
    // Safe to drop: a session that failed to open has nothing to close, and its failure went to the call that opened it.
    const session = await this.#legacy?.catch(() => undefined);
    this.#legacy = undefined;
    await session?.close();
  }

  #setEra(era: Era): Era {
    this.#era = era;
    this.#options.eraMemory.set(this.#memoryKey, era);
    return era;
  }

  /** Runs `work` under the caller's signal and the call's time limit. */
  async withSignal<T>(what: string, options: RequestOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const limit = options.timeoutMs ?? this.#options.timeoutMs;
    const signals = [options.signal, limit > 0 ? AbortSignal.timeout(limit) : undefined].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 0 ? new AbortController().signal : AbortSignal.any(signals);
    try {
      return await work(signal);
    } catch (error) {
      if (signal.aborted && !(error instanceof McpClientError && (error.code === 'ABORTED' || error.code === 'TIMEOUT'))) throw abortError(signal, what);
      throw error;
    }
  }

  async ensureEra(signal: AbortSignal, retry?: RetryPolicy): Promise<Era> {
    if (this.#era) return this.#era;
    this.#probe ??= this.#runProbe(signal, retry).finally(() => (this.#probe = undefined));
    return this.#probe;
  }

  async #runProbe(signal: AbortSignal, retry?: RetryPolicy): Promise<Era> {
    try {
      const { response, status } = await this.#exchange('server/discover', {}, { retry }, this.#options.handlers, this.#track({}), signal);
      // -32022 naming only revisions newer than ours: a modern server we cannot speak to.
      if ('error' in response && response.error.code === ErrorCode.UnsupportedProtocolVersion) throw rpcError('server/discover', response.error, status);
      const result = 'result' in response ? response.result : undefined;
      // A 2xx that is not a DiscoverResult (a legacy server echoing `{}`) is no modern evidence.
      if (!result || !Array.isArray(result.supportedVersions)) return this.#setEra('legacy');
      if (!result.supportedVersions.includes(MODERN_VERSION)) return this.#setEra('legacy');
      this.#probeResult = result;
      return this.#setEra('modern');
    } catch (error) {
      if (error instanceof LegacyFallback) return this.#setEra('legacy');
      throw error;
    }
  }

  /** One request, in whichever era the server speaks; resolves with its complete result. */
  request(method: string, params: JsonObject, options: StreamRequestOptions & ToolCallOptions = {}): Promise<JsonObject> {
    // Traced when the application registered an OpenTelemetry SDK: the trace context rides in `_meta`.
    return traceClientCall(method, params, this.#options.endpoint.url, options.meta, (meta) => this.#request(method, params, meta === options.meta ? options : { ...options, meta }));
  }

  #request(method: string, params: JsonObject, options: StreamRequestOptions & ToolCallOptions): Promise<JsonObject> {
    return this.withSignal(method, options, async (signal) => {
      const retry = options.retry ?? this.#options.retry;
      if ((await this.ensureEra(signal, retry)) === 'modern') {
        try {
          return await this.#modern(method, params, options, signal);
        } catch (error) {
          if (!(error instanceof LegacyFallback) || this.#options.era === 'modern') {
            if (error instanceof LegacyFallback) throw new McpClientError('UNSUPPORTED_VERSION', `${this.#options.endpoint.url.href} did not answer as a ${MODERN_VERSION} server (${error.message}); use era "auto" to fall back to 2025 revisions.`);
            throw error;
          }
          this.#setEra('legacy');
        }
      }
      if (MODERN_ONLY.has(method)) {
        const session = await this.legacySession(signal, retry);
        throw new McpClientError('UNSUPPORTED_VERSION', `${method} needs protocol ${MODERN_VERSION}; the server speaks ${session.protocolVersion}.`);
      }
      return this.#legacyRequest(method, params, options, signal);
    });
  }

  #track(options: ToolCallOptions): CallTracker {
    return new CallTracker(options, options.onProgress ? `progress-${++this.#nextProgress}` : undefined, this.#options);
  }

  #context(method: string, params: JsonObject, signal: AbortSignal): InputContext {
    const name = params.name ?? params.uri;
    return { signal, method, name: typeof name === 'string' ? name : undefined };
  }

  async #modern(method: string, params: JsonObject, options: StreamRequestOptions & ToolCallOptions, signal: AbortSignal): Promise<JsonObject> {
    const handlers = { ...this.#options.handlers, ...options.handlers };
    const tracked = this.#track(options);
    let answers: JsonObject = {};
    for (let round = 0; ; round++) {
      const { response, status } = await this.#exchange(method, { ...params, ...answers }, options, handlers, tracked, signal);
      if ('error' in response) throw rpcError(method, response.error, status);
      const result = response.result;
      // MRTR: a result without resultType is complete.
      if (result.resultType !== 'input_required') return result;
      const { inputRequests, requestState } = result;
      if (!isJsonObject(inputRequests) && typeof requestState !== 'string') {
        throw new McpClientError('INVALID_RESPONSE', `${method}: an input_required result needs inputRequests or requestState.`);
      }
      if (round + 1 >= this.#options.maxInputRounds) {
        throw new McpClientError('INPUT_REQUIRED', `${method} still asked for input after ${round + 1} rounds; giving up (raise maxInputRounds if this is expected).`);
      }
      // The retry carries the original params, the answers and the exact requestState; nothing else.
      answers = {};
      if (isJsonObject(inputRequests)) answers.inputResponses = await answerInputRequests(handlers, inputRequests, this.#context(method, params, signal));
      if (typeof requestState === 'string') answers.requestState = requestState;
    }
  }

  /** One POST on the 2026 lane (plus a version retry, and re-issues of a broken stream for safe requests). */
  async #exchange(method: string, params: JsonObject, options: StreamRequestOptions, handlers: InputHandlers, tracked: CallTracker, signal: AbortSignal): Promise<Exchanged> {
    const { endpoint } = this.#options;
    const retry = options.retry ?? this.#options.retry;
    let version = MODERN_VERSION;
    let versionRetried = false;
    for (let reissues = 0; ; ) {
      const id = ++this.#nextId;
      const capabilities = capabilitiesFor(handlers);
      // A fresh token per request: each request's pieces are numbered from 0.
      const partials = tracked.partials?.begin(`partial-${++this.#nextPartial}`);
      if (partials) capabilities[PARTIAL_RESULTS_CAPABILITY] = {};
      const meta: JsonObject = {
        ...options.meta,
        ...partials,
        [MetaKey.protocolVersion]: version,
        [MetaKey.clientCapabilities]: capabilities,
        [MetaKey.clientInfo]: this.#options.clientInfo,
      };
      const level = options.logLevel ?? this.#options.logLevel;
      if (level) meta[MetaKey.logLevel] = level;
      if (tracked.progressToken !== undefined) meta.progressToken = tracked.progressToken;
      const headers: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': method, ...options.headers };
      const field = NAME_FIELD[method];
      const name = field === undefined ? undefined : params[field];
      if (typeof name === 'string') headers['mcp-name'] = encodeHeaderValue(name);

      const response = await postMessage(endpoint, { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } }, headers, signal, retry);
      if (!response.ok) {
        const failure = await readFailure(response, endpoint.maxMessageBytes);
        const { rpc, status } = failure;
        if (rpc?.code === ErrorCode.UnsupportedProtocolVersion && !versionRetried) {
          const supported = isJsonObject(rpc.data) && Array.isArray(rpc.data.supported) ? rpc.data.supported : [];
          versionRetried = true;
          if (supported.includes(MODERN_VERSION)) continue;
          if (supported.some((v) => (LEGACY_OFFERS as readonly unknown[]).includes(v))) throw new LegacyFallback(`it offers ${supported.join(', ')}`);
        }
        if (rpc && (rpc.id === id || MODERN_CODES.has(rpc.code))) return { response: { jsonrpc: '2.0', id, error: rpc }, status };
        if (status === 400 || status === 404 || status === 405) throw new LegacyFallback(`HTTP ${status} without a ${MODERN_VERSION} error body`);
        throw failureError(failure, endpoint.url);
      }
      if (response.status === 202) throw new McpClientError('INVALID_RESPONSE', `The server answered ${method} with 202 Accepted and no result.`);
      const answer = await awaitResponse(options.idle?.observe(response) ?? response, id, { notification: (message) => tracked.deliver(message) }, endpoint.maxMessageBytes);
      if (answer) return { response: answer, status: response.status };
      // 2026-07-28: a broken stream loses the request; only a new request with a new id recovers it.
      if (retry?.safe && reissues++ < retry.attempts) continue;
      throw new McpClientError('STREAM_ENDED', `The server closed the stream for ${method} before sending its result.${retry?.safe ? '' : ' Pass retry: { attempts, safe: true } if the call is safe to repeat.'}`);
    }
  }

  async #legacyRequest(method: string, params: JsonObject, options: ToolCallOptions, signal: AbortSignal): Promise<JsonObject> {
    const handlers = { ...this.#options.handlers, ...options.handlers };
    const tracked = this.#track(options);
    const retry = options.retry ?? this.#options.retry;
    const context = this.#context(method, params, signal);
    for (let attempt = 0; ; attempt++) {
      const session = await this.legacySession(signal, retry);
      // 2025 revisions have no per-request capabilities: the token alone opts in.
      const meta: JsonObject = { ...options.meta, ...tracked.partials?.begin(`partial-${++this.#nextPartial}`) };
      if (tracked.progressToken !== undefined) meta.progressToken = tracked.progressToken;
      const body = Object.keys(meta).length > 0 ? { ...params, _meta: meta } : params;
      try {
        const response = await session.request(method, body, {
          signal,
          retry,
          notification: (message) => tracked.deliver(message),
          answer: (request) => answerInputRequest(handlers, request.method, request.params, context),
        });
        if ('error' in response) throw rpcError(method, response.error);
        return response.result;
      } catch (error) {
        // 404 for our session id: the server ended the session; initialize again, once.
        if (!(error instanceof SessionExpired) || attempt > 0) throw error;
        this.#legacy = undefined;
      }
    }
  }
}
