// What must outlive one request goes through these two interfaces, never through process state
// that a load balancer cannot see. Imports nothing from the server or HTTP layers.
//
// Every method is async and every value a string, with TTLs in milliseconds and no transactions
// or blocking reads: so a TCP Redis, an HTTP Redis (Upstash) or a Durable Object can each implement
// them with single round trips (compareAndSet and `hit` are one script each on Redis, one SQLite step in an object).

/** Change events fanned out to `subscriptions/listen` streams on every instance. */
export type ServerEvent =
  | { type: 'tools/list_changed' }
  | { type: 'prompts/list_changed' }
  | { type: 'resources/list_changed' }
  | { type: 'resources/updated'; uri: string }
  /** Tasks extension: a task's new state, as tasks/get shows it, for listeners that may see it. */
  | { type: 'tasks/status'; task: Record<string, unknown>; owner?: string };

/**
 * What an engine throws when its backend cannot be reached. Requests that needed it are answered
 * 503 with Retry-After, so clients and balancers retry instead of reporting a server bug.
 */
export class StoreUnavailableError extends Error {
  override readonly name: string = 'StoreUnavailableError';
}

export interface Store {
  /**
   * Records `key` until `expiresAt` (ms since the epoch) unless it is already recorded.
   * Resolves true for the one caller that recorded it: the primitive behind single-use tokens.
   * Claims live apart from `get`/`set` values: claiming `k` never makes `get("k")` defined.
   */
  claim(key: string, expiresAt: number): Promise<boolean>;

  /** The value last `set` under `key`, or undefined when there is none or it has expired. */
  get(key: string): Promise<string | undefined>;

  /**
   * Stores `value` under `key` for `ttlMs` milliseconds (a positive, finite number; fractions round
   * up), replacing any earlier value and its TTL. Rejects with a TypeError for any other `ttlMs`.
   */
  set(key: string, value: string, ttlMs: number): Promise<void>;

  /** Removes the value under `key`; resolves the same whether or not there was one. */
  delete(key: string): Promise<void>;

  /**
   * Writes `value` under `key` for `ttlMs` (as `set`) only if the key still holds `expected`: the
   * value a `get` returned, or undefined for none (never set, deleted or expired). Resolves false,
   * writing nothing, when another write came first; the caller then reads again and retries from
   * what is really there. The check and the write are one atomic step on every instance sharing
   * the backend, so two read-modify-write cycles on one key can never erase each other. Values
   * compare byte for byte: a caller that may write the same value twice should make each one
   * unique (e.g. a revision number inside it). Rejects with a TypeError for a bad `ttlMs`.
   */
  compareAndSet(key: string, expected: string | undefined, value: string, ttlMs: number): Promise<boolean>;

  /**
   * Counts one more hit on the counter `key` and resolves its new `count` with the moment its
   * window ends (`resetAt`, ms since the epoch). The first hit opens a fixed window of `windowMs`
   * (a positive, finite number; fractions round up); later hits inside it count on without moving
   * its end; after it ends the next hit starts again at 1. Increment and read are one atomic step
   * on every instance sharing the backend, so concurrent hits never see the same count: the
   * primitive behind shared rate limits. Counters live apart from values and claims. Rejects with
   * a TypeError for any other `windowMs`.
   */
  hit(key: string, windowMs: number): Promise<Hit>;
}

/** What `Store.hit` resolves: the count in the current window, and when that window ends. */
export interface Hit {
  count: number;
  resetAt: number;
}

export interface Bus {
  publish(event: ServerEvent): Promise<void>;
  /** Returns the function that ends the subscription. Events reach each listener in publish order. */
  subscribe(listener: (event: ServerEvent) => void): () => void;

  /**
   * Sends `message` to whoever listens on `channel` (on any instance sharing the bus). Resolves true
   * when at least one listener was subscribed to receive it, false when nobody was: a rendezvous
   * such as `s2c:<request id>` then knows the answer reached no waiting handler.
   */
  publishTo(channel: string, message: string): Promise<boolean>;

  /**
   * Listens on `channel` (a namespace apart from `publish`/`subscribe` events). Resolves once
   * messages published from then on are sure to arrive, so a caller subscribes first and only then
   * reveals the channel name (e.g. sends the request whose answer will come back on it). Messages
   * reach each listener in publish order. Resolves the function that ends the subscription.
   */
  subscribeTo(channel: string, listener: (message: string) => void): Promise<() => void>;
}
