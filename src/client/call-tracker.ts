// One call's own streams: the progress token and partial-result stream it carries, and where the
// notifications that arrive on its responses go (the call's listeners first, then the client's).
import type { JsonRpcNotification } from '../protocol/jsonrpc.ts';
import { PartialStream } from './partial-results.ts';
import type { ToolCallOptions } from './request-options.ts';
import type { Progress } from './types.ts';

/** The client-wide listeners every call reports to. */
export interface ClientListeners {
  onNotification(message: JsonRpcNotification): void;
  onWarning(message: string): void;
}

export class CallTracker {
  readonly progressToken: string | undefined;
  readonly partials: PartialStream | undefined;
  readonly #options: ToolCallOptions;
  readonly #client: ClientListeners;

  /** `progressToken` is issued by the connection (unique per connection) when the call wants progress. */
  constructor(options: ToolCallOptions, progressToken: string | undefined, client: ClientListeners) {
    this.#options = options;
    this.#client = client;
    this.progressToken = progressToken;
    this.partials = options.onPartial ? new PartialStream(options.onPartial, (message) => client.onWarning(message)) : undefined;
  }

  /** Hands a notification to the call's listeners; a returned promise holds the read until a partial-result receiver is ready. */
  deliver(message: JsonRpcNotification): void | Promise<void> {
    const params = message.params ?? {};
    if (message.method === 'notifications/progress' && this.progressToken !== undefined && params.progressToken === this.progressToken) {
      const progress: Progress = { progress: Number(params.progress) };
      if (typeof params.total === 'number') progress.total = params.total;
      if (typeof params.message === 'string') progress.message = params.message;
      this.#options.onProgress?.(progress);
    }
    this.#options.onNotification?.(message);
    this.#client.onNotification(message);
    return this.partials?.receive(message);
  }
}
