// The Outbox behind an HTTP response: nothing is committed until the handler either finishes
// (plain JSON) or emits its first message (SSE or JSON Lines, flushed per message). A client that
// reads only JSON gets the result alone: what would have streamed before it is dropped.
import type { JsonRpcMessage } from '../protocol/jsonrpc.ts';
import type { Outbox } from '../server/outbox.ts';
import type { ResponseMode } from './checks.ts';

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n');

/** Messages as the bytes of a stream in this framing. */
export function frame(framing: ResponseMode['framing'], message: JsonRpcMessage | JsonRpcMessage[]): Uint8Array<ArrayBuffer> {
  if (Array.isArray(message)) return encoder.encode(message.map((m) => text(framing, m)).join(''));
  return encoder.encode(text(framing, message));
}

function text(framing: ResponseMode['framing'], message: JsonRpcMessage): string {
  const json = JSON.stringify(message);
  return framing === 'sse' ? `event: message\ndata: ${json}\n\n` : `${json}\n`;
}

export class StreamWriter implements Outbox {
  // Most calls answer with plain JSON: the stream is only built once a message needs it.
  #readable: ReadableStream<Uint8Array> | undefined;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  readonly #cancellation: { abort(reason: unknown): void };
  #open = false;
  #closed = false;
  #onOpen: (() => void) | undefined;
  #silence: ReturnType<typeof setTimeout> | undefined;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  readonly #mode: ResponseMode;
  readonly #keepAliveMs: number;

  /** `cancellation` is aborted when the client closes the stream: 2026-07-28 treats that as cancellation. */
  constructor(mode: ResponseMode, keepAliveMs: number, cancellation: { abort(reason: unknown): void }) {
    this.#mode = mode;
    this.#keepAliveMs = keepAliveMs;
    this.#cancellation = cancellation;
    // An SSE call silent this long opens its stream with a comment, so proxies and load balancers
    // with idle timeouts (nginx, ALB: 60 s) do not cut a long call that has said nothing.
    if (mode.framing === 'sse' && keepAliveMs > 0) {
      this.#silence = setTimeout(() => {
        if (this.#open || this.#closed) return;
        this.#openStream();
        this.#enqueue(KEEP_ALIVE);
      }, keepAliveMs);
    }
  }

  get readable(): ReadableStream<Uint8Array> {
    return (this.#readable ??= new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: (reason) => {
        this.#stop();
        this.#cancellation.abort(reason ?? new Error('client closed the stream'));
      },
    }));
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** `done`'s value, or undefined as soon as the first message is sent: from then on the response is a stream. */
  until<T>(done: Promise<T>): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      if (this.#open) return resolve(undefined);
      this.#onOpen = resolve as () => void;
      done.then(resolve, reject);
    });
  }

  /** False when the client reads only JSON: nothing can reach it before the result. */
  send(message: JsonRpcMessage): void | false {
    if (this.#mode.framing === 'json') return false;
    if (this.#closed) return;
    this.#openStream();
    this.#enqueue(frame(this.#mode.framing, message));
  }

  #openStream(): void {
    if (this.#open) return;
    this.#open = true;
    void this.readable;
    this.#onOpen?.();
    if (this.#mode.framing === 'sse' && this.#keepAliveMs > 0) {
      this.#keepAlive = setInterval(() => this.#enqueue(KEEP_ALIVE), this.#keepAliveMs);
    }
  }

  /** Writes the final response and ends the stream (the final response SHOULD terminate it). */
  finish(message: JsonRpcMessage | JsonRpcMessage[]): void {
    if (this.#closed) return;
    this.#enqueue(frame(this.#mode.framing, message));
    this.#stop();
    this.#controller.close();
  }

  /** Nothing more goes out: the call was answered, as JSON or by finish(). */
  close(): void {
    this.#stop();
  }

  #enqueue(chunk: Uint8Array): void {
    if (this.#closed) return;
    try {
      this.#controller.enqueue(chunk);
    } catch {
      // The consumer is gone; cancel() has run or is about to.
      this.#stop();
    }
  }

  #stop(): void {
    this.#closed = true;
    clearTimeout(this.#silence);
    clearInterval(this.#keepAlive);
  }
}
