// `subscriptions/listen` as an async iterator (2026-07-28 `basic/patterns/subscriptions.mdx`): the
// request opens at once, `acknowledged` resolves with the honoured filter, each later notification
// is yielded, and closing the iterator closes the stream (which is how a client unsubscribes).
import type { JsonObject, JsonRpcNotification } from '../protocol/jsonrpc.ts';
import { McpClientError, isClientError } from './errors.ts';
import { isListenFilter } from './result-shapes.ts';
import type { ListenFilter } from './types.ts';

type Start = (onNotification: (message: JsonRpcNotification) => void, signal: AbortSignal) => Promise<JsonObject>;

/**
 * @example
 * const subscription = client.listen({ toolsListChanged: true });
 * for await (const notification of subscription) if (notification.method === 'notifications/tools/list_changed') refresh();
 */
export class Subscription implements AsyncIterableIterator<JsonRpcNotification> {
  /** The subset of the filter the server honours (its first message). */
  readonly acknowledged: Promise<ListenFilter>;
  /** Settles when the stream ends: with the server's final result, or undefined when closed here. */
  readonly finished: Promise<JsonObject | undefined>;
  readonly #controller = new AbortController();
  readonly #queue: JsonRpcNotification[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;

  constructor(start: Start, signal?: AbortSignal) {
    if (signal) signal.addEventListener('abort', () => this.close(), { once: true });
    let acknowledge!: (filter: ListenFilter) => void;
    let refuse!: (error: unknown) => void;
    this.acknowledged = new Promise((resolve, reject) => ((acknowledge = resolve), (refuse = reject)));
    // Callers that only iterate must not see an unhandled rejection from the promise they ignore.
    this.acknowledged.catch(() => undefined);
    const onNotification = (message: JsonRpcNotification) => {
      if (message.method === 'notifications/subscriptions/acknowledged') {
        const honoured = message.params?.notifications;
        if (honoured === undefined || isListenFilter(honoured)) acknowledge(honoured ?? {});
        else refuse(new McpClientError('INVALID_RESPONSE', `The server acknowledged subscriptions/listen with a filter that is not one (flags must be booleans, resourceSubscriptions strings): ${JSON.stringify(honoured).slice(0, 200)}. The server is not following MCP; report it to its operator.`));
        return;
      }
      this.#queue.push(message);
      this.#wake?.();
    };
    this.finished = start(onNotification, this.#controller.signal).then(
      (result) => this.#end(undefined, result),
      (error: unknown) => {
        // Closing is how a subscriber leaves; it is not a failure.
        if (this.#controller.signal.aborted && isClientError(error, 'ABORTED')) return this.#end(undefined, undefined);
        refuse(error);
        return this.#end(error, undefined);
      },
    );
    // The same error reaches next(); awaiting `finished` is optional, so it must not go unhandled.
    this.finished.catch(() => undefined);
    // A failed stream already refused `acknowledged` with its error (above); only a clean end still needs to.
    void this.finished.then(() => refuse(new Error('The listen stream ended before it was acknowledged.')), () => undefined);
  }

  #end(error: unknown, result: JsonObject | undefined): JsonObject | undefined {
    this.#ended = true;
    this.#error = error;
    this.#wake?.();
    if (error !== undefined) throw error;
    return result;
  }

  async next(): Promise<IteratorResult<JsonRpcNotification>> {
    for (;;) {
      const message = this.#queue.shift();
      if (message) return { done: false, value: message };
      if (this.#ended) {
        if (this.#error !== undefined) {
          const error = this.#error;
          this.#error = undefined;
          throw error;
        }
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<JsonRpcNotification>> {
    this.close();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Closes the stream; the server sees the disconnect and drops the subscription. */
  close(): void {
    this.#controller.abort();
  }
}
