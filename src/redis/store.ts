// Store on Redis: single-use claims are one atomic `SET key 1 PX ttl NX`, values `SET … PX`, and
// compare-and-set and counter hits one Lua script each (Redis runs a script alone, so each one's
// read and write are atomic).
// Every instance pointing at the same Redis (and prefix) shares them. Must not import `node:`.
import type { Redis } from 'ioredis';
import type { Hit, Store } from '../store/store.ts';
import { requireTtlMs } from '../store/ttl.ts';
import { RedisConnection } from './connection.ts';
import type { RedisConnectionOptions } from './connection.ts';

// KEYS[1] the value's key; ARGV: "1" when a value is expected (else none is), that value, the new
// value, its TTL in ms. GET sees an expired key as absent, as `get` does.
const COMPARE_AND_SET = `local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return 1`;

// KEYS[1] the counter, ARGV[1] the window in ms. A counter without an expiry (the first hit, or a
// key some other client wrote) gets one, so no window stays open for ever.
const HIT = `local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/**
 * @example
 * const server = createServer({ name: 'weather', version: '1.0.0',
 *   store: new RedisStore(process.env.REDIS_URL!), bus: new RedisBus(process.env.REDIS_URL!),
 *   requestState: { keys: parseRequestStateKeys(process.env.REQUEST_STATE_KEYS!) } });
 */
export class RedisStore implements Store {
  readonly #connection: RedisConnection;
  readonly #claims: string;
  readonly #values: string;
  readonly #counters: string;

  /** `redis`: a `redis://` URL (the store owns that connection) or an ioredis client (it stays yours). */
  constructor(redis: Redis | string, options: RedisConnectionOptions = {}) {
    this.#connection = new RedisConnection(redis, options);
    const prefix = options.prefix ?? 'mcp:';
    this.#claims = `${prefix}claim:`;
    this.#values = `${prefix}kv:`;
    this.#counters = `${prefix}hits:`;
  }

  async claim(key: string, expiresAt: number): Promise<boolean> {
    const ttl = Math.ceil(expiresAt - Date.now());
    // PX needs a positive TTL; a claim that ends before it starts holds nothing, as in MemoryStore.
    if (ttl <= 0) return (await this.#connection.run('EXISTS (claim)', (c) => c.exists(this.#claims + key))) === 0;
    const reply = await this.#connection.run('SET NX (claim)', (c) => c.set(this.#claims + key, '1', 'PX', ttl, 'NX'));
    return reply === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#connection.run('GET', (c) => c.get(this.#values + key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = requireTtlMs(ttlMs);
    await this.#connection.run('SET', (c) => c.set(this.#values + key, value, 'PX', ttl));
  }

  async delete(key: string): Promise<void> {
    await this.#connection.run('DEL', (c) => c.del(this.#values + key));
  }

  async compareAndSet(key: string, expected: string | undefined, value: string, ttlMs: number): Promise<boolean> {
    const ttl = requireTtlMs(ttlMs);
    const present = expected === undefined ? '0' : '1';
    const reply = await this.#connection.run('EVAL (compare-and-set)', (c) => c.eval(COMPARE_AND_SET, 1, this.#values + key, present, expected ?? '', value, ttl));
    return reply === 1;
  }

  async hit(key: string, windowMs: number): Promise<Hit> {
    const window = requireTtlMs(windowMs, 'windowMs');
    const [count, ttl] = (await this.#connection.run('EVAL (hit)', (c) => c.eval(HIT, 1, this.#counters + key, window))) as [number, number];
    // The window's end on this instance's clock: Redis reports what is left of it, not when it ends.
    return { count, resetAt: Date.now() + ttl };
  }

  /** Closes the connection made from a URL; a client passed in is left open. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}
