// The suite every Bus implementation runs (memory here, Redis in test/cluster, Durable Objects in
// test/durable). Each `create()` call must resolve a handle on ONE shared backend, as two server
// instances would hold: that is how the suite checks what crosses instances. Deliveries are
// awaited by polling, never by waiting a fixed time.
import { describe, expect, it } from 'vitest';
import type { Bus, ServerEvent } from './store.ts';

const unique = (what: string) => `${what}-${crypto.randomUUID()}`;

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

    it('delivers events published on another instance', async () => {
      const [publisher, listener] = [await create(), await create()];
      const seen: ServerEvent[] = [];
      const off = listener.subscribe((e) => seen.push(e));
      const uri = `test://${crypto.randomUUID()}`;
      const sent: ServerEvent[] = Array.from({ length: 20 }, (_, i) => (i % 2 ? { type: 'resources/updated', uri: `${uri}/${i}` } : { type: 'resources/list_changed' }));
      // Every kind, nested fields and an absent owner included, must arrive as it was published.
      sent.push({ type: 'tasks/status', task: { taskId: 't-1', status: 'input_required', inputRequests: { k: { method: 'elicitation/create' } } }, owner: 'alice' });
      sent.push({ type: 'tasks/status', task: { taskId: 't-2', status: 'completed' } });
      for (const event of sent) await publisher.publish(event);
      await expect.poll(() => seen.length).toBe(22);
      expect(seen).toEqual(sent);
      off();
    });

    it('stops delivering after unsubscribe', async () => {
      const bus = await create();
      const seen: ServerEvent[] = [];
      const off = bus.subscribe((e) => seen.push(e));
      off();
      // Delivered in publish order to every listener: once the one still subscribed has the
      // event, the one that left would have it too.
      const witness: ServerEvent[] = [];
      const offWitness = bus.subscribe((e) => witness.push(e));
      await bus.publish({ type: 'tools/list_changed' });
      await expect.poll(() => witness.length).toBe(1);
      expect(seen).toEqual([]);
      offWitness();
    });

    it('delivers a directed message across instances once subscribeTo has resolved', async () => {
      const [sender, receiver] = [await create(), await create()];
      const channel = unique('s2c');
      const got: string[] = [];
      const off = await receiver.subscribeTo(channel, (m) => got.push(m));
      const answer = JSON.stringify({ jsonrpc: '2.0', id: channel, result: { action: 'accept', content: { name: 'Ada' } } });
      expect(await sender.publishTo(channel, answer)).toBe(true);
      await expect.poll(() => got).toEqual([answer]);
      off();
    });

    it('keeps directed messages in order for each listener, and both listeners of a channel get them', async () => {
      const [sender, receiver] = [await create(), await create()];
      const channel = unique('ordered');
      const first: string[] = [];
      const second: string[] = [];
      const offFirst = await receiver.subscribeTo(channel, (m) => first.push(m));
      const offSecond = await sender.subscribeTo(channel, (m) => second.push(m));
      const sent = Array.from({ length: 30 }, (_, i) => `message ${i}`);
      for (const message of sent) await sender.publishTo(channel, message);
      await expect.poll(() => first.length).toBe(30);
      await expect.poll(() => second.length).toBe(30);
      expect(first).toEqual(sent);
      expect(second).toEqual(sent);
      offFirst();
      expect(await sender.publishTo(channel, 'after')).toBe(true);
      await expect.poll(() => second.at(-1)).toBe('after');
      expect(first.at(-1)).toBe('message 29');
      offSecond();
    });

    it('reports false for a channel nobody listens on, and after the last listener leaves', async () => {
      const [sender, receiver] = [await create(), await create()];
      const channel = unique('empty');
      expect(await sender.publishTo(channel, 'lost')).toBe(false);
      const got: string[] = [];
      const off = await receiver.subscribeTo(channel, (m) => got.push(m));
      off();
      // Unsubscribing may travel to the backend in the background.
      await expect.poll(() => sender.publishTo(channel, 'late'), { timeout: 2_000 }).toBe(false);
      expect(got).toEqual([]);
    });

    it('keeps channels, and directed messages and events, apart', async () => {
      const bus = await create();
      const channel = unique('a');
      const onA: string[] = [];
      const onEvents: string[] = [];
      const events: ServerEvent[] = [];
      const offA = await bus.subscribeTo(channel, (m) => onA.push(m));
      // A directed channel literally named "events" must not see published ServerEvents.
      const offEvents = await bus.subscribeTo('events', (m) => onEvents.push(m));
      const offBus = bus.subscribe((e) => events.push(e));
      expect(await bus.publishTo(`${channel}-other`, 'not for a')).toBe(false);
      const uri = `test://${crypto.randomUUID()}`;
      await bus.publish({ type: 'resources/updated', uri });
      await bus.publishTo(channel, 'for a');
      await expect.poll(() => onA).toEqual(['for a']);
      await expect.poll(() => events.some((e) => e.type === 'resources/updated' && e.uri === uri)).toBe(true);
      expect(onEvents).toEqual([]);
      expect(events.every((e) => typeof e.type === 'string')).toBe(true);
      offA();
      offEvents();
      offBus();
    });
  });
}
