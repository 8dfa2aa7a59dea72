// 2025 lane: server-to-client requests travel on the POST's SSE stream and the client answers
// with a new POST. This broker pairs the two when both reach this process, and fails fast otherwise.
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcResponse } from '../protocol/jsonrpc.ts';
import type { Outbox } from './outbox.ts';

interface Waiter {
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

export class ClientRequestBroker {
  readonly #waiting = new Map<string, Waiter>();
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  request(outbox: Outbox, method: string, params: Record<string, unknown> | undefined, signal: AbortSignal): Promise<unknown> {
    // Random ids never collide across instances, which a shared router (issue 7) relies on.
    const id = `s2c-${crypto.randomUUID()}`;
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#waiting.delete(id);
      };
      const onAbort = () => {
        finish();
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new McpError(
            ErrorCode.InternalError,
            `The client did not answer ${method} within ${this.#timeoutMs} ms. If several server instances sit behind a load balancer, its answer may have reached another one: configure a shared store, or use the 2026-07-28 protocol, whose input requests need no routing.`,
          ),
        );
      }, this.#timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(id, {
        resolve: (result) => {
          finish();
          resolve(result);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      });
      outbox.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    });
  }

  /** Hands a client's response to the handler awaiting it; false when no handler here awaits that id. */
  deliver(response: JsonRpcResponse): boolean {
    const waiter = typeof response.id === 'string' ? this.#waiting.get(response.id) : undefined;
    if (!waiter) return false;
    if ('error' in response) {
      const error = isJsonObject(response.error) ? response.error : { code: ErrorCode.InternalError, message: 'client error' };
      waiter.reject(new McpError(Number(error.code), `The client refused the request: ${String(error.message)}`, error.data));
    } else {
      waiter.resolve(response.result);
    }
    return true;
  }
}
