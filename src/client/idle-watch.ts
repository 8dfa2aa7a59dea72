// A silence limit for a long-lived response stream (`subscriptions/listen`): any bytes from the
// server, keep-alive comments included, restart it. A stream that stays silent longer is
// presumed dead (a half-open connection, a proxy that swallowed it) and its request is aborted
// with a TIMEOUT saying so, instead of waiting forever.
import { McpClientError } from './errors.ts';

export class IdleWatch {
  readonly #controller = new AbortController();
  readonly #ms: number;
  readonly #what: string;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Starts counting at once: waiting for the response headers is silence too. */
  constructor(ms: number, what: string) {
    this.#ms = ms;
    this.#what = what;
    this.touch();
  }

  /** Aborts, with the TIMEOUT as its reason, once the stream has been silent for too long. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  touch(): void {
    clearTimeout(this.#timer);
    if (this.#controller.signal.aborted) return;
    this.#timer = setTimeout(() => {
      const message = `${this.#what} received nothing from the server, not even a keep-alive, for ${this.#ms} ms, so the stream is presumed dead. Open it again; if the server sends keep-alives less often, raise idleTimeoutMs.`;
      this.#controller.abort(new McpClientError('TIMEOUT', message));
    }, this.#ms);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  /** The same response, with each chunk of its body restarting the watch. */
  observe(response: Response): Response {
    this.touch();
    if (!response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          this.touch();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}
