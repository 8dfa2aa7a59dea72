// A Transport for the official SDK's `Client` (1.x and 2.x; the interface is structural, so no SDK
// import): each message is one POST through our exchange layer (headers, auth, JSON/SSE/JSON Lines
// readers). The SDK keeps the protocol: `_meta`, MRTR, initialize. The transport adds what it owns:
// header mirroring (incl. Mcp-Param-* learned from tools/list), the session id a 2025 server
// issues, and the session's GET stream.
import { ErrorCode, classifyMessage, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcId, JsonRpcMessage, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import { NAME_FIELD } from '../protocol/methods.ts';
import { MetaKey } from '../protocol/revisions.ts';
import { McpClientError } from './errors.ts';
import { encodeHeaderValue } from './header-values.ts';
import { failureError, getStream, postMessage, readFailure } from './http-exchange.ts';
import type { Endpoint, FetchLike } from './http-exchange.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, readMessages } from './message-reader.ts';
import { analyseToolHeaders, paramHeaders } from './tool-headers.ts';
import type { HeaderParam } from './tool-headers.ts';

export interface SdkTransportOptions {
  headers?: Record<string, string>;
  token?: string | (() => string | undefined | Promise<string | undefined>);
  fetch?: FetchLike;
  preferJsonLines?: boolean;
  /** The largest message read from the server; a larger one is an error. Default 16 MiB. */
  maxMessageBytes?: number;
}

/** The subset of the SDK's TransportSendOptions this transport honours. */
interface SendOptions {
  /** SDK 2.x: aborting closes this request's stream, which is 2026-07-28 cancellation. */
  requestSignal?: AbortSignal;
  /** Both SDKs: the request a message relates to (one POST per message makes it moot here). */
  relatedRequestId?: JsonRpcId;
}

/**
 * @example
 * const client = new Client({ name: 'app', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
 * await client.connect(createSdkTransport('https://example.com/mcp', { token: () => getToken() }));
 */
export function createSdkTransport(url: string | URL, options: SdkTransportOptions = {}): StatelessHttpTransport {
  return new StatelessHttpTransport(url, options);
}

export class StatelessHttpTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  sessionId?: string;
  /** SDK 2.x: one POST per request, so cancellation closes the stream instead of notifying. */
  readonly hasPerRequestStream = true;
  readonly #endpoint: Endpoint;
  readonly #closed = new AbortController();
  /** Requests awaiting their answer: the method, and whether it went out on the 2026 lane. */
  readonly #methods = new Map<JsonRpcId, { method: string; modern: boolean }>();
  readonly #toolHeaders = new Map<string, HeaderParam[]>();
  #protocolVersion: string | undefined;

  constructor(url: string | URL, options: SdkTransportOptions = {}) {
    const token = options.token;
    this.#endpoint = {
      url: new URL(url),
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      headers: Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      token: typeof token === 'string' ? () => token : token,
      preferJsonLines: options.preferJsonLines ?? false,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    };
  }

  async start(): Promise<void> {}

  /** Called by the SDK once initialize has negotiated a 2025 revision. */
  setProtocolVersion(version: string): void {
    this.#protocolVersion = version;
  }

  async close(): Promise<void> {
    this.#closed.abort();
    this.onclose?.();
  }

  #headersFor(message: JsonRpcMessage): Record<string, string> {
    const headers: Record<string, string> = {};
    const params = 'method' in message && isJsonObject(message.params) ? message.params : undefined;
    const meta = isJsonObject(params?._meta) ? params._meta : undefined;
    const envelope = meta?.[MetaKey.protocolVersion];
    if ('method' in message && 'id' in message && typeof envelope === 'string') {
      // A 2026 request carries its version in the body; the headers mirror the body (SEP-2243).
      headers['mcp-protocol-version'] = envelope;
      headers['mcp-method'] = message.method;
      const field = NAME_FIELD[message.method];
      const name = field && params?.[field];
      if (typeof name === 'string') headers['mcp-name'] = encodeHeaderValue(name);
      if (message.method === 'tools/call' && typeof name === 'string') Object.assign(headers, paramHeaders(this.#toolHeaders.get(name) ?? [], params?.arguments));
      return headers;
    }
    if (this.#protocolVersion !== undefined) headers['mcp-protocol-version'] = this.#protocolVersion;
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    return headers;
  }

  /** Learns x-mcp-header declarations and drops tools whose declarations are invalid (SEP-2243). */
  #deliver(message: JsonRpcMessage): void {
    if ('id' in message && !('method' in message)) {
      const sent = this.#methods.get(message.id!);
      this.#methods.delete(message.id!);
      if (sent?.method === 'tools/list' && 'result' in message && Array.isArray(message.result.tools)) {
        const kept = message.result.tools.filter((tool: JsonObject) => {
          const verdict = analyseToolHeaders(tool.inputSchema);
          if (verdict.ok) this.#toolHeaders.set(String(tool.name), verdict.params);
          return verdict.ok || !sent.modern;
        });
        message = { ...message, result: { ...message.result, tools: kept } };
      }
    }
    this.onmessage?.(message);
  }

  async send(message: JsonRpcMessage, options: SendOptions = {}): Promise<void> {
    const signal = options.requestSignal ? AbortSignal.any([options.requestSignal, this.#closed.signal]) : this.#closed.signal;
    const isRequest = 'method' in message && 'id' in message;
    const headers = this.#headersFor(message);
    if (isRequest) this.#methods.set(message.id, { method: message.method, modern: 'mcp-method' in headers });
    const response = await postMessage(this.#endpoint, message, headers, signal);
    if (isRequest && message.method === 'initialize' && response.ok) this.sessionId = response.headers.get('mcp-session-id') ?? undefined;
    if (!response.ok) {
      const failure = await readFailure(response, this.#endpoint.maxMessageBytes);
      // Auth failures stay errors: the caller must act. Others become the request's JSON-RPC error,
      // which is also how the SDK's era probe learns that a 2025 server did not understand it.
      if (!isRequest || response.status === 401 || response.status === 403) throw failureError(failure, this.#endpoint.url);
      const error = failure.rpc ?? { code: -32000, message: failureError(failure, this.#endpoint.url).message, data: { status: failure.status } };
      this.#deliver({ jsonrpc: '2.0', id: message.id, error: { code: error.code, message: error.message, data: error.data } });
      return;
    }
    if (!isRequest) {
      await response.body?.cancel().catch(() => undefined); // a 202 carries nothing; this only releases the connection
      // 2025: after initialized, a session server may push messages on the GET stream.
      if ('method' in message && message.method === 'notifications/initialized' && this.sessionId !== undefined) void this.#listen();
      return;
    }
    void this.#read(response, message.id, signal);
  }

  /** Failures no request can carry go to the SDK's onerror; none once `signal` (the request's or close()) has aborted. */
  #report(error: unknown, signal: AbortSignal): void {
    if (!signal.aborted) this.onerror?.(error instanceof Error ? error : new Error(String(error)));
  }

  async #read(response: Response, id: JsonRpcId, signal: AbortSignal): Promise<void> {
    let answered = false;
    try {
      for await (const value of readMessages(response, {}, this.#endpoint.maxMessageBytes)) {
        const classified = classifyMessage(value);
        if (classified.kind === 'invalid') throw new McpClientError('INVALID_RESPONSE', `The server sent an invalid JSON-RPC message (${classified.reason}).`);
        if (classified.kind === 'response' && classified.message.id === id) answered = true;
        this.#deliver(classified.message);
      }
      if (!answered) {
        const lost: JsonRpcResponse = { jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message: 'The server closed the stream before sending the result; send the request again.' } };
        this.#deliver(lost);
      }
    } catch (error) {
      this.#report(error, signal);
    }
  }

  async #listen(): Promise<void> {
    const headers = this.#headersFor({ jsonrpc: '2.0', method: 'notifications/initialized' });
    try {
      const response = await getStream(this.#endpoint, headers, this.#closed.signal);
      // 405: the server offers no GET stream, which it may; the cancel only releases the connection.
      if (!response.ok) return void (await response.body?.cancel().catch(() => undefined));
      for await (const value of readMessages(response, {}, this.#endpoint.maxMessageBytes)) {
        const classified = classifyMessage(value);
        if (classified.kind === 'request' || classified.kind === 'notification') this.#deliver(classified.message);
      }
    } catch (error) {
      this.#report(error, this.#closed.signal);
    }
  }
}
