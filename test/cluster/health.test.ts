// Readiness against a real redis-server that this suite stops and starts again: the instance is
// reported not ready (503, naming the store and the bus) while Redis is down and ready again once it
// is back, with no restart; liveness answers 200 throughout.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMcpApp, healthRoutes } from '../../src/http/index.ts';
import { RedisBus, RedisStore } from '../../src/redis/index.ts';
import { McpServer } from '../../src/server/server.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { startRedis } from './redis-server.ts';
import type { RedisServer } from './redis-server.ts';
import { describeWith, findTool } from './tools.ts';

describeWith([findTool('redis-server')], 'health with Redis going away and coming back', (paths) => {
  let redis: RedisServer;
  let store: RedisStore;
  let bus: RedisBus;
  let served: Served;
  let origin: string;

  beforeAll(async () => {
    redis = await startRedis(paths['redis-server']!);
    const options = { timeoutMs: 300, onError: () => undefined, redisOptions: { retryStrategy: () => 50 } };
    store = new RedisStore(redis.url, options);
    bus = new RedisBus(redis.url, options);
    await bus.ready();
    const server = new McpServer({ name: 'health', version: '1', store, bus });
    served = await serveApp((base) => createMcpApp(server, { ...base, log: false }).route('/', healthRoutes(server)));
    origin = new URL(served.url).origin;
  });
  afterAll(async () => {
    await served?.close();
    await Promise.all([store?.close(), bus?.close()]);
    await redis?.stop();
  });

  const status = async (path: string) => (await fetch(`${origin}${path}`)).status;

  it('reports 503 while redis-server is stopped and 200 once it is back; liveness stays 200', { timeout: 30_000 }, async () => {
    expect(await status('/readyz')).toBe(200);
    expect(await status('/healthz')).toBe(200);

    await redis.stop();
    const down = await fetch(`${origin}/readyz`);
    expect(down.status).toBe(503);
    const body = await down.json();
    expect(body).toMatchObject({ status: 'unavailable', checks: { store: 'down', bus: 'down' } });
    expect(body.message).toContain('the store failed (RedisUnavailableError)');
    expect(await status('/healthz')).toBe(200);

    await redis.start();
    await expect.poll(() => status('/readyz'), { timeout: 10_000, interval: 100 }).toBe(200);
    expect(await status('/healthz')).toBe(200);
  });
});
