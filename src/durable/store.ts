// Store on the coordinator Durable Object: each operation is one `stub.fetch` to the object that
// owns the key (of `shards`), which keeps claims and values with their expiry in SQLite storage.
import type { Hit, Store } from '../store/store.ts';
import { requireTtlMs } from '../store/ttl.ts';
import { Coordinators } from './client.ts';
import type { DurableOptions } from './client.ts';
import type { DurableObjectNamespace } from './types.ts';

/**
 * @example
 * // wrangler.toml binds MCP_COORDINATOR to the McpCoordinator class (exported by this Worker).
 * const server = createServer({ name: 'weather', version: '1.0.0',
 *   store: new DurableStore(env.MCP_COORDINATOR), bus: new DurableBus(env.MCP_COORDINATOR) });
 */
export class DurableStore implements Store {
  readonly #coordinators: Coordinators;

  constructor(namespace: DurableObjectNamespace, options: DurableOptions = {}) {
    this.#coordinators = new Coordinators(namespace, options, 'DurableStore');
  }

  async claim(key: string, expiresAt: number): Promise<boolean> {
    const answer = await this.#call<{ claimed: boolean }>(key, 'claim', { key, expiresAt }, false);
    return answer.claimed;
  }

  async get(key: string): Promise<string | undefined> {
    const answer = await this.#call<{ value?: string }>(key, 'get', { key }, true);
    return answer.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#call(key, 'set', { key, value, ttlMs: requireTtlMs(ttlMs) }, true);
  }

  async delete(key: string): Promise<void> {
    await this.#call(key, 'delete', { key }, true);
  }

  async compareAndSet(key: string, expected: string | undefined, value: string, ttlMs: number): Promise<boolean> {
    // Never retried: a first attempt that wrote would make the retry report a conflict with itself.
    const answer = await this.#call<{ written: boolean }>(key, 'compareAndSet', { key, expected: expected ?? null, value, ttlMs: requireTtlMs(ttlMs) }, false);
    return answer.written;
  }

  async hit(key: string, windowMs: number): Promise<Hit> {
    // Never retried: a first attempt that counted would make the retry count twice.
    return this.#call<Hit>(key, 'hit', { key, windowMs: requireTtlMs(windowMs, 'windowMs') }, false);
  }

  #call<T>(key: string, op: string, body: Record<string, unknown>, retry: boolean): Promise<T> {
    return this.#coordinators.call<T>(this.#coordinators.nameFor('store', key), `/store/${op}`, body, op, retry);
  }
}
