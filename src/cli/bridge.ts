// `stateless-mcp bridge <url>`: a stdio MCP server for desktop clients (Claude Desktop, Cursor)
// that forwards to a remote server through our client. It answers `initialize` itself (stdio
// clients speak the 2025 handshake), relays progress and log notifications, and partial tool
// results to a desktop that declared `partialResults`, turns the remote's input requests (MRTR or
// 2025 server requests) into stdio requests to the desktop, and relays list changes from
// `subscriptions/listen`. stdout carries JSON-RPC only; logs go to stderr.
import { McpClientError, PARTIAL_RESULT_METHOD, createClient } from '../client/index.ts';
import { PARTIAL_RESULTS_CAPABILITY } from '../protocol/partial-results.ts';
import type { ClientOptions, InputHandlers, ListenFilter, McpClient, PartialResult, Progress, ServerDescription, Subscription } from '../client/index.ts';
import { ErrorCode, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcNotification, JsonRpcRequest } from '../protocol/jsonrpc.ts';
import { isLogLevel } from '../protocol/revisions.ts';
import type { LogLevel } from '../protocol/revisions.ts';
import { checkedAnswer, completionParams, isCreateMessageResult, isElicitResult, isListRootsResult } from './desktop-messages.ts';
import type { Io } from './host.ts';
import { PeerError, StdioChannel } from './stdio-channel.ts';

/** Revisions a desktop client may ask for at initialize; the newest is the answer otherwise. */
const STDIO_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];
/** 2026-only result fields a 2025-era stdio client has no use for. */
const MODERN_FIELDS = ['resultType', 'ttlMs', 'cacheScope'];
const RELAYED = new Set(['notifications/tools/list_changed', 'notifications/prompts/list_changed', 'notifications/resources/list_changed', 'notifications/resources/updated']);

class Bridge {
  readonly #io: Io;
  readonly #channel: StdioChannel;
  readonly #options: ClientOptions;
  readonly #url: URL;
  #client: McpClient | undefined;
  readonly #inflight = new Map<string | number, AbortController>();
  readonly #subscribed = new Set<string>();
  #remote: ServerDescription | undefined;
  #desktopCapabilities: JsonObject = {};
  #logLevel: LogLevel | undefined;
  #listen: Subscription | undefined;

  constructor(url: URL, options: ClientOptions, io: Io) {
    this.#io = io;
    this.#url = url;
    this.#channel = new StdioChannel(io.stdout);
    this.#options = options;
  }

  /** Requests before initialize are refused, as a stdio server must. */
  get #remoteClient(): McpClient {
    if (!this.#client) throw new McpClientError('PROTOCOL_ERROR', 'The bridge is not initialized: send initialize first.', { rpcCode: ErrorCode.InvalidRequest });
    return this.#client;
  }

  log(message: string): void {
    this.#io.stderr.write(`[stateless-mcp bridge] ${message}\n`);
  }

  async run(): Promise<void> {
    this.log(`serving ${this.#url.href} over stdio`);
    await this.#channel.run(this.#io.stdin, {
      request: (message) => void this.#answer(message),
      notification: (message) => this.#notification(message),
      // JSON-RPC 2.0: an error about a message whose id cannot be read carries id null.
      invalid: (line, reason) => this.#channel.send({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.ParseError, message: `Parse error (${reason}): ${line.slice(0, 100)}` } }),
    });
    this.#listen?.close();
    for (const controller of this.#inflight.values()) controller.abort();
    await this.#client?.close();
    this.log('stdin closed; bye');
  }

  /** The desktop's declared capabilities decide which remote input requests can be forwarded. */
  #handlers(): InputHandlers {
    const ask =
      <T>(method: string, is: (answer: unknown) => answer is T, shape: string) =>
      async (params: object, context: { signal: AbortSignal }): Promise<T> =>
        checkedAnswer(method, await this.#channel.request(method, { ...params }, context.signal), is, shape);
    const handlers: InputHandlers = {};
    if (this.#desktopCapabilities.elicitation) handlers.elicitation = ask('elicitation/create', isElicitResult, '{ action: "accept" | "decline" | "cancel", content? }');
    if (this.#desktopCapabilities.sampling) handlers.sampling = ask('sampling/createMessage', isCreateMessageResult, '{ role, content, model }');
    if (this.#desktopCapabilities.roots) handlers.roots = (context) => ask('roots/list', isListRootsResult, '{ roots: [{ uri, name? }] }')({}, context);
    return handlers;
  }

  #notification(message: JsonRpcNotification): void {
    if (message.method === 'notifications/cancelled') {
      // stdio cancellation becomes 2026 cancellation: the remote stream closes.
      const id = message.params?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.#inflight.get(id)?.abort();
    } else if (message.method === 'notifications/initialized') {
      this.#relayChanges();
    }
  }

  async #answer(request: JsonRpcRequest): Promise<void> {
    const controller = new AbortController();
    this.#inflight.set(request.id, controller);
    const relayed = { notified: false };
    try {
      const result = await this.#dispatch(request, controller.signal, relayed);
      for (const field of MODERN_FIELDS) delete result[field];
      // SDK 1.x stdio clients handle a notification a microtask late but a response at once: a
      // progress or partial-result line read together with the result would find its handler
      // gone. A short pause lets the last such line be read first.
      if (relayed.notified) await new Promise((resolve) => setTimeout(resolve, 10));
      this.#channel.send({ jsonrpc: '2.0', id: request.id, result });
    } catch (error) {
      if (controller.signal.aborted) return; // cancelled by the desktop: no answer is expected
      this.#channel.send({ jsonrpc: '2.0', id: request.id, error: this.#errorFor(request.method, error) });
    } finally {
      this.#inflight.delete(request.id);
    }
  }

  #errorFor(method: string, error: unknown): { code: number; message: string; data?: unknown } {
    if (error instanceof McpClientError && error.rpcCode !== undefined) return { code: error.rpcCode, message: error.message, data: error.data };
    if (error instanceof PeerError) return { code: error.code, message: error.message };
    const message = error instanceof Error ? error.message : String(error);
    this.log(`${method} failed: ${message}`);
    return { code: ErrorCode.InternalError, message: `The remote MCP server at ${this.#url.href} could not answer ${method}: ${message}` };
  }

  /**
   * Pieces of a tools/call for a desktop that declared `partialResults` at initialize and sent a
   * token with the call; undefined otherwise, so the remote call does not opt in either. The
   * desktop gets its own seq (0, 1, 2, …), whatever gaps the remote stream had.
   */
  #partialRelay(partialResultToken: unknown, relayed: { notified: boolean }): ((piece: PartialResult) => void) | undefined {
    if (!isJsonObject(this.#desktopCapabilities[PARTIAL_RESULTS_CAPABILITY])) return undefined;
    if (typeof partialResultToken !== 'string' && typeof partialResultToken !== 'number') return undefined;
    let seq = 0;
    return ({ seq: _remoteSeq, ...piece }) => {
      relayed.notified = true;
      this.#channel.send({ jsonrpc: '2.0', method: PARTIAL_RESULT_METHOD, params: { partialResultToken, seq: seq++, ...piece } });
    };
  }

  async #dispatch(request: JsonRpcRequest, signal: AbortSignal, relayed: { notified: boolean }): Promise<JsonObject> {
    const params = request.params ?? {};
    const meta = (params._meta ?? {}) as JsonObject;
    const progressToken = meta.progressToken;
    const call = {
      signal,
      logLevel: this.#logLevel,
      onProgress:
        typeof progressToken === 'string' || typeof progressToken === 'number'
          ? (progress: Progress) => {
              relayed.notified = true;
              this.#channel.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken, ...progress } });
            }
          : undefined,
      onNotification: (message: JsonRpcNotification) => {
        if (message.method === 'notifications/message') this.#channel.send(message);
      },
    };
    switch (request.method) {
      case 'initialize':
        return this.#initialize(params);
      case 'ping':
        return {};
      case 'tools/list':
        return { tools: await this.#remoteClient.listTools({ signal }) };
      case 'resources/list':
        return { resources: await this.#remoteClient.listResources({ signal }) };
      case 'resources/templates/list':
        return { resourceTemplates: await this.#remoteClient.listResourceTemplates({ signal }) };
      case 'prompts/list':
        return { prompts: await this.#remoteClient.listPrompts({ signal }) };
      case 'tools/call':
        return { ...(await this.#remoteClient.callTool(String(params.name), (params.arguments ?? {}) as JsonObject, { ...call, onPartial: this.#partialRelay(meta.partialResultToken, relayed) })) };
      case 'resources/read':
        return { ...(await this.#remoteClient.readResource(String(params.uri), call)) };
      case 'prompts/get':
        return { ...(await this.#remoteClient.getPrompt(String(params.name), (params.arguments ?? {}) as Record<string, string>, call)) };
      case 'completion/complete': {
        const { ref, argument, context } = completionParams(params);
        return { ...(await this.#remoteClient.complete(ref, argument, { ...call, ...(context && { context }) })) };
      }
      case 'logging/setLevel':
        if (!isLogLevel(params.level)) throw new McpClientError('PROTOCOL_ERROR', 'level must be an RFC 5424 level such as "info"', { rpcCode: ErrorCode.InvalidParams });
        this.#logLevel = params.level;
        return {};
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        if (request.method === 'resources/subscribe') this.#subscribed.add(String(params.uri));
        else this.#subscribed.delete(String(params.uri));
        this.#relayChanges();
        return {};
      default:
        throw new McpClientError('PROTOCOL_ERROR', `Method not found: ${request.method}`, { rpcCode: ErrorCode.MethodNotFound });
    }
  }

  async #initialize(params: JsonObject): Promise<JsonObject> {
    this.#desktopCapabilities = (params.capabilities ?? {}) as JsonObject;
    // The handlers follow what the desktop declared; a 2025 remote fixes them for its session.
    this.#client ??= createClient(this.#url, { ...this.#options, handlers: this.#handlers() });
    this.#remote = await this.#client.discover();
    this.log(`remote speaks ${this.#remote.protocolVersion} (${this.#remote.era})`);
    const remote = this.#remote.capabilities;
    const modern = this.#remote.era === 'modern';
    const capabilities: JsonObject = { logging: {} };
    // List changes and subscriptions reach the desktop through one subscriptions/listen stream.
    if (remote.tools) capabilities.tools = { listChanged: modern && remote.tools.listChanged === true };
    if (remote.prompts) capabilities.prompts = { listChanged: modern && remote.prompts.listChanged === true };
    if (remote.resources) capabilities.resources = { listChanged: modern && remote.resources.listChanged === true, subscribe: modern && remote.resources.subscribe === true };
    if (remote.completions) capabilities.completions = {};
    const requested = String(params.protocolVersion);
    const result: JsonObject = {
      protocolVersion: STDIO_VERSIONS.includes(requested) ? requested : STDIO_VERSIONS[0]!,
      capabilities,
      serverInfo: this.#remote.serverInfo ?? { name: 'stateless-mcp-bridge', version: '0.1.0' },
    };
    if (this.#remote.instructions) result.instructions = this.#remote.instructions;
    return result;
  }

  /** (Re)opens the listen stream for what the desktop can hear about; 2026 remotes only. */
  #relayChanges(): void {
    const remote = this.#remote;
    if (remote?.era !== 'modern') return;
    const filter: ListenFilter = {};
    if (remote.capabilities.tools?.listChanged) filter.toolsListChanged = true;
    if (remote.capabilities.prompts?.listChanged) filter.promptsListChanged = true;
    if (remote.capabilities.resources?.listChanged) filter.resourcesListChanged = true;
    if (this.#subscribed.size > 0 && remote.capabilities.resources?.subscribe) filter.resourceSubscriptions = [...this.#subscribed];
    this.#listen?.close();
    this.#listen = undefined;
    if (Object.keys(filter).length === 0) return;
    const subscription = this.#remoteClient.listen(filter);
    this.#listen = subscription;
    subscription.acknowledged.then(
      (honoured) => this.log(`relaying changes: ${Object.keys(honoured).join(', ') || 'none'}`),
      () => undefined, // the loop below reports why the stream ended
    );
    void (async () => {
      try {
        for await (const message of subscription) {
          if (!RELAYED.has(message.method)) continue;
          const { _meta: _ignored, ...params } = message.params ?? {};
          this.#channel.send({ jsonrpc: '2.0', method: message.method, params });
        }
      } catch (error) {
        this.log(`change notifications stopped: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  }
}

export async function runBridge(url: URL, options: ClientOptions, io: Io): Promise<number> {
  await new Bridge(url, options, io).run();
  return 0;
}
