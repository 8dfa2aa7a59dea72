// RedisStore and RedisBus against a real redis-server this suite starts on a free loopback port:
// the shared Store/Bus contract, what lands in Redis, and what an outage looks like and heals into.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisBus, RedisStore, RedisUnavailableError } from '../../src/redis/index.ts';
import type { ServerEvent } from '../../src/store/store.ts';
import { runBusContract } from '../../src/store/bus.contract.ts';
import { runStoreContract } from '../../src/store/store.contract.ts';
import { freePorts } from '../support/processes.ts';
import { startRedis } from './redis-server.ts';
import type { RedisServer } from './redis-server.ts';
import { describeWith, findTool } from './tools.ts';

const redisServer = findTool('redis-server');
const closing: { close(): Promise<void> }[] = [];
const closed = <T extends { close(): Promise<void> }>(handle: T): T => (closing.push(handle), handle);
const closeAll = () => Promise.all(closing.splice(0).map((handle) => handle.close()));

describeWith([redisServer], 'Redis store and bus on a real redis-server', (paths) => {
  let redis: RedisServer;
  let raw: Redis;
  beforeAll(async () => {
    redis = await startRedis(paths['redis-server']!);
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    await closeAll();
    raw?.disconnect();
    await redis?.stop();
  });

  // One prefix per run: every handle the contract creates is another "instance" on the same data.
  const prefix = `contract-${crypto.randomUUID()}:`;
  runStoreContract('RedisStore', () => closed(new RedisStore(redis.url, { prefix })));
  runBusContract('RedisBus', async () => {
    const bus = closed(new RedisBus(redis.url, { prefix }));
    await bus.ready();
    return bus;
  });

  it('claims with SET NX PX: the claim is a key that expires with the requestState', async () => {
    const store = closed(new RedisStore(redis.url, { prefix: 'px:' }));
    // TTLs are checked against the time that really passed (same clock as redis-server's), however long that was.
    const claimedAt = Date.now();
    expect(await store.claim('requestState:abc', claimedAt + 60_000)).toBe(true);
    expect(await raw.get('px:claim:requestState:abc')).toBe('1');
    const ttl = await raw.pttl('px:claim:requestState:abc');
    expect(ttl).toBeGreaterThanOrEqual(claimedAt + 60_000 - Date.now() - 1);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const setAt = Date.now();
    await store.set('task:1', '{"status":"working"}', 30_000);
    expect(await raw.get('px:kv:task:1')).toBe('{"status":"working"}');
    expect(await raw.pttl('px:kv:task:1')).toBeGreaterThanOrEqual(setAt + 30_000 - Date.now() - 1);
  });

  it('counts hits in one key per counter that expires with its window, and gives a key left without expiry one', async () => {
    const store = closed(new RedisStore(redis.url, { prefix: 'px:' }));
    const openedAt = Date.now();
    expect((await store.hit('caller', 60_000)).count).toBe(1);
    expect((await store.hit('caller', 60_000)).count).toBe(2);
    expect(await raw.get('px:hits:caller')).toBe('2');
    const ttl = await raw.pttl('px:hits:caller');
    expect(ttl).toBeGreaterThanOrEqual(openedAt + 60_000 - Date.now() - 1);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Written by someone else with no expiry: the next hit must not leave it open for ever.
    await raw.set('px:hits:stuck', '7');
    const hitAt = Date.now();
    const hit = await store.hit('stuck', 30_000);
    expect(hit.count).toBe(8);
    expect(await raw.pttl('px:hits:stuck')).toBeGreaterThanOrEqual(hitAt + 30_000 - Date.now() - 1);
  });

  it('keeps apps with different prefixes apart', async () => {
    const [one, two] = [closed(new RedisStore(redis.url, { prefix: 'app1:' })), closed(new RedisStore(redis.url, { prefix: 'app2:' }))];
    expect(await one.claim('same', Date.now() + 60_000)).toBe(true);
    expect(await two.claim('same', Date.now() + 60_000)).toBe(true);
    await one.set('k', 'for app1', 60_000);
    expect(await two.get('k')).toBeUndefined();

    const [busOne, busTwo] = [closed(new RedisBus(redis.url, { prefix: 'app1:' })), closed(new RedisBus(redis.url, { prefix: 'app2:' }))];
    await Promise.all([busOne.ready(), busTwo.ready()]);
    const seenByTwo: ServerEvent[] = [];
    busTwo.subscribe((event) => seenByTwo.push(event));
    await busTwo.subscribeTo('s2c:1', () => undefined);
    expect(await busOne.publishTo('s2c:1', 'x')).toBe(false);
    await busOne.publish({ type: 'tools/list_changed' });
    await busTwo.publish({ type: 'prompts/list_changed' });
    await expect.poll(() => seenByTwo).toEqual([{ type: 'prompts/list_changed' }]);
  });

  it('uses an ioredis client it is given, leaves it open on close, and closes its own subscriber', async () => {
    const clients = async () => String(await raw.call('CLIENT', 'LIST')).trim().split('\n').length;
    const before = await clients();
    const client = new Redis(redis.url);
    const store = new RedisStore(client, { prefix: 'given:' });
    const bus = new RedisBus(client, { prefix: 'given:' });
    await bus.ready();
    const got: string[] = [];
    await bus.subscribeTo('c', (m) => got.push(m));
    expect(await bus.publishTo('c', 'hello')).toBe(true);
    await expect.poll(() => got).toEqual(['hello']);
    await store.set('k', 'v', 60_000);
    await Promise.all([store.close(), bus.close()]);
    expect(client.status).toBe('ready');
    expect(await client.get('given:kv:k')).toBe('v');
    await expect.poll(clients).toBe(before + 1);
    client.disconnect();
  });

  it('lets a burst of operations wait for one connection without a listener each', async () => {
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    const store = new RedisStore(client, { prefix: 'burst:' });
    const before = client.listenerCount('ready');
    const burst = Array.from({ length: 20 }, (_, i) => store.hit('caller', 60_000).then((hit) => hit.count, () => -i));
    // Node warns past ten listeners on one emitter: a request burst during an outage would do that.
    expect(client.listenerCount('ready') - before).toBeLessThanOrEqual(1);
    expect((await Promise.all(burst)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(client.listenerCount('ready')).toBe(before);
    await store.close();
    client.disconnect();
  });

  it('refuses a string that is not a Redis URL, without echoing its password', () => {
    expect(() => new RedisStore('localhost:6379')).toThrow(/redis:\/\/127\.0\.0\.1:6379/);
    expect(() => new RedisBus('http://user:s3cret@example.com')).toThrow(TypeError);
    expect(() => new RedisBus('http://user:s3cret@example.com')).not.toThrow(/s3cret/);
  });

  it('routes a listener that throws to onError and still delivers to the others', async () => {
    const errors: Error[] = [];
    const bus = closed(new RedisBus(redis.url, { prefix: `throws-${crypto.randomUUID()}:`, onError: (e) => errors.push(e) }));
    await bus.ready();
    const seen: ServerEvent[] = [];
    bus.subscribe(() => {
      throw new Error('listener broke');
    });
    bus.subscribe((event) => seen.push(event));
    await bus.publish({ type: 'resources/updated', uri: 'test://a' });
    await expect.poll(() => seen).toEqual([{ type: 'resources/updated', uri: 'test://a' }]);
    expect(errors.map((e) => e.message)).toEqual(['listener broke']);
  });
});

describeWith([redisServer], 'Redis outages', (paths) => {
  let redis: RedisServer;
  beforeAll(async () => {
    // Its own redis-server: stopping it must not disturb the connections of the suite above.
    redis = await startRedis(paths['redis-server']!);
  });
  afterAll(async () => {
    await closeAll();
    await redis?.stop();
  });

  it('fails fast, saying what to check, when nothing listens at the URL', async () => {
    const [port] = await freePorts(1);
    const reported: Error[] = [];
    const store = closed(new RedisStore(`redis://127.0.0.1:${port}`, { timeoutMs: 300, onError: (e) => reported.push(e) }));
    // Ended by the store's own 300 ms limit (its message says so), not by ioredis retrying for
    // as long as it likes: that would leave the call pending into the test's time-out.
    const failure = await store.claim('k', Date.now() + 60_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RedisUnavailableError);
    expect((failure as Error).message).toContain(`Redis at redis://127.0.0.1:${port} is unavailable for SET NX (claim): not connected within 300 ms`);
    expect((failure as Error).message).toContain('ECONNREFUSED');
    expect((failure as Error).message).toContain('Check the Redis URL (e.g. REDIS_URL) and that redis-server is running');
    // One report per outage, however many reconnect attempts fail.
    expect(reported.length).toBe(1);
    expect(reported[0]!.message).toContain('ECONNREFUSED');

    const bus = closed(new RedisBus(`redis://127.0.0.1:${port}`, { timeoutMs: 300, onError: () => undefined }));
    await expect(bus.ready()).rejects.toThrow(/unavailable for SUBSCRIBE mcp:events: no reply within 300 ms/);
    await expect(bus.publish({ type: 'tools/list_changed' })).rejects.toBeInstanceOf(RedisUnavailableError);
  });

  it('reports an outage, then works again, resubscribed, once redis-server is back', { timeout: 30_000 }, async () => {
    const reported: Error[] = [];
    const options = { prefix: 'outage:', timeoutMs: 400, onError: (e: Error) => reported.push(e), redisOptions: { retryStrategy: () => 50 } };
    const store = closed(new RedisStore(redis.url, options));
    const listening = closed(new RedisBus(redis.url, options));
    const publishing = closed(new RedisBus(redis.url, options));
    await Promise.all([listening.ready(), publishing.ready()]);
    const events: ServerEvent[] = [];
    const directed: string[] = [];
    listening.subscribe((event) => events.push(event));
    await listening.subscribeTo('s2c:before', (m) => directed.push(m));
    await publishing.publish({ type: 'resources/updated', uri: 'test://before' });
    await expect.poll(() => events.length).toBe(1);

    await redis.stop();
    const down = await store.get('k').catch((error: unknown) => error);
    expect(down).toBeInstanceOf(RedisUnavailableError);
    expect((down as Error).message).toMatch(new RegExp(`Redis at redis://127\\.0\\.0\\.1:${redis.port} is unavailable for GET: (not connected within 400 ms|the connection dropped before Redis answered)`));
    await expect(publishing.publish({ type: 'tools/list_changed' })).rejects.toThrow(/redis-server is running/);
    // Reported by the first reconnect attempt that fails, which may come after the calls above.
    await expect.poll(() => reported.length).toBeGreaterThanOrEqual(1);
    expect(reported[0]!.message).toContain(`redis://127.0.0.1:${redis.port}`);

    await redis.start();
    // ioredis reconnects by itself; the store answers again (the new redis-server starts empty).
    await expect.poll(() => store.get('k').then((v) => v ?? 'absent', () => 'still down'), { timeout: 10_000, interval: 100 }).toBe('absent');
    expect(await store.claim('after', Date.now() + 60_000)).toBe(true);
    expect(await store.claim('after', Date.now() + 60_000)).toBe(false);
    // The subscriber connection subscribed again to both the events and the directed channel.
    await expect.poll(() => publishing.publishTo('s2c:before', 'after outage').catch(() => false), { timeout: 10_000, interval: 100 }).toBe(true);
    await expect.poll(() => directed.at(-1)).toBe('after outage');
    await publishing.publish({ type: 'resources/updated', uri: 'test://after' });
    await expect.poll(() => events.at(-1)).toEqual({ type: 'resources/updated', uri: 'test://after' });
  });
});
