// What a misconfigured or unreachable coordinator looks like to the caller, without workerd: a fake
// namespace stands in for the binding (durable.test.ts covers the real one).
import { describe, expect, it } from 'vitest';
import { DurableBus, DurableStore, DurableUnavailableError, McpCoordinator } from '../../src/durable/index.ts';
import type { DurableObjectNamespace, DurableObjectState } from '../../src/durable/index.ts';
import { StoreUnavailableError } from '../../src/store/store.ts';

/** A namespace whose stubs answer with `answer` (call number, path) and count the calls. */
function namespace(answer: (call: number, path: string, init?: RequestInit) => Promise<Response>) {
  let calls = 0;
  const names: string[] = [];
  const ns: DurableObjectNamespace = {
    idFromName: (name) => (names.push(name), { toString: () => name }),
    get: () => ({ fetch: (input, init) => answer(++calls, new URL(input).pathname, init) }),
  };
  return { ns, names, calls: () => calls };
}

const ok = (body: unknown) => Promise.resolve(new Response(JSON.stringify(body)));
const reset = () => Promise.reject(Object.assign(new Error('Durable Object reset because its code was updated.'), { retryable: true }));

describe('DurableStore and DurableBus errors', () => {
  it('refuses a missing binding with what to put in wrangler.toml', () => {
    expect(() => new DurableStore(undefined as never)).toThrow(/DurableStore needs a Durable Object namespace binding.*\[\[durable_objects\.bindings\]\].*new_sqlite_classes/);
    expect(() => new DurableBus({} as never)).toThrow(TypeError);
    expect(() => new DurableStore(namespace(() => ok({})).ns, { shards: 0 })).toThrow(/shards/);
  });

  it('fails a claim with a DurableUnavailableError that says what to check, and the next call works', async () => {
    const fake = namespace((call) => (call === 1 ? reset() : ok({ claimed: true })));
    const store = new DurableStore(fake.ns);
    const failure = await store.claim('k', Date.now() + 1000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DurableUnavailableError);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(/^Durable Object coordinator "mcp:store:0" is unavailable for claim: Durable Object reset because its code was updated\. Check that wrangler\.toml binds the McpCoordinator class/);
    // Never retried: the reset may have come after the claim was recorded.
    expect(fake.calls()).toBe(1);
    expect(await store.claim('k', Date.now() + 1000)).toBe(true);
  });

  it('retries an idempotent operation once when the runtime marks the failure retryable', async () => {
    const fake = namespace((call) => (call === 1 ? reset() : ok({ value: 'v' })));
    expect(await new DurableStore(fake.ns).get('k')).toBe('v');
    expect(fake.calls()).toBe(2);
  });

  it('gives up after timeoutMs', async () => {
    const hang = namespace((_call, _path, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))));
    await expect(new DurableStore(hang.ns, { timeoutMs: 50 }).get('k')).rejects.toThrow(/no answer within 50 ms/);
    await expect(new DurableBus(hang.ns, { timeoutMs: 50 }).subscribeTo('c', () => undefined)).rejects.toThrow(/unavailable for subscribeTo: no answer within 50 ms/);
  });

  it('tells a class migrated without SQLite what to change', async () => {
    const coordinator = new McpCoordinator({ storage: {} } as unknown as DurableObjectState);
    const fake = namespace((_call, path, init) => coordinator.fetch(new Request(`https://mcp-coordinator${path}`, init)));
    await expect(new DurableStore(fake.ns).get('k')).rejects.toThrow(/McpCoordinator needs SQLite storage: list it in new_sqlite_classes/);
  });

  it('spreads keys over a fixed set of coordinator names, never one per key', async () => {
    const fake = namespace((_call, path) => ok(path === '/store/get' ? {} : { claimed: true }));
    const store = new DurableStore(fake.ns, { shards: 4, prefix: 'app:' });
    for (let i = 0; i < 200; i++) await store.get(`key-${i}`);
    expect(new Set(fake.names)).toEqual(new Set(['app:store:0', 'app:store:1', 'app:store:2', 'app:store:3']));
    const one = namespace(() => ok({}));
    for (let i = 0; i < 50; i++) await new DurableStore(one.ns).get(`key-${i}`);
    expect(new Set(one.names)).toEqual(new Set(['mcp:store:0']));
  });
});
