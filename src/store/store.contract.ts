// One suite every Store and Bus implementation runs (memory here, Redis and Durable Objects later).
import { describe, expect, it } from 'vitest';
import type { Bus, ServerEvent, Store } from './store.ts';

export function runStoreContract(name: string, create: () => Store | Promise<Store>): void {
  describe(`${name} store contract`, () => {
    it('lets exactly one caller claim a key', async () => {
      const store = await create();
      const key = `k-${crypto.randomUUID()}`;
      const results = await Promise.all([1, 2, 3, 4].map(() => store.claim(key, Date.now() + 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.claim(key, Date.now() + 60_000)).toBe(false);
    });

    it('frees a key once its claim has expired', async () => {
      const store = await create();
      const key = `k-${crypto.randomUUID()}`;
      expect(await store.claim(key, Date.now() - 1)).toBe(true);
      expect(await store.claim(key, Date.now() + 60_000)).toBe(true);
    });
  });
}

export function runBusContract(name: string, create: () => Bus | Promise<Bus>): void {
  describe(`${name} bus contract`, () => {
    it('delivers every event to every listener in publish order', async () => {
      const bus = await create();
      const a: ServerEvent[] = [];
      const b: ServerEvent[] = [];
      const offA = bus.subscribe((e) => a.push(e));
      const offB = bus.subscribe((e) => b.push(e));
      const sent: ServerEvent[] = [
        { type: 'tools/list_changed' },
        { type: 'resources/updated', uri: 'test://x' },
        { type: 'prompts/list_changed' },
      ];
      for (const event of sent) await bus.publish(event);
      await expect.poll(() => a.length).toBe(3);
      await expect.poll(() => b.length).toBe(3);
      expect(a).toEqual(sent);
      expect(b).toEqual(sent);
      offA();
      offB();
    });

    it('stops delivering after unsubscribe', async () => {
      const bus = await create();
      const seen: ServerEvent[] = [];
      const off = bus.subscribe((e) => seen.push(e));
      off();
      await bus.publish({ type: 'tools/list_changed' });
      await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([]);
    });
  });
}
