// The Outbox behind an HTTP response: nothing is committed until the handler either finishes
// (plain JSON) or emits its first message (SSE or JSON Lines, flushed per message). A client that
// reads only JSON gets the result alone: what would have streamed before it is dropped.
import { ErrorCode } from '../protocol/jsonrpc.ts';
import type { JsonRpcMessage, JsonRpcResponse } from '../protocol/jsonrpc.ts';
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

/** How much one response stream may hold for a client that reads slowly. */
export interface StreamLimits {
  /** SSE keep-alive comment interval, in ms; 0 disables. */
  keepAliveMs: number;
  /** Unread bytes past which the stream ends (see McpHttpOptions.maxBufferedBytes). */
  maxBufferedBytes: number;
}

/** Handlers that wait for room (ctx.partial) resume once less than this is unread. */
const PACING_BYTES = 64 * 1024;

/**
 * Memory per stream stays bounded however slowly the client reads: a producer that waits for room
 * (`ready()`, behind ctx.partial and generator tools) pauses while more than min(64 KiB,
 * maxBufferedBytes / 2) is unread; one that does not (progress, logs, listen events) is cut off
 * once maxBufferedBytes are unread: the stream then ends with an error naming the cause, and the
 * call is cancelled. At most maxBufferedBytes + one message + that error are ever held.
 */
export class StreamWriter implements Outbox {
  // Most calls answer with plain JSON: the stream is only built once a message needs it.
  #readable: ReadableStream<Uint8Array> | undefined;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #closedBy: AbortController | undefined;
  #open = false;
  #closed = false;
  #overflowed = false;
  #onOpen: (() => void) | undefined;
  #silence: ReturnType<typeof setTimeout> | undefined;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #waiting: (() => void)[] = [];
  readonly #mode: ResponseMode;
  readonly #keepAliveMs: number;
  readonly #maxBuffered: number;
  readonly #highWater: number;

  constructor(mode: ResponseMode, limits: StreamLimits) {
    this.#mode = mode;
    this.#keepAliveMs = limits.keepAliveMs;
    this.#maxBuffered = limits.maxBufferedBytes;
    this.#highWater = Math.max(1, Math.min(PACING_BYTES, Math.floor(limits.maxBufferedBytes / 2)));
    // An SSE call silent this long opens its stream with a comment, so proxies and load balancers
    // with idle timeouts (nginx, ALB: 60 s) do not cut a long call that has said nothing.
    if (mode.framing === 'sse' && this.#keepAliveMs > 0) {
      this.#silence = setTimeout(() => {
        if (this.#open || this.#closed) return;
        this.#openStream();
        this.#enqueue(KEEP_ALIVE);
      }, this.#keepAliveMs);
    }
  }

  get readable(): ReadableStream<Uint8Array> {
    return (this.#readable ??= new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        // Called whenever the client has taken enough that the stream wants more.
        pull: () => this.#wake(),
        cancel: (reason) => {
          this.#stop();
          this.#end(reason ?? new Error('client closed the stream'));
        },
      },
      { highWaterMark: this.#highWater, size: (chunk) => chunk.byteLength },
    ));
  }

  /**
   * Aborts when the stream ends before its answer: the client closed it (2026-07-28 treats that as
   * cancellation) or read too slowly. Whoever owns the call follows it; the writer knows no call.
   */
  get closed(): AbortSignal {
    return (this.#closedBy ??= new AbortController()).signal;
  }

  #end(reason: unknown): void {
    (this.#closedBy ??= new AbortController()).abort(reason);
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
    if (this.#closed || this.#overflowed) return;
    this.#openStream();
    if (this.#unread() > this.#maxBuffered) return this.#overflow();
    this.#enqueue(frame(this.#mode.framing, message));
  }

  ready(): Promise<void> | undefined {
    if (!this.#open || this.#closed || this.#overflowed || this.#unread() < this.#highWater) return undefined;
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #openStream(): void {
    if (this.#open) return;
    this.#open = true;
    void this.readable;
    this.#onOpen?.();
    if (this.#mode.framing === 'sse' && this.#keepAliveMs > 0) {
      // Only an idle stream needs one: behind unread data it would only add to the pile.
      this.#keepAlive = setInterval(() => this.#unread() === 0 && this.#enqueue(KEEP_ALIVE), this.#keepAliveMs);
    }
  }

  /** Writes the final response and ends the stream (the final response SHOULD terminate it). */
  finish(message: JsonRpcResponse | JsonRpcResponse[]): void {
    if (this.#closed) return;
    this.#enqueue(frame(this.#mode.framing, this.#overflowed ? tooSlow(message, this.#maxBuffered) : message));
    this.#stop();
    this.#controller.close();
  }

  /** Nothing more goes out: the call was answered, as JSON or by finish(). */
  close(): void {
    this.#stop();
  }

  /** Bytes written that the client (or the platform's socket) has not taken yet. */
  #unread(): number {
    return this.#highWater - (this.#controller.desiredSize ?? 0);
  }

  /** The client stopped reading: no more is buffered, and the call is cancelled so its answer ends the stream. */
  #overflow(): void {
    this.#overflowed = true;
    clearInterval(this.#keepAlive);
    this.#wake();
    this.#end(new Error(`The client read too slowly: more than ${this.#maxBuffered} bytes of the response waited unread.`));
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

  #wake(): void {
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  #stop(): void {
    this.#closed = true;
    clearTimeout(this.#silence);
    clearInterval(this.#keepAlive);
    this.#wake();
  }
}

/** The answer to a client that fell too far behind: the same ids, each with the reason its stream ended. */
function tooSlow(message: JsonRpcResponse | JsonRpcResponse[], limit: number): JsonRpcResponse[] {
  return (Array.isArray(message) ? message : [message]).map((response) => ({
    jsonrpc: '2.0',
    id: response.id,
    error: {
      code: ErrorCode.InternalError,
      message: `Stream ended: the client left more than ${limit} bytes of this response unread (the server's maxBufferedBytes). Read the stream as it arrives, or ask the server operator to raise maxBufferedBytes.`,
    },
  })) as JsonRpcResponse[];
}
