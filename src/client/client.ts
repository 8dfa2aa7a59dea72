// The public client: typed operations over a Connection, auto-pagination, the list cache
// (ttlMs/cacheScope, dropped on list_changed), and `Mcp-Param-*` headers from tools' x-mcp-header.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcNotification } from '../protocol/jsonrpc.ts';
import { MODERN_VERSION } from '../protocol/revisions.ts';
import type { CallToolResult, GetPromptResult, Implementation, ReadResourceResult } from '../protocol/types.ts';
import { McpClientError } from './errors.ts';
import { Connection } from './connection.ts';
import type { RequestOptions, ToolCallOptions } from './request-options.ts';
import type { ClientOptions, ListOptions, ListenOptions } from './client-options.ts';
import type { Endpoint, FetchLike } from './http-exchange.ts';
import { IdleWatch } from './idle-watch.ts';
import { ListCache } from './list-cache.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from './message-reader.ts';
import { OAuthSession } from './oauth.ts';
import { callToolResult, completeResult, getPromptResult, promptList, readResourceResult, resourceList, resourceTemplateList, serverInfo, stringList, toolList } from './result-shapes.ts';
import type { ToolStreamEvent } from './partial-results.ts';
import { Subscription } from './subscription.ts';
import { streamToolEvents } from './tool-stream.ts';
import { analyseToolHeaders, paramHeaders } from './tool-headers.ts';
import type { HeaderParam } from './tool-headers.ts';
import type { CompleteResult, CompletionReference, Era, ListenFilter, Prompt, Resource, ResourceTemplate, ServerDescription, Tool } from './types.ts';

/** Four of our server's default 15 s keep-alives; MCP 2026-07-28 (basic/transports/streamable-http, "Receiving Messages") encourages them on long streams. */
const DEFAULT_LISTEN_IDLE_MS = 60_000;
const DEFAULT_INFO: Implementation = { name: 'stateless-mcp-client', version: '0.1.0' };
const sharedEraMemory = new Map<string, Era>();

const INVALIDATES: Record<string, string[]> = {
  'notifications/tools/list_changed': ['tools/list'],
  'notifications/prompts/list_changed': ['prompts/list'],
  'notifications/resources/list_changed': ['resources/list', 'resources/templates/list'],
};

/**
 * @example
 * const client = createClient('https://example.com/mcp', { token: () => getToken() });
 * const result = await client.callTool('add', { a: 1, b: 2 }, { onProgress: (p) => console.log(p.progress) });
 */
export function createClient(url: string | URL, options: ClientOptions = {}): McpClient {
  return new McpClient(url, options);
}

export class McpClient {
  readonly url: URL;
  readonly #connection: Connection;
  readonly #options: ClientOptions;
  readonly #privateCache = new ListCache();
  readonly #publicCache: ListCache;
  readonly #toolHeaders = new Map<string, HeaderParam[]>();
  #toolsListed = false;
  readonly #subscriptions = new Set<Subscription>();

  constructor(url: string | URL, options: ClientOptions = {}) {
    this.url = new URL(url);
    this.#options = options;
    this.#publicCache = options.sharedCache ?? this.#privateCache;
    const token = options.token;
    const baseFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
    const endpoint: Endpoint = {
      url: this.url,
      fetch: options.oauth ? new OAuthSession(this.url, baseFetch, options.oauth).fetch : baseFetch,
      headers: Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      token: typeof token === 'string' ? () => token : token,
      preferJsonLines: options.preferJsonLines ?? false,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    };
    this.#connection = new Connection({
      endpoint,
      clientInfo: options.clientInfo ?? DEFAULT_INFO,
      handlers: options.handlers ?? {},
      era: options.era ?? 'auto',
      eraMemory: options.eraMemory ?? sharedEraMemory,
      timeoutMs: options.timeoutMs ?? 60_000,
      retry: options.retry,
      logLevel: options.logLevel,
      maxInputRounds: options.maxInputRounds ?? 8,
      onNotification: (message) => this.#onNotification(message),
      onWarning: (message) => this.#options.onWarning?.(message),
    });
  }

  /** The server's era once known (after the first call). */
  get era(): Era | undefined {
    return this.#connection.era;
  }

  #onNotification(message: JsonRpcNotification): void {
    for (const method of INVALIDATES[message.method] ?? []) this.#invalidate(method);
    if (message.method === 'notifications/tools/list_changed') this.#toolsListed = false;
    this.#options.onNotification?.(message);
  }

  #key(method: string, cursor?: string): string {
    return `${this.url.href}\u0000${method}\u0000${cursor ?? ''}`;
  }

  #invalidate(method: string): void {
    // The key without a cursor is the prefix of every page of that list.
    this.#privateCache.invalidate(this.#key(method));
    this.#publicCache.invalidate(this.#key(method));
  }

  /** A cacheable result: reused within its ttlMs, kept private unless the server says public. */
  async #cached(method: string, params: JsonObject, cursor: string | undefined, options: ListOptions): Promise<JsonObject> {
    const key = this.#key(method, cursor);
    if (!options.fresh) {
      const hit = this.#privateCache.get(key) ?? this.#publicCache.get(key);
      if (isJsonObject(hit)) return hit;
    }
    const result = await this.#connection.request(method, params, options);
    const ttl = typeof result.ttlMs === 'number' ? result.ttlMs : 0;
    (result.cacheScope === 'public' ? this.#publicCache : this.#privateCache).set(key, result, ttl);
    return result;
  }

  async #list<T>(method: string, field: string, shape: (method: string, page: JsonObject, field: string) => T[], options: ListOptions): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.#cached(method, cursor === undefined ? {} : { cursor }, cursor, options);
      items.push(...shape(method, page, field));
      // An empty-string cursor is a valid cursor (2026-07-28), not an end marker.
      cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
      if (cursor !== undefined && seen.has(cursor)) throw new McpClientError('INVALID_RESPONSE', `${method} returned the cursor ${JSON.stringify(cursor)} twice; stopping instead of looping.`);
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
    return items;
  }

  /** What the server is: its era, revision, capabilities, serverInfo and instructions. */
  async discover(options: ListOptions = {}): Promise<ServerDescription> {
    return this.#connection.withSignal('discover', options, async (signal) => {
      const era = await this.#connection.ensureEra(signal, options.retry);
      if (era === 'legacy') {
        const session = await this.#connection.legacySession(signal, options.retry);
        return { era, protocolVersion: session.protocolVersion, supportedVersions: [session.protocolVersion], ...session.describe() };
      }
      const probed = options.fresh ? undefined : this.#connection.takeProbeResult();
      const result = probed ?? (await this.#cached('server/discover', {}, undefined, { ...options, signal }));
      if (probed) this.#privateCache.set(this.#key('server/discover'), probed, typeof probed.ttlMs === 'number' ? probed.ttlMs : 0);
      const meta = isJsonObject(result._meta) ? result._meta : {};
      const info = serverInfo('server/discover', result, meta['io.modelcontextprotocol/serverInfo'] ?? result.serverInfo);
      const description: ServerDescription = {
        era,
        protocolVersion: MODERN_VERSION,
        supportedVersions: stringList('server/discover', result, 'supportedVersions'),
        capabilities: isJsonObject(result.capabilities) ? result.capabilities : {},
      };
      if (info) description.serverInfo = info;
      if (typeof result.instructions === 'string') description.instructions = result.instructions;
      return description;
    });
  }

  /**
   * All tools, across pages. On 2026-07-28 a tool whose x-mcp-header declarations break SEP-2243's
   * rules is dropped, as the spec requires of clients.
   */
  async listTools(options: ListOptions = {}): Promise<Tool[]> {
    const tools = await this.#list('tools/list', 'tools', toolList, options);
    const modern = this.era === 'modern';
    const kept: Tool[] = [];
    for (const tool of tools) {
      const verdict = analyseToolHeaders(tool.inputSchema);
      if (!verdict.ok && modern) {
        this.#options.onWarning?.(`Ignoring tool "${tool.name}": ${verdict.reason}.`);
        continue;
      }
      this.#toolHeaders.set(tool.name, verdict.ok ? verdict.params : []);
      kept.push(tool);
    }
    this.#toolsListed = true;
    return kept;
  }

  listResources(options: ListOptions = {}): Promise<Resource[]> {
    return this.#list('resources/list', 'resources', resourceList, options);
  }

  listResourceTemplates(options: ListOptions = {}): Promise<ResourceTemplate[]> {
    return this.#list('resources/templates/list', 'resourceTemplates', resourceTemplateList, options);
  }

  listPrompts(options: ListOptions = {}): Promise<Prompt[]> {
    return this.#list('prompts/list', 'prompts', promptList, options);
  }

  /**
   * `isError` results are returned, not thrown: the tool ran and said it failed. With `onPartial`
   * the call opts in to partial results and each piece reaches `onPartial` as the tool produces it;
   * the result still holds every piece.
   *
   * @example
   * const result = await client.callTool('query_rows', { rows: 5 }, { onPartial: (piece) => show(piece.content) });
   */
  async callTool(name: string, args: JsonObject = {}, options: ToolCallOptions = {}): Promise<CallToolResult> {
    let headers: Record<string, string> = {};
    if (this.era !== 'legacy') {
      // Mirroring x-mcp-header values needs the tool's schema: learn it once if nobody listed tools yet.
      if (!this.#toolHeaders.has(name) && !this.#toolsListed) await this.listTools({ signal: options.signal, retry: options.retry });
      if (this.era === 'modern') headers = paramHeaders(this.#toolHeaders.get(name) ?? [], args);
    }
    const result = await this.#connection.request('tools/call', { name, arguments: args }, { ...options, headers: { ...options.headers, ...headers } });
    return callToolResult('tools/call', result);
  }

  /**
   * The call as an async iterable: each piece of the result as it arrives (`{ type: 'partial', seq,
   * content, structuredContent?, final? }`), then `{ type: 'result', result }` with the complete
   * result, which holds every piece (servers without partial results send only that). The call
   * declares `partialResults` and its token by itself. The response is read no further ahead
   * than one piece, so a slow loop slows the server instead of filling memory; leaving the loop
   * early closes the stream, which cancels the call. A JSON-RPC error is thrown from the loop.
   *
   * @example
   * for await (const event of client.streamTool('query_rows', { rows: 5 })) {
   *   if (event.type === 'partial') show(event.content);
   *   else finish(event.result);
   * }
   */
  streamTool(name: string, args: JsonObject = {}, options: RequestOptions = {}): AsyncGenerator<ToolStreamEvent, void, undefined> {
    return streamToolEvents(options.signal, (signal, onPartial) => this.callTool(name, args, { ...options, signal, onPartial }));
  }

  async readResource(uri: string, options: RequestOptions = {}): Promise<ReadResourceResult> {
    const result = await this.#connection.request('resources/read', { uri }, options);
    return readResourceResult('resources/read', result);
  }

  async getPrompt(name: string, args: Record<string, string> = {}, options: RequestOptions = {}): Promise<GetPromptResult> {
    const result = await this.#connection.request('prompts/get', { name, arguments: args }, options);
    return getPromptResult('prompts/get', result);
  }

  async complete(ref: CompletionReference, argument: { name: string; value: string }, options: RequestOptions & { context?: { arguments: Record<string, string> } } = {}): Promise<CompleteResult> {
    const params: JsonObject = { ref, argument };
    if (options.context) params.context = options.context;
    const result = await this.#connection.request('completion/complete', params, options);
    return completeResult('completion/complete', result);
  }

  /** A raw request for methods this class does not wrap; resolves with the complete result. */
  request(method: string, params: JsonObject = {}, options: RequestOptions = {}): Promise<JsonObject> {
    return this.#connection.request(method, params, options);
  }

  /**
   * Opens `subscriptions/listen` (2026-07-28 only); list_changed notifications also drop cached
   * lists. A stream silent for `idleTimeoutMs` (default 60 s, 0 for none; keep-alive comments count
   * as traffic) is presumed dead and ends the subscription with TIMEOUT.
   */
  listen(filter: ListenFilter, options: ListenOptions = {}): Subscription {
    const { idleTimeoutMs = DEFAULT_LISTEN_IDLE_MS, ...rest } = options;
    const subscription: Subscription = new Subscription((onNotification, signal) => {
      const idle = idleTimeoutMs > 0 ? new IdleWatch(idleTimeoutMs, 'The listen stream') : undefined;
      const streamSignal = idle ? AbortSignal.any([signal, idle.signal]) : signal;
      const params = { notifications: { ...filter } };
      return this.#connection
        .request('subscriptions/listen', params, { ...rest, signal: streamSignal, timeoutMs: 0, onNotification, idle })
        .finally(() => idle?.stop());
    }, options.signal);
    this.#subscriptions.add(subscription);
    // Only bookkeeping: the stream's outcome reaches the caller through the subscription itself.
    void subscription.finished.finally(() => this.#subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  /** Closes open listen streams and ends a 2025 session the server issued. */
  async close(): Promise<void> {
    for (const subscription of this.#subscriptions) subscription.close();
    await this.#connection.close();
  }
}
