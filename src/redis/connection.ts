// One ioredis connection as the Store and Bus use it: commands are sent only while it is ready and
// get a deadline, so an outage fails requests fast with an error that says what to check, and
// ioredis's own reconnect brings the connection back. Must not import `node:` (only ioredis does).
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../store/store.ts';

export interface RedisConnectionOptions {
  /** Prepended to every key and channel, so several apps can share one Redis. Default `"mcp:"`. */
  prefix?: string;
  /** How long one operation may wait for a connection and a reply, in ms. Default 5000. */
  timeoutMs?: number;
  /** Receives the first error of each outage (its later reconnect failures are not repeated). Default: console.error. */
  onError?: (error: Error) => void;
  /** Extra ioredis options for connections made from a URL (e.g. `tls`, `retryStrategy`). */
  redisOptions?: RedisOptions;
}

/** Redis could not be reached, or did not answer in time. Operations fail with it; nothing is retried. */
export class RedisUnavailableError extends StoreUnavailableError {
  override readonly name = 'RedisUnavailableError';
  readonly code = 'REDIS_UNAVAILABLE';
}

const DEFAULT_TIMEOUT_MS = 5_000;

// Fail fast instead of queueing, and never resend a command after a reconnect: a claim that ran
// after its caller was told it failed would refuse that caller's retry as "already used".
const COMMAND_DEFAULTS: RedisOptions = { maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false };
// A subscriber must keep SUBSCRIBE queued until Redis answers, and subscribe again after reconnects.
export const SUBSCRIBER_DEFAULTS: RedisOptions = { maxRetriesPerRequest: null, autoResubscribe: true, enableOfflineQueue: true };

/** Makes a client from a `redis://` or `rediss://` URL, with a TypeError that shows the expected form. */
export function createClient(url: string, overrides: RedisOptions, options: RedisConnectionOptions): Redis {
  if (!/^rediss?:\/\//.test(url)) {
    throw new TypeError(`Expected a Redis URL such as redis://127.0.0.1:6379 (or rediss:// for TLS), or an ioredis client; got "${url.replace(/\/\/[^@/]*@/, '//***@')}".`);
  }
  return new Redis(url, { ...overrides, ...options.redisOptions });
}

export class RedisConnection {
  readonly client: Redis;
  /** Where Redis is, for messages: never the password. */
  readonly address: string;
  readonly #owned: boolean;
  readonly #timeoutMs: number;
  readonly #onError: (error: Error) => void;
  #lastError: Error | undefined;
  #reported = false;
  #connecting: Promise<'ready' | 'end'> | undefined;

  readonly #errorListener = (error: Error) => {
    this.#lastError = error;
    if (this.#reported) return;
    this.#reported = true;
    this.#report(this.#unavailable(undefined, error.message, error));
  };
  readonly #readyListener = () => {
    this.#lastError = undefined;
    this.#reported = false;
  };

  /**
   * `source` is a URL (this connection makes and owns its client) or a client, which stays the
   * caller's unless `owned` says this connection made it (the Bus's subscriber).
   */
  constructor(source: Redis | string, options: RedisConnectionOptions, { overrides = COMMAND_DEFAULTS, owned = false }: { overrides?: RedisOptions; owned?: boolean } = {}) {
    this.#owned = owned || typeof source === 'string';
    this.client = typeof source === 'string' ? createClient(source, overrides, options) : source;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.#timeoutMs > 0)) throw new TypeError(`timeoutMs must be a positive number of milliseconds; got ${String(options.timeoutMs)}.`);
    this.#onError = options.onError ?? ((error) => console.error(`[stateless-mcp/redis] ${error.message}`));
    const { host, port, path, tls } = this.client.options;
    this.address = path ? `unix:${path}` : `${tls ? 'rediss' : 'redis'}://${host ?? 'localhost'}:${port ?? 6379}`;
    // Without an 'error' listener ioredis prints every failed reconnect; with one, each outage is reported once.
    this.client.on('error', this.#errorListener);
    this.client.on('ready', this.#readyListener);
  }

  /** Sends a command once the connection is ready, within the deadline. */
  async run<T>(what: string, send: (client: Redis) => Promise<T>): Promise<T> {
    const started = Date.now();
    await this.#ready(what);
    return this.within(what, send(this.client), this.#timeoutMs - (Date.now() - started));
  }

  /** Waits for `pending` (already sent, maybe queued by ioredis) until the deadline. */
  async within<T>(what: string, pending: Promise<T>, timeoutMs = this.#timeoutMs): Promise<T> {
    // Past the deadline the caller has its answer; a late failure has nobody left to tell.
    pending.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.#unavailable(what, `no reply within ${this.#timeoutMs} ms`)), Math.max(1, timeoutMs));
    });
    try {
      return await Promise.race([pending, deadline]);
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw error;
      const cause = error instanceof Error ? error : new Error(String(error));
      // A reply error is Redis answering (e.g. WRONGTYPE on a key another app wrote): not an outage.
      if (cause.name === 'ReplyError') throw new Error(`Redis at ${this.address} refused ${what}: ${cause.message}`, { cause });
      // ioredis words a dropped connection in terms of its own options; say what happened instead.
      const dropped = cause.name === 'MaxRetriesPerRequestError' || /connection is closed/i.test(cause.message);
      throw this.#unavailable(what, dropped ? 'the connection dropped before Redis answered' : cause.message.replace(/\.+$/, ''), cause);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Quits the client if this connection made it; a client passed in stays open for its owner. */
  async close(): Promise<void> {
    this.client.off('error', this.#errorListener);
    this.client.off('ready', this.#readyListener);
    if (!this.#owned) return;
    // Keep a listener while quitting: a connection dropping now must not become an unhandled 'error'.
    this.client.on('error', () => undefined);
    if (this.client.status === 'ready') {
      try {
        await this.within('QUIT', this.client.quit());
        return;
      } catch {
        // QUIT got no answer in time: drop the socket instead, below.
      }
    }
    this.client.disconnect();
  }

  #report(error: Error): void {
    try {
      this.#onError(error);
    } catch {
      // A failing onError hook must not break the connection's event handling.
    }
  }

  async #ready(what: string): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') return;
    if (client.status === 'end') throw this.#unavailable(what, 'the connection is closed (quit, or its retryStrategy stopped reconnecting)');
    // lazyConnect: this is the first use. A failure shows up as an 'error' event and the deadline.
    if (client.status === 'wait') client.connect().catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.#timeoutMs)));
    const outcome = await Promise.race([this.#connected(), deadline]);
    clearTimeout(timer);
    if (outcome === 'end') throw this.#unavailable(what, 'the connection closed while waiting for it');
    if (outcome === 'late') throw this.#unavailable(what, `not connected within ${this.#timeoutMs} ms`);
  }

  /**
   * Settles when the client is next ready or ends. One wait for all callers: a burst of requests
   * during an outage must not add a listener each (Node warns past ten on one emitter).
   */
  #connected(): Promise<'ready' | 'end'> {
    this.#connecting ??= new Promise<'ready' | 'end'>((resolve) => {
      const settle = (outcome: 'ready' | 'end') => () => {
        this.client.off('ready', onReady);
        this.client.off('end', onEnd);
        this.#connecting = undefined;
        resolve(outcome);
      };
      const onReady = settle('ready');
      const onEnd = settle('end');
      this.client.on('ready', onReady);
      this.client.on('end', onEnd);
    });
    return this.#connecting;
  }

  #unavailable(what: string | undefined, detail: string, cause?: Error): RedisUnavailableError {
    const last = this.#lastError && this.#lastError !== cause ? ` (last connection error: ${this.#lastError.message})` : '';
    return new RedisUnavailableError(
      `Redis at ${this.address} is unavailable${what ? ` for ${what}` : ''}: ${detail}${last}. Check the Redis URL (e.g. REDIS_URL) and that redis-server is running and reachable there; the client reconnects by itself once it is.`,
      { cause },
    );
  }
}
