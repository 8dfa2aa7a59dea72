// The suite every Store implementation runs (memory here, Redis in test/cluster, Durable Objects in
// test/durable; the Bus has its own, bus.contract.ts). Each `create()` call must resolve a ready
// handle on ONE shared backend, as two server instances would hold: that is how the suite checks
// what crosses instances. Tests use fresh keys, so a backend may outlive the suite.
//
// No test depends on how long an operation takes: the engines keep time on their own clocks
// (Redis, a Durable Object), so an expiry is shown by waiting until it has happened (polling), and
// "still there" only ever for lifetimes far longer than any test. SHORT_MS is short for speed only.
import { describe, expect, it } from 'vitest';
import type { Store } from './store.ts';

const unique = (what: string) => `${what}-${crypto.randomUUID()}`;
const SHORT_MS = 300;
/** Waits until `read` gives `expected`: as long as a slow engine needs, and no longer. */
const until = <T>(read: () => Promise<T>, expected: T) => expect.poll(read, { timeout: 20_000, interval: 50 }).toBe(expected);

export function runStoreContract(name: string, create: () => Store | Promise<Store>): void {
  describe(`${name} store contract`, () => {
    it('lets exactly one caller claim a key, across instances', async () => {
      const [a, b] = [await create(), await create()];
      const key = unique('k');
      const results = await Promise.all([a, b, a, b].map((store) => store.claim(key, Date.now() + 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.claim(key, Date.now() + 60_000)).toBe(false);
      expect(await b.claim(key, Date.now() + 60_000)).toBe(false);
    });

    it('frees a key once its claim has expired', async () => {
      const store = await create();
      const key = unique('k');
      expect(await store.claim(key, Date.now() - 1)).toBe(true);
      expect(await store.claim(key, Date.now() + 60_000)).toBe(true);
    });

    it('frees a short claim when its time is up, and only that one', async () => {
      const store = await create();
      const [key, held] = [unique('k'), unique('k')];
      expect(await store.claim(key, Date.now() + SHORT_MS)).toBe(true);
      expect(await store.claim(held, Date.now() + 60_000)).toBe(true);
      // A claim that never expired would keep this false into the test's time-out.
      await until(() => store.claim(key, Date.now() + 60_000), true);
      expect(await store.claim(held, Date.now() + 60_000)).toBe(false);
    });

    it('reads on one instance the value set on another, byte for byte', async () => {
      const [a, b] = [await create(), await create()];
      const key = unique('v');
      expect(await b.get(key)).toBeUndefined();
      const value = JSON.stringify({ result: 'ok', text: 'naïve ✓ 日本 \u{1F600}', nested: [1, '2'] });
      await a.set(key, value, 60_000);
      expect(await b.get(key)).toBe(value);
      await a.set(`${key}-empty`, '', 60_000);
      expect(await b.get(`${key}-empty`)).toBe('');
    });

    it('replaces a value and its TTL on set', async () => {
      const store = await create();
      const [key, witness] = [unique('v'), unique('v')];
      await store.set(key, 'first', SHORT_MS);
      await store.set(key, 'second', 60_000);
      // Written after the first value with the same TTL: once it is gone, the first TTL is over too.
      await store.set(witness, 'witness', SHORT_MS);
      await until(() => store.get(witness), undefined);
      expect(await store.get(key)).toBe('second');
    });

    it('forgets a value once its TTL has passed, and keeps a longer-lived one', async () => {
      const store = await create();
      const [key, kept] = [unique('v'), unique('v')];
      await store.set(key, 'short-lived', SHORT_MS);
      await store.set(kept, 'long-lived', 60_000);
      await until(() => store.get(key), undefined);
      expect(await store.get(kept)).toBe('long-lived');
    });

    it('deletes a value everywhere, and deleting nothing is fine', async () => {
      const [a, b] = [await create(), await create()];
      const key = unique('v');
      await a.set(key, 'x', 60_000);
      await b.delete(key);
      expect(await a.get(key)).toBeUndefined();
      await expect(b.delete(unique('never-set'))).resolves.toBeUndefined();
    });

    it('keeps claims and values apart', async () => {
      const store = await create();
      const key = unique('both');
      expect(await store.claim(key, Date.now() + 60_000)).toBe(true);
      expect(await store.get(key)).toBeUndefined();
      await store.set(key, 'value', 60_000);
      await store.delete(key);
      expect(await store.claim(key, Date.now() + 60_000)).toBe(false);
    });

    it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses ttlMs %s with a TypeError', async (ttlMs) => {
      const store = await create();
      const key = unique('v');
      await expect(store.set(key, 'x', ttlMs)).rejects.toThrow(TypeError);
      expect(await store.get(key)).toBeUndefined();
      await expect(store.compareAndSet(key, undefined, 'x', ttlMs)).rejects.toThrow(TypeError);
      expect(await store.get(key)).toBeUndefined();
    });

    // The lost update, step by step: two instances read the same value and each writes what it
    // derived from it. With set, the second write silently erases the first; compareAndSet must
    // refuse it, so its caller reads again and derives from the value that is really there.
    it('refuses the second of two writes derived from the same read, across instances', async () => {
      const [a, b] = [await create(), await create()];
      const key = unique('cas');
      // Compared byte for byte, whatever the characters: the value as `get` returned it must match.
      await a.set(key, JSON.stringify({ v: 0, name: 'Zoë ✓ 日本 \u{1F600}' }), 60_000);
      const [readByA, readByB] = [await a.get(key), await b.get(key)];
      expect(await a.compareAndSet(key, readByA, 'from a', 60_000)).toBe(true);
      expect(await b.compareAndSet(key, readByB, 'from b', 60_000)).toBe(false);
      expect(await b.get(key)).toBe('from a');
      expect(await b.compareAndSet(key, await b.get(key), 'from b, after a', 60_000)).toBe(true);
      expect(await a.get(key)).toBe('from b, after a');
    });

    it('creates a value only where there is none, and counts an expired value as none', async () => {
      const [a, b] = [await create(), await create()];
      const key = unique('cas');
      const results = await Promise.all([a, b, a, b].map((store, i) => store.compareAndSet(key, undefined, `first ${i}`, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.get(key)).toBe(`first ${results.indexOf(true)}`);
      expect(await a.compareAndSet(key, undefined, 'again', 60_000)).toBe(false);

      const short = unique('cas');
      await a.set(short, 'short-lived', SHORT_MS);
      await until(() => b.get(short), undefined);
      expect(await b.compareAndSet(short, 'short-lived', 'too late', 60_000)).toBe(false);
      expect(await b.compareAndSet(short, undefined, 'fresh', 60_000)).toBe(true);
      expect(await a.get(short)).toBe('fresh');
    });

    it('sets the TTL of the value it writes, and leaves claims alone', async () => {
      const store = await create();
      const key = unique('cas');
      expect(await store.claim(key, Date.now() + 60_000)).toBe(true);
      expect(await store.compareAndSet(key, undefined, 'brief', SHORT_MS)).toBe(true);
      // A write that kept no TTL would stay into the test's time-out.
      await until(() => store.get(key), undefined);
      expect(await store.claim(key, Date.now() + 60_000)).toBe(false);
    });

    it('loses no update when instances read, modify and write the same key at once', async () => {
      const handles = [await create(), await create()];
      const key = unique('counter');
      await handles[0]!.set(key, '0', 60_000);
      const increment = async (store: Store) => {
        for (;;) {
          const seen = await store.get(key);
          if (await store.compareAndSet(key, seen, String(Number(seen) + 1), 60_000)) return;
        }
      };
      await Promise.all(Array.from({ length: 10 }, (_, i) => increment(handles[i % 2]!)));
      expect(await handles[1]!.get(key)).toBe('10');
    });

    runHitContract(create);
  });
}

/** `Store.hit`, the shared counter behind rate limits. */
function runHitContract(create: () => Store | Promise<Store>): void {
  it('counts concurrent hits from several instances exactly once each', async () => {
    const [a, b] = [await create(), await create()];
    const key = unique('hits');
    const hits = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).hit(key, 60_000)));
    // 1 to 20, each once: no two hits read the same count, and none opened a second window.
    expect(hits.map((hit) => hit.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('opens a window of windowMs with the first hit', async () => {
    const store = await create();
    const before = Date.now();
    const first = await store.hit(unique('hits'), 60_000);
    const after = Date.now();
    expect(first.count).toBe(1);
    // Millisecond rounding on the backend may shave one off.
    expect(first.resetAt).toBeGreaterThanOrEqual(before + 60_000 - 1);
    expect(first.resetAt).toBeLessThanOrEqual(after + 60_000);
  });

  it('keeps a window fixed while hits arrive, then starts again at 1', async () => {
    const store = await create();
    const key = unique('hits');
    expect((await store.hit(key, 60_000)).count).toBe(1);
    // A later hit counts in the window the first one opened: it neither reopens it nor moves its
    // end, which is most of a minute away (one this hit set would end within SHORT_MS).
    const second = await store.hit(key, SHORT_MS);
    expect(second.count).toBe(2);
    expect(second.resetAt).toBeGreaterThan(Date.now() + 30_000);

    const brief = unique('hits');
    expect((await store.hit(brief, SHORT_MS)).count).toBe(1);
    // Hitting every 50 ms: a window that each hit extended would never close, and never count 1 again.
    await until(async () => (await store.hit(brief, SHORT_MS)).count, 1);
  });

  it('keeps counters apart from values and claims', async () => {
    const store = await create();
    const key = unique('apart');
    await store.set(key, 'value', 60_000);
    expect(await store.claim(key, Date.now() + 60_000)).toBe(true);
    expect((await store.hit(key, 60_000)).count).toBe(1);
    expect(await store.get(key)).toBe('value');
    await store.delete(key);
    expect((await store.hit(key, 60_000)).count).toBe(2);
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses windowMs %s with a TypeError', async (windowMs) => {
    const store = await create();
    const key = unique('hits');
    await expect(store.hit(key, windowMs)).rejects.toThrow(TypeError);
    expect((await store.hit(key, 60_000)).count).toBe(1);
  });
}
