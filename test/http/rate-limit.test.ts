// Rate limits on the MCP endpoint, served over loopback: who is counted, what a caller past the
// limit gets (429, Retry-After, a JSON-RPC error that says when to retry), per-tool limits, batches,
// and a store outage. Only Date is faked, so windows can end without waiting for them.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RATE_LIMITED_CODE, createMcpApp, rateLimit } from '../../src/http/index.ts';
import type { McpHttpOptions } from '../../src/http/index.ts';
import { RedisStore } from '../../src/redis/index.ts';
import { McpServer } from '../../src/server/server.ts';
import type { Store } from '../../src/store/store.ts';
import { freePorts } from '../support/processes.ts';
import { post, postRaw, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const T0 = Date.parse('2026-08-01T12:00:00Z');
const served: Served[] = [];

async function serve(options: McpHttpOptions, store?: Store): Promise<string> {
  const server = new McpServer({ name: 'limited', version: '1', ...(store && { store }) });
  server.registerTool('echo', {}, () => ({ content: [{ type: 'text', text: 'ok' }] }));
  server.registerTool('costly', {}, () => ({ content: [{ type: 'text', text: 'done' }] }));
  const app = await serveApp((base) => createMcpApp(server, { ...base, log: false, ...options }));
  served.push(app);
  return app.url;
}

const call = (url: string, name: string, headers: Record<string, string> = {}, id: number | string = 1) => post(url, 'tools/call', { id, params: { name, arguments: {} }, headers });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());
afterAll(() => Promise.all(served.splice(0).map((app) => app.close())));

describe('per-caller limits', () => {
  it('answers the request past max with 429, Retry-After and a JSON-RPC error that says when to retry; the next window lets it through', async () => {
    const url = await serve({ rateLimit: rateLimit({ windowMs: 60_000, max: 3 }) });
    for (let i = 1; i <= 3; i++) expect((await call(url, 'echo', {}, i)).status).toBe(200);
    vi.setSystemTime(T0 + 15_500);
    const refused = await call(url, 'echo', {}, 'fourth');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(await refused.json()).toEqual({
      jsonrpc: '2.0',
      id: 'fourth',
      error: {
        code: RATE_LIMITED_CODE,
        message: 'Too many requests: this caller may send 3 requests per 60 s. Retry after 45 s.',
        data: { reason: 'rate_limited', retryAfterSeconds: 45, max: 3, windowMs: 60_000 },
      },
    });
    // Any method counts, and refused requests keep being refused until the window ends.
    expect((await post(url, 'tools/list')).status).toBe(429);
    vi.setSystemTime(T0 + 60_000);
    expect((await call(url, 'echo')).status).toBe(200);
  });

  it('counts callers apart by the address the nearest proxy appended, whatever the client put before it', async () => {
    const url = await serve({ rateLimit: rateLimit({ windowMs: 60_000, max: 2 }) });
    const via = (forwarded: string) => ({ 'x-forwarded-for': forwarded });
    expect((await call(url, 'echo', via('6.6.6.1, 203.0.113.7'))).status).toBe(200);
    expect((await call(url, 'echo', via('6.6.6.2, 203.0.113.7'))).status).toBe(200);
    // A forged first entry does not buy a fresh counter.
    expect((await call(url, 'echo', via('6.6.6.3, 203.0.113.7'))).status).toBe(429);
    expect((await call(url, 'echo', via('203.0.113.8'))).status).toBe(200);
    // No proxy, or a value that is no address: such callers share one counter rather than get their own.
    expect((await call(url, 'echo', via('x'.repeat(65)))).status).toBe(200);
    expect((await call(url, 'echo')).status).toBe(200);
    expect((await call(url, 'echo', via('y'.repeat(65)))).status).toBe(429);
  });

  it('counts a verified principal by subject, wherever it calls from', async () => {
    const url = await serve({
      rateLimit: rateLimit({ windowMs: 60_000, max: 1 }),
      auth: { authenticate: (request) => ({ subject: request.headers.get('x-user') ?? 'nobody' }) },
    });
    expect((await call(url, 'echo', { 'x-user': 'ada', 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await call(url, 'echo', { 'x-user': 'ada', 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
    expect((await call(url, 'echo', { 'x-user': 'grace', 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
  });

  it('leaves a request unlimited when the key function returns undefined', async () => {
    const url = await serve({ rateLimit: rateLimit({ windowMs: 60_000, max: 1, key: (request) => (request.headers.get('x-internal') ? undefined : 'everyone') }) });
    expect((await call(url, 'echo')).status).toBe(200);
    expect((await call(url, 'echo')).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await call(url, 'echo', { 'x-internal': '1' })).status).toBe(200);
  });

  it('limits the 2025 lane too, and lets browser clients read Retry-After', async () => {
    const url = await serve({ rateLimit: rateLimit({ windowMs: 1_500, max: 1 }) });
    const legacy = { 'mcp-protocol-version': '2025-11-25' };
    expect((await postRaw(url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, legacy)).status).toBe(200);
    const refused = await postRaw(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { ...legacy, origin: new URL(url).origin });
    expect(refused.status).toBe(429);
    // 1.5 s left, rounded up: never a Retry-After that comes back too early.
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect((await refused.json()).error.message).toBe('Too many requests: this caller may send 1 requests per 1500 ms. Retry after 2 s.');
  });

  it('counts each request of a 2025-03-26 batch, and refuses the whole batch with an error per request', async () => {
    const url = await serve({ rateLimit: rateLimit({ windowMs: 60_000, max: 2 }) });
    const batch = (ids: number[]) => postRaw(url, ids.map((id) => ({ jsonrpc: '2.0', id, method: 'ping' })), { 'mcp-protocol-version': '2025-03-26' });
    expect((await batch([1, 2])).status).toBe(200);
    const refused = await batch([3, 4]);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { id: number; error: { code: number } }[];
    expect(body.map((m) => [m.id, m.error.code])).toEqual([[3, RATE_LIMITED_CODE], [4, RATE_LIMITED_CODE]]);
  });
});

describe('per-tool limits', () => {
  it('apply to tools/call of that tool only, per caller, beside the overall limit', async () => {
    const url = await serve({ rateLimit: rateLimit({ windowMs: 60_000, max: 10, perTool: { costly: { windowMs: 30_000, max: 1 } } }) });
    expect((await call(url, 'costly')).status).toBe(200);
    const refused = await call(url, 'costly', {}, 7);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    const body = await refused.json();
    expect(body.error.message).toBe('Too many requests: this caller may send 1 calls of tool "costly" per 30 s. Retry after 30 s.');
    expect(body.error.data).toEqual({ reason: 'rate_limited', retryAfterSeconds: 30, max: 1, windowMs: 30_000, tool: 'costly' });
    expect((await call(url, 'echo')).status).toBe(200);
    expect((await post(url, 'tools/list')).status).toBe(200);
    expect((await call(url, 'costly', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
    vi.setSystemTime(T0 + 30_000);
    expect((await call(url, 'costly')).status).toBe(200);
  });
});

describe('configuration and outages', () => {
  it('refuses bad limits when they are made, naming the option', () => {
    expect(() => rateLimit({ windowMs: 0, max: 1 })).toThrow('rateLimit.windowMs must be a positive, finite number of milliseconds');
    expect(() => rateLimit({ windowMs: 1000, max: 1.5 })).toThrow('rateLimit.max must be a whole number of requests, 1 or more; got 1.5.');
    expect(() => rateLimit({ windowMs: 1000, max: 1, perTool: { echo: { windowMs: 1000, max: 0 } } })).toThrow('rateLimit.perTool["echo"].max');
  });

  it('answers 503 with Retry-After, not a 5xx of its own, while the store cannot be reached', async () => {
    vi.useRealTimers();
    const [port] = await freePorts(1);
    const store = new RedisStore(`redis://127.0.0.1:${port}`, { timeoutMs: 200, onError: () => undefined });
    try {
      const url = await serve({ rateLimit: rateLimit({ windowMs: 60_000, max: 5 }) }, store);
      const response = await call(url, 'echo', {}, 9);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      const body = await response.json();
      expect(body.id).toBe(9);
      expect(body.error).toMatchObject({ code: -32603, data: { reason: 'unavailable' } });
      expect(body.error.message).toContain('retry shortly');
    } finally {
      await store.close();
    }
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 10 }));
