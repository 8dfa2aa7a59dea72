// Health endpoints, in-process: liveness from the process alone, readiness from one operation on
// the Store and the Bus, served only when mounted, to any Host. The real outage
// and recovery, with redis-server stopped and started, is in test/cluster/health.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../src/demo/app.ts';
import { createMcpApp, healthRoutes } from '../../src/http/index.ts';
import { RedisStore } from '../../src/redis/index.ts';
import { McpServer } from '../../src/server/server.ts';
import { MemoryBus } from '../../src/store/memory.ts';
import { freePorts } from '../support/processes.ts';

const closing: { close(): Promise<void> }[] = [];
afterAll(() => Promise.all(closing.splice(0).map((handle) => handle.close())));

/** A Store on a port where nothing listens: a real client meeting a real refusal. */
async function unreachableStore(timeoutMs: number): Promise<RedisStore> {
  const [port] = await freePorts(1);
  const store = new RedisStore(`redis://127.0.0.1:${port}`, { timeoutMs, onError: () => undefined });
  closing.push(store);
  return store;
}

describe('health routes', () => {
  it('answers liveness and readiness with the in-memory store and bus, uncached', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    const app = createMcpApp(server, { log: false }).route('/', healthRoutes(server));
    const live = await app.request('/healthz');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    expect(live.headers.get('cache-control')).toBe('no-store');
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { store: 'ok', bus: 'ok' } });
    expect(ready.headers.get('cache-control')).toBe('no-store');
  });

  it('are served only when mounted, at the paths given', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    expect((await createMcpApp(server, { log: false }).request('/healthz')).status).toBe(404);
    const custom = createMcpApp(server, { log: false }).route('/', healthRoutes(server, { livenessPath: '/live', readinessPath: '/ready' }));
    expect((await custom.request('/live')).status).toBe(200);
    expect((await custom.request('/ready')).status).toBe(200);
    expect((await custom.request('/healthz')).status).toBe(404);
  });

  it('answer a probe whose Host the MCP endpoint refuses (balancers probe by IP address)', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    const app = createMcpApp(server, { allowedHosts: ['mcp.example.com'], log: false }).route('/', healthRoutes(server));
    const [mcp, live] = await Promise.all([
      app.request('/mcp', { method: 'POST', headers: { host: '10.0.0.7:3000', 'content-type': 'application/json' }, body: '{}' }),
      app.request('/healthz', { headers: { host: '10.0.0.7:3000' } }),
    ]);
    expect(mcp.status).toBe(403);
    expect(live.status).toBe(200);
  });

  it('reports 503 naming the store when it refuses, and liveness stays 200', async () => {
    const server = new McpServer({ name: 's', version: '1', store: await unreachableStore(300) });
    const app = healthRoutes(server);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    const body = await ready.json();
    expect(body.status).toBe('unavailable');
    expect(body.checks).toEqual({ store: 'down', bus: 'ok' });
    expect(body.message).toBe(
      'Not ready: the store failed (RedisUnavailableError). Check that the shared backend (Redis, Durable Objects) is reachable from this instance; its log has the details.',
    );
    // Where Redis lives is for the log, not for whoever can reach a health endpoint.
    expect(body.message).not.toContain('127.0.0.1');
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('gives up on a backend that does not answer within timeoutMs', async () => {
    // The store would wait 10 s for a connection; readiness answers long before.
    const server = new McpServer({ name: 's', version: '1', store: await unreachableStore(10_000), bus: new MemoryBus() });
    const ready = await healthRoutes(server, { timeoutMs: 100 }).request('/readyz');
    expect(ready.status).toBe(503);
    expect((await ready.json()).message).toContain('Not ready: the store did not answer within 100 ms.');
  });

  it('refuses a timeoutMs that is not a positive number', () => {
    const server = new McpServer({ name: 's', version: '1' });
    expect(() => healthRoutes(server, { timeoutMs: 0 })).toThrow('healthRoutes: timeoutMs must be a positive number of milliseconds; got 0.');
  });
});

it('is served by the demo app', async () => {
  const app = createDemoApp({ log: false });
  expect((await app.request('/healthz')).status).toBe(200);
  expect(await (await app.request('/readyz')).json()).toEqual({ status: 'ok', checks: { store: 'ok', bus: 'ok' } });
});

