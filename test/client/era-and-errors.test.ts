// Era detection, retries and failure reporting against scripted servers: each test's fetch answers
// exactly what the spec row under test describes, so the client's reaction is the only variable.
import { describe, expect, it } from 'vitest';
import { createClient, ListCache } from '../../src/client/index.ts';
import type { FetchLike } from '../../src/client/index.ts';

type Body = { id?: number; method?: string; params?: Record<string, any>; result?: unknown };
interface Seen {
  method: string;
  body: Body | undefined;
  headers: Headers;
}

/** A scripted server: `answer` sees each parsed request; every request is recorded. */
function scripted(answer: (body: Body | undefined, headers: Headers, seen: Seen[]) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (_url, init) => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Body) : undefined;
    const headers = new Headers(init?.headers);
    seen.push({ method: init?.method ?? 'GET', body, headers });
    return answer(body, headers, seen);
  };
  return { fetch, seen, calls: (method: string) => seen.filter((s) => s.body?.method === method) };
}

const json = (value: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(value, { status, headers });
const result = (body: Body | undefined, value: Record<string, unknown>) => json({ jsonrpc: '2.0', id: body?.id, result: value });
const discover = (body: Body | undefined) => result(body, { resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, ttlMs: 0, cacheScope: 'private' });
let port = 40_000;
/** A fresh endpoint per test, so the shared per-endpoint era memory never leaks between tests. */
const endpoint = () => `http://127.0.0.1:${++port}/mcp`;

/** A 2025 server that knows nothing of 2026: 405 without a JSON-RPC body to anything but its lifecycle. */
function legacyServer(version = '2025-11-25', sessionId = 'sess-1') {
  return scripted((body, headers) => {
    if (body?.method === 'initialize') return json({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: version, capabilities: { tools: {} }, serverInfo: { name: 'old', version: '1' } } }, 200, { 'mcp-session-id': sessionId });
    if (headers.has('mcp-method')) return new Response('Method Not Allowed', { status: 405 });
    if (body?.method === 'notifications/initialized') return new Response(null, { status: 202 });
    if (headers.get('mcp-session-id') !== sessionId) return new Response('unknown session', { status: 404 });
    return result(body, { tools: [{ name: 'old_tool', inputSchema: { type: 'object' } }] });
  });
}

describe('era detection', () => {
  it('falls back to initialize on a 405 without a modern body, and remembers the era for the endpoint', async () => {
    const server = legacyServer();
    const url = endpoint();
    const eraMemory = new Map();
    const client = createClient(url, { fetch: server.fetch, eraMemory });
    expect((await client.listTools()).map((t) => t.name)).toEqual(['old_tool']);
    expect(client.era).toBe('legacy');
    const posts = server.seen.filter((s) => s.method === 'POST');
    expect(posts.map((s) => s.body?.method)).toEqual(['server/discover', 'initialize', 'notifications/initialized', 'tools/list']);
    expect(server.calls('tools/list')[0]!.headers.get('mcp-session-id')).toBe('sess-1');
    // With a session, the client also offers the GET stream for server-initiated messages.
    expect(server.seen.find((s) => s.method === 'GET')?.headers.get('mcp-session-id')).toBe('sess-1');
    await client.close();
    await createClient(url, { fetch: server.fetch, eraMemory }).listTools();
    expect(server.calls('server/discover')).toHaveLength(1);
  });

  it('treats a 2xx that is not a DiscoverResult as no modern evidence', async () => {
    const server = scripted((body) => (body?.method === 'initialize' ? result(body, { protocolVersion: '2025-06-18', capabilities: {} }) : body?.id === undefined ? new Response(null, { status: 202 }) : result(body, { tools: [] })));
    const client = createClient(endpoint(), { fetch: server.fetch });
    expect(await client.discover()).toMatchObject({ era: 'legacy', protocolVersion: '2025-06-18' });
    await client.listTools();
    expect(server.calls('tools/list')[0]!.headers.get('mcp-protocol-version')).toBe('2025-06-18');
    expect(server.calls('tools/list')[0]!.headers.has('mcp-session-id')).toBe(false);
  });

  it('retries once after -32022 when the version it lists is ours', async () => {
    const server = scripted((body, _headers, seen) =>
      seen.length === 1
        ? json({ jsonrpc: '2.0', id: body?.id, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2026-07-28'], requested: '2026-07-28' } } }, 400)
        : discover(body),
    );
    const client = createClient(endpoint(), { fetch: server.fetch });
    expect((await client.discover()).era).toBe('modern');
    const [first, second] = server.calls('server/discover');
    expect(second!.body!.id).not.toBe(first!.body!.id);
  });

  it('goes to the 2025 lane when -32022 lists only 2025 revisions', async () => {
    const old = legacyServer('2025-06-18');
    const server = scripted((body, headers) =>
      headers.has('mcp-method') ? json({ jsonrpc: '2.0', id: body?.id, error: { code: -32022, message: 'no', data: { supported: ['2025-06-18'], requested: '2026-07-28' } } }, 400) : old.fetch('', { method: 'POST', headers, body: JSON.stringify(body) }),
    );
    const client = createClient(endpoint(), { fetch: server.fetch });
    expect(await client.discover()).toMatchObject({ era: 'legacy', protocolVersion: '2025-06-18' });
    await client.close();
  });

  it('reports UNSUPPORTED_VERSION when the server speaks only revisions the client does not', async () => {
    const server = scripted((body) => json({ jsonrpc: '2.0', id: body?.id, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2027-01-01'], requested: '2026-07-28' } } }, 400));
    const error = await createClient(endpoint(), { fetch: server.fetch }).listTools().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_VERSION', data: { supported: ['2027-01-01'] } });
  });

  it('initializes again when the server forgets the session (404), then repeats the request', async () => {
    let session = 'first';
    const server = scripted((body, headers) => {
      if (body?.method === 'initialize') return result(body, { protocolVersion: '2025-11-25', capabilities: {} });
      if (headers.has('mcp-method')) return new Response(null, { status: 404 });
      if (body?.id === undefined) return new Response(null, { status: 202 });
      if (headers.get('mcp-session-id') !== session) return new Response(null, { status: 404 });
      return result(body, { tools: [] });
    });
    const responses = server.fetch;
    let sessionNumber = 0;
    const fetch: FetchLike = async (url, init) => {
      const response = await responses(url, init);
      if (JSON.parse(String(init?.body ?? '{}')).method !== 'initialize') return response;
      session = `s${++sessionNumber}`;
      return json(await response.json(), 200, { 'mcp-session-id': session });
    };
    const client = createClient(endpoint(), { fetch });
    await client.listTools();
    session = 'expired';
    await client.listTools({ fresh: true });
    expect(server.calls('initialize')).toHaveLength(2);
    expect(server.calls('tools/list').map((s) => s.headers.get('mcp-session-id'))).toEqual(['s1', 's1', 's2']);
  });
});

describe('the 2025 session stream', () => {
  it('tells onWarning why the GET stream failed: it has no caller to reject', async () => {
    const base = legacyServer();
    const fetch: FetchLike = async (url, init) => {
      if ((init?.method ?? 'GET') !== 'GET') return base.fetch(url, init);
      await base.fetch(url, init);
      return new Response('retry: 1\ndata: {"jsonrpc":"2.0","surprise":true}\n\n', { headers: { 'content-type': 'text/event-stream' } });
    };
    const warnings: string[] = [];
    const client = createClient(endpoint(), { fetch, onWarning: (message) => warnings.push(message) });
    await client.listTools();
    await expect.poll(() => warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toBe(`The session's GET stream failed; resuming it: The server sent an invalid JSON-RPC message (a JSON-RPC message needs "method" (request or notification) or "result"/"error" (response)): {"jsonrpc":"2.0","surprise":true}`);
    await client.close();
  });
});

describe('retries', () => {
  const flaky = (failures: number, fail: () => Response | never) =>
    scripted((body, _headers, seen) => (seen.length <= failures ? fail() : body?.method === 'server/discover' ? discover(body) : result(body, { tools: [], ttlMs: 0 })));

  it('retries 503 with Retry-After on a request marked safe, and only then', async () => {
    const server = flaky(2, () => new Response('busy', { status: 503, headers: { 'retry-after': '0' } }));
    const client = createClient(endpoint(), { fetch: server.fetch });
    expect(await client.listTools({ retry: { attempts: 2, safe: true } })).toEqual([]);
    expect(server.seen).toHaveLength(4);
    const unsafe = flaky(1, () => new Response('busy', { status: 503 }));
    const error = await createClient(endpoint(), { fetch: unsafe.fetch }).listTools({ retry: { attempts: 2 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_ERROR', status: 503, message: expect.stringContaining('try again later') });
  });

  it('retries a connection failure with backoff, then reports UNREACHABLE with what to check', async () => {
    const server = flaky(1, () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    });
    expect(await createClient(endpoint(), { fetch: server.fetch }).listTools({ retry: { attempts: 1, safe: true, baseDelayMs: 1 } })).toEqual([]);
    const down = flaky(99, () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    });
    const error = await createClient(endpoint(), { fetch: down.fetch }).listTools({ retry: { attempts: 2, safe: true, baseDelayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
    expect(down.seen).toHaveLength(3);
  });

  it('re-issues a safe request whose stream ended before its result, with a new id', async () => {
    const server = scripted((body) => {
      if (body?.method === 'server/discover') return discover(body);
      const cut = server.calls('tools/list').length === 1;
      const frames = cut ? 'data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":1}}\n\n' : `data: ${JSON.stringify({ jsonrpc: '2.0', id: body?.id, result: { tools: [] } })}\n\n`;
      return new Response(frames, { headers: { 'content-type': 'text/event-stream' } });
    });
    const client = createClient(endpoint(), { fetch: server.fetch });
    await expect(client.listTools()).rejects.toMatchObject({ code: 'STREAM_ENDED', message: expect.stringContaining('safe: true') });
    expect(await client.listTools({ retry: { attempts: 1, safe: true } })).toEqual([]);
    const ids = server.calls('tools/list').map((s) => s.body!.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('requests and caching', () => {
  it('asks the token provider before every request', async () => {
    let issued = 0;
    const server = scripted((body) => (body?.method === 'server/discover' ? discover(body) : result(body, { tools: [] })));
    const client = createClient(endpoint(), { fetch: server.fetch, token: async () => `t${++issued}`, headers: { 'X-Trace': 'abc' } });
    await client.listTools();
    await client.listTools();
    expect(server.seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3']);
    expect(server.seen.every((s) => s.headers.get('x-trace') === 'abc')).toBe(true);
  });

  it('follows cursors (an empty string is a cursor) and stops on a repeated one', async () => {
    const inputSchema = { type: 'object' };
    const pages: Record<string, Record<string, unknown>> = { none: { tools: [{ name: 'a', inputSchema }], nextCursor: '' }, '': { tools: [{ name: 'b', inputSchema }], nextCursor: 'z' }, z: { tools: [{ name: 'c', inputSchema }] } };
    const server = scripted((body) => (body?.method === 'server/discover' ? discover(body) : result(body, pages[body?.params?.cursor ?? 'none']!)));
    expect((await createClient(endpoint(), { fetch: server.fetch }).listTools()).map((t) => t.name)).toEqual(['a', 'b', 'c']);
    pages.z = { tools: [], nextCursor: '' };
    await expect(createClient(endpoint(), { fetch: server.fetch }).listTools()).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringContaining('twice') });
  });

  it('keeps private results to one client and shares public ones through a shared cache', async () => {
    let scope = 'private';
    const server = scripted((body) => (body?.method === 'server/discover' ? discover(body) : result(body, { prompts: [], ttlMs: 60_000, cacheScope: scope })));
    const url = endpoint();
    const sharedCache = new ListCache();
    await createClient(url, { fetch: server.fetch, sharedCache }).listPrompts();
    await createClient(url, { fetch: server.fetch, sharedCache }).listPrompts();
    expect(server.calls('prompts/list')).toHaveLength(2);
    scope = 'public';
    await createClient(url, { fetch: server.fetch, sharedCache }).listPrompts({ fresh: true });
    await createClient(url, { fetch: server.fetch, sharedCache }).listPrompts();
    expect(server.calls('prompts/list')).toHaveLength(3);
  });

  it('refuses a non-MCP answer and a JSON-RPC answer without an input for input_required', async () => {
    const html = scripted(() => new Response('<html>login</html>', { headers: { 'content-type': 'text/html' } }));
    await expect(createClient(endpoint(), { fetch: html.fetch, era: 'modern' }).listTools()).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
    const asks = scripted((body) => result(body, { resultType: 'input_required', inputRequests: { q: { method: 'sampling/createMessage', params: {} } } }));
    const error = await createClient(endpoint(), { fetch: asks.fetch, era: 'modern' }).callTool('t', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INPUT_REQUIRED', message: expect.stringContaining('set the "sampling" input handler') });
  });
});
