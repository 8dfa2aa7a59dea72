// Newline-delimited JSON-RPC over stdin/stdout (the MCP stdio transport): one message per line on
// stdout and nothing else there; requests we send get their answers matched back by id.
import { classifyMessage } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcErrorObject, JsonRpcId, JsonRpcMessage, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import type { InputStream, OutputStream } from './host.ts';
import { LineReader } from './host.ts';

/** JSON-RPC 2.0: the error answering a message whose id could not be read carries id null. */
export interface UnidentifiedFailure {
  jsonrpc: '2.0';
  id: null;
  error: JsonRpcErrorObject;
}

export interface ChannelHandlers {
  request(message: JsonRpcRequest): void;
  notification(message: JsonRpcNotification): void;
  /** A line that is not JSON-RPC; stdio peers answer with a parse error. */
  invalid(line: string, reason: string): void;
}

/** A request we sent that the peer answered with an error. */
export class PeerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export class StdioChannel {
  readonly #out: OutputStream;
  readonly #pending = new Map<JsonRpcId, { resolve(result: JsonObject): void; reject(error: Error): void }>();
  #nextId = 0;

  constructor(out: OutputStream) {
    this.#out = out;
  }

  send(message: JsonRpcMessage | UnidentifiedFailure): void {
    this.#out.write(`${JSON.stringify(message)}\n`);
  }

  /** Sends a request to the peer; aborting withdraws it (notifications/cancelled, as stdio does). */
  request(method: string, params: JsonObject, signal?: AbortSignal): Promise<JsonObject> {
    const id = `bridge-${++this.#nextId}`;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#pending.delete(id);
        this.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'The remote call ended.' } });
        reject(new PeerError(-32800, `${method} was cancelled`));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (result) => (signal?.removeEventListener('abort', onAbort), resolve(result)),
        reject: (error) => (signal?.removeEventListener('abort', onAbort), reject(error)),
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  #settle(response: JsonRpcResponse): void {
    const pending = this.#pending.get(response.id!);
    if (!pending) return; // an answer to a request we already withdrew
    this.#pending.delete(response.id!);
    if ('error' in response) pending.reject(new PeerError(response.error.code, response.error.message, response.error.data));
    else pending.resolve(response.result);
  }

  /** Reads stdin until it ends; resolves then (the desktop client went away). */
  async run(input: InputStream, handlers: ChannelHandlers): Promise<void> {
    const lines = new LineReader(input);
    for (let line = await lines.next(); line !== undefined; line = await lines.next()) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        handlers.invalid(line, 'not JSON');
        continue;
      }
      const message = classifyMessage(value);
      if (message.kind === 'request') handlers.request(message.message);
      else if (message.kind === 'notification') handlers.notification(message.message);
      else if (message.kind === 'response') this.#settle(message.message);
      else handlers.invalid(line, message.reason);
    }
    for (const pending of this.#pending.values()) pending.reject(new PeerError(-32000, 'The client closed stdin.'));
    this.#pending.clear();
  }
}
