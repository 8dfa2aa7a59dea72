// The 2025 lane (2025-11-25, 2025-06-18, 2025-03-26): `initialize`, then requests carrying the
// negotiated version and, only if the server issued one, its `Mcp-Session-Id`. Server-to-client
// requests arrive on a response stream and are answered by POSTing the response; a stream that
// closes early is resumed with GET and `Last-Event-ID` after the server's `retry` (SEP-1699).
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import type { ClientCapabilities, Implementation } from '../protocol/types.ts';
import { McpClientError, abortError } from './errors.ts';
import { delay, failureError, getStream, postMessage, readFailure } from './http-exchange.ts';
import type { Endpoint, RetryPolicy } from './http-exchange.ts';
import type { StreamCursor } from './message-reader.ts';
import { awaitResponse } from './rpc-stream.ts';
import { serverInfo } from './result-shapes.ts';

/** Offered in turn until the server accepts one (the newest first). */
export const LEGACY_OFFERS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
const ACCEPTED = new Set<string>([...LEGACY_OFFERS, '2024-11-05']);
const MAX_RESUMES = 5;
const DEFAULT_RETRY_MS = 1_000;

export interface LegacyDeps {
  endpoint: Endpoint;
  nextId(): number;
  clientInfo: Implementation;
  capabilities: ClientCapabilities;
  /** Messages on the session's GET stream, which belong to no request of ours; `warn` hears why it failed, having no caller. */
  standalone: Pick<LegacyCall, 'notification' | 'answer'> & { warn(message: string): void };
}

export interface LegacyCall {
  signal: AbortSignal;
  retry?: RetryPolicy;
  notification(message: JsonRpcNotification): void | Promise<void>;
  /** Answers a server-to-client request (elicitation, sampling, roots). */
  answer(request: JsonRpcRequest, signal: AbortSignal): Promise<JsonObject>;
}

/** The server forgot the session (404): the caller initializes again and repeats the request. */
export class SessionExpired extends Error {}

export class LegacySession {
  readonly protocolVersion: string;
  readonly sessionId: string | undefined;
  readonly initializeResult: JsonObject;
  readonly #deps: LegacyDeps;
  readonly #closed = new AbortController();

  private constructor(deps: LegacyDeps, result: JsonObject, sessionId: string | undefined) {
    this.#deps = deps;
    this.initializeResult = result;
    this.protocolVersion = String(result.protocolVersion);
    this.sessionId = sessionId;
  }

  static async open(deps: LegacyDeps, signal: AbortSignal, retry?: RetryPolicy): Promise<LegacySession> {
    let last: McpClientError | undefined;
    for (const offer of LEGACY_OFFERS) {
      const id = deps.nextId();
      const params = { protocolVersion: offer, capabilities: deps.capabilities, clientInfo: deps.clientInfo };
      const response = await postMessage(deps.endpoint, { jsonrpc: '2.0', id, method: 'initialize', params }, {}, signal, retry);
      if (!response.ok) {
        last = failureError(await readFailure(response, deps.endpoint.maxMessageBytes), deps.endpoint.url);
        // A server that refuses the offered version says so with 400 or a JSON-RPC error; try an older one.
        if (response.status === 400 || last.code === 'PROTOCOL_ERROR') continue;
        throw last;
      }
      const answer = await awaitResponse(response, id, { notification: () => undefined }, deps.endpoint.maxMessageBytes);
      if (!answer) throw new McpClientError('STREAM_ENDED', 'The server closed the initialize stream without a result.');
      if ('error' in answer) {
        last = new McpClientError('PROTOCOL_ERROR', `initialize failed: ${answer.error.message}`, { rpcCode: answer.error.code, data: answer.error.data });
        continue;
      }
      const version = answer.result.protocolVersion;
      if (typeof version !== 'string' || !ACCEPTED.has(version)) {
        throw new McpClientError('UNSUPPORTED_VERSION', `The server answered initialize with protocol version ${JSON.stringify(version)}; this client speaks 2026-07-28 and ${LEGACY_OFFERS.join(', ')}.`);
      }
      // Stateless 2025 servers issue no session id; keep one only when the server sets it.
      const session = new LegacySession(deps, answer.result, response.headers.get('mcp-session-id') ?? undefined);
      await session.#notify({ jsonrpc: '2.0', method: 'notifications/initialized' }, signal);
      // A session server may send requests unrelated to any POST (or ones its SDK routes that way) on
      // the GET stream; a sessionless server has nowhere to route them, so it gets no GET.
      if (session.sessionId !== undefined) void session.#listen();
      return session;
    }
    throw new McpClientError('UNSUPPORTED_VERSION', `The server accepted none of the offered protocol versions (2026-07-28, ${LEGACY_OFFERS.join(', ')}). ${last?.message ?? ''}`.trim(), { cause: last });
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = { 'mcp-protocol-version': this.protocolVersion };
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    return headers;
  }

  async #notify(message: JsonRpcNotification | JsonRpcResponse, signal: AbortSignal): Promise<void> {
    const response = await postMessage(this.#deps.endpoint, message, this.#headers(), signal);
    if (!response.ok) throw failureError(await readFailure(response, this.#deps.endpoint.maxMessageBytes), this.#deps.endpoint.url);
    await response.body?.cancel().catch(() => undefined); // the 202 has no body worth reading; this only releases the connection
  }

  /** Answers a server-to-client request by POSTing the JSON-RPC response (the server replies 202). */
  async #reply(request: JsonRpcRequest, answer: LegacyCall['answer'], signal: AbortSignal): Promise<void> {
    let reply: JsonRpcResponse;
    try {
      reply = { jsonrpc: '2.0', id: request.id, result: request.method === 'ping' ? {} : await answer(request, signal) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply = { jsonrpc: '2.0', id: request.id, error: { code: -32601, message } };
    }
    await this.#notify(reply, signal);
  }

  /** The GET stream has no caller to reject: its failures go to the client's onWarning (none after close()). */
  #warn(what: string, error: unknown): void {
    if (this.#closed.signal.aborted) return;
    this.#deps.standalone.warn(`${what}: ${error instanceof Error ? error.message : 'unknown failure'}`);
  }

  /** The session's GET stream, resumed with Last-Event-ID after the server's retry until close(). */
  async #listen(): Promise<void> {
    const signal = this.#closed.signal;
    const cursor: StreamCursor = {};
    const { notification, answer } = this.#deps.standalone;
    const reply = (request: JsonRpcRequest) => this.#reply(request, answer, signal).catch((error: unknown) => this.#warn(`Could not answer the server's ${request.method} request from the session stream`, error));
    const listener = { notification, request: reply };
    for (let failures = 0; failures < MAX_RESUMES && !signal.aborted; ) {
      const headers: Record<string, string> = this.#headers();
      if (cursor.lastEventId !== undefined) headers['last-event-id'] = cursor.lastEventId;
      const response = await getStream(this.#deps.endpoint, headers, signal).catch((error: unknown) => this.#warn("The session's GET stream could not be opened, so server messages outside a request will not arrive", error));
      // 405 (or anything but a stream): the server offers no GET stream, which it may.
      if (!response?.ok || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        await response?.body?.cancel().catch(() => undefined); // only releases the connection
        return;
      }
      const before = cursor.lastEventId;
      // No request id matches this stream: responses on it are ignored, the rest handed on.
      await awaitResponse(response, '\u0000standalone', listener, this.#deps.endpoint.maxMessageBytes, cursor).catch((error: unknown) => this.#warn("The session's GET stream failed; resuming it", error));
      failures = cursor.lastEventId === before ? failures + 1 : 0;
      await delay(cursor.retryMs ?? DEFAULT_RETRY_MS, signal).catch(() => undefined); // rejects only when close() aborts, which ends the loop
    }
  }

  async request(method: string, params: JsonObject, call: LegacyCall): Promise<JsonRpcResponse> {
    const id = this.#deps.nextId();
    const { signal } = call;
    const listener = { notification: call.notification, request: (request: JsonRpcRequest) => this.#reply(request, call.answer, signal) };
    try {
      const response = await postMessage(this.#deps.endpoint, { jsonrpc: '2.0', id, method, params }, this.#headers(), signal, call.retry);
      if (response.status === 404 && this.sessionId !== undefined) throw new SessionExpired();
      if (!response.ok) {
        const failure = await readFailure(response, this.#deps.endpoint.maxMessageBytes);
        if (failure.rpc && failure.rpc.id === id) return { jsonrpc: '2.0', id, error: failure.rpc };
        throw failureError(failure, this.#deps.endpoint.url);
      }
      const cursor: StreamCursor = {};
      let answer = await awaitResponse(response, id, listener, this.#deps.endpoint.maxMessageBytes, cursor);
      for (let resumes = 0; !answer && cursor.lastEventId !== undefined && resumes < MAX_RESUMES; resumes++) {
        await delay(cursor.retryMs ?? DEFAULT_RETRY_MS, signal);
        const resumed = await getStream(this.#deps.endpoint, { ...this.#headers(), 'last-event-id': cursor.lastEventId }, signal);
        if (!resumed.ok) throw failureError(await readFailure(resumed, this.#deps.endpoint.maxMessageBytes), this.#deps.endpoint.url);
        answer = await awaitResponse(resumed, id, listener, this.#deps.endpoint.maxMessageBytes, cursor);
      }
      if (!answer) throw new McpClientError('STREAM_ENDED', `The server closed the stream for ${method} before sending its result. Retry the call.`);
      return answer;
    } catch (error) {
      // 2025: a disconnect is not a cancel; the server learns of it from notifications/cancelled.
      if (signal.aborted) {
        const cancel = { jsonrpc: '2.0' as const, method: 'notifications/cancelled', params: { requestId: id, reason: 'The client aborted the request.' } };
        // Best effort: the caller gets ABORTED either way, and a server that misses it finishes a result nobody reads.
        await this.#notify(cancel, AbortSignal.timeout(2_000)).catch(() => undefined);
        throw abortError(signal, method);
      }
      throw error;
    }
  }

  /** Ends the session if the server issued one (DELETE; servers may answer 405). */
  async close(): Promise<void> {
    this.#closed.abort();
    if (this.sessionId === undefined) return;
    const headers = new Headers(this.#deps.endpoint.headers);
    for (const [name, value] of Object.entries(this.#headers())) headers.set(name, value);
    const token = await this.#deps.endpoint.token?.();
    if (token) headers.set('authorization', `Bearer ${token}`);
    // Best effort, as the spec allows servers to refuse it (405): a session not deleted expires on the server.
    const response = await this.#deps.endpoint.fetch(this.#deps.endpoint.url, { method: 'DELETE', headers, signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    // Only frees the connection: a body that cannot be cancelled is already gone.
    await response?.body?.cancel().catch(() => undefined);
  }

  describe() {
    const result = this.initializeResult;
    return {
      capabilities: isJsonObject(result.capabilities) ? result.capabilities : {},
      serverInfo: serverInfo('initialize', result, result.serverInfo),
      instructions: typeof result.instructions === 'string' ? result.instructions : undefined,
    };
  }
}
