// 2025 lane: server-to-client requests travel on the POST's SSE stream and the client answers
// with a new POST, which a load balancer may send to any instance. The answer meets its waiting
// handler through the Bus channel `s2c:<id>`; with nobody listening it fails fast.
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../protocol/json-depth.ts';
import { ErrorCode, McpError, errorResponse, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcResponse } from '../protocol/jsonrpc.ts';
import type { Bus } from '../store/store.ts';
import type { Outbox } from './outbox.ts';

export class ClientRequestBroker {
  readonly #bus: Bus;
  readonly #timeoutMs: number;

  constructor(bus: Bus, timeoutMs: number) {
    this.#bus = bus;
    this.#timeoutMs = timeoutMs;
  }

  async request(outbox: Outbox, method: string, params: Record<string, unknown> | undefined, signal: AbortSignal): Promise<unknown> {
    // Random ids never collide across instances, so any of them can route the answer.
    const id = `s2c-${crypto.randomUUID()}`;
    let settle!: { resolve(value: unknown): void; reject(error: unknown): void };
    const answered = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    // Listen before the request goes out, so an answer can never arrive before the listener.
    const stop = await this.#bus.subscribeTo(`s2c:${id}`, (message) => {
      const response = JSON.parse(message) as JsonRpcResponse;
      if ('error' in response) settle.reject(clientError(method, response.error));
      else settle.resolve(response.result);
    });
    const onAbort = () => settle.reject(signal.reason);
    const timer = setTimeout(
      () =>
        settle.reject(
          new McpError(
            ErrorCode.InternalError,
            `The client did not answer ${method} within ${this.#timeoutMs} ms. If several server instances sit behind a load balancer, they need a shared bus (e.g. RedisBus); or use protocol 2026-07-28, whose input requests need no routing.`,
          ),
        ),
      this.#timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const sent = outbox.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
      if (sent === false) {
        throw new McpError(
          ErrorCode.InternalError,
          `The server cannot send ${method} to this client: its Accept header allows only application/json, so nothing reaches it before the result. Accept text/event-stream as well.`,
        );
      }
      return await answered;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      stop();
    }
  }

  /**
   * Hands a client's response to the handler awaiting it on any instance; false when none awaits
   * that id. An answer nested deeper than the server reads reaches the handler as an error saying so.
   */
  deliver(response: JsonRpcResponse): Promise<boolean> {
    if (typeof response.id !== 'string' || !response.id.startsWith('s2c-')) return Promise.resolve(false);
    const deep = nestsDeeperThan('error' in response ? response.error : response.result);
    const sent = deep ? errorResponse(response.id, { code: ErrorCode.InvalidParams, message: `it nests more than ${MAX_JSON_DEPTH} levels deep, deeper than this server reads` }) : response;
    return this.#bus.publishTo(`s2c:${response.id}`, JSON.stringify(sent));
  }
}

/** The error a handler sees for a client's error answer, whatever shape the client gave it. */
function clientError(method: string, error: unknown): McpError {
  const fields = isJsonObject(error) ? error : {};
  const code = Number.isSafeInteger(fields.code) ? (fields.code as number) : ErrorCode.InternalError;
  const message = typeof fields.message === 'string' ? fields.message : 'it gave no message';
  return new McpError(code, `The client's answer to ${method} is an error: ${message}`, fields.data);
}
