// The endpoint composed the Hono way, in a user's own app on a real loopback server: mounted with
// app.route('/mcp', mcpRoutes(…)) or app.post('/mcp', mcp(…)), with the user's own middleware
// (hono/logger, and one that records the order it runs in and sets a header) inside the chain,
// auth as middleware putting the principal on the context, CORS from hono/cors, and the RFC 9728
// metadata at the root of the origin.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { logger } from 'hono/logger';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyVerifier } from '../../src/auth/api-key.ts';
import { createBearerAuth } from '../../src/auth/bearer.ts';
import { createClient } from '../../src/client/index.ts';
import { mcp, mcpAuth, mcpRoutes, protectedResourceMetadata } from '../../src/http/index.ts';
import type { McpEnv } from '../../src/http/index.ts';
import { createServer } from '../../src/index.ts';

const KEY = 'k'.repeat(24);
const ADMIN_KEY = 'a'.repeat(24);
const MODERN = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28' };

function mcpServer() {
  const server = createServer({ name: 'shape', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes' }, () => ({ content: [{ type: 'text', text: 'echoed' }] }));
  server.registerTool('admin_only', { description: 'Needs admin', scopes: ['admin'] }, () => ({ content: [{ type: 'text', text: 'done' }] }));
  return server;
}

const auth = createBearerAuth({
  verify: apiKeyVerifier({ [KEY]: { subject: 'ada', scopes: ['mcp'] }, [ADMIN_KEY]: { subject: 'root', scopes: ['mcp', 'admin'] } }),
  authorizationServers: ['https://auth.example.com'],
});

/** A user's middleware: notes when it runs before and after the rest of the chain, and what it saw. */
function recorder(name: string, events: string[]): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    events.push(`${name} before (principal: ${c.get('principal')?.subject ?? 'none'})`);
    await next();
    events.push(`${name} after ${c.res.status}`);
    c.header('x-seen-by', name);
  };
}

function call(tool: string, id = 1) {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } });
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function listen(app: Hono): Promise<string> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the endpoint mounted with app.route('/mcp', mcpRoutes(server))", () => {
  async function mounted(events: string[], lines: string[]): Promise<string> {
    const app = new Hono();
    app.use('/mcp', logger((line) => lines.push(line)), recorder('mine', events));
    app.route('/mcp', mcpRoutes(mcpServer(), { auth, log: false }));
    app.route('/', protectedResourceMetadata(auth, { path: '/mcp' }));
    app.get('/', (c) => c.text('home'));
    return listen(app);
  }

  it("runs the user's middleware around the MCP chain, and serves a verified caller", async () => {
    const events: string[] = [];
    const lines: string[] = [];
    const origin = await mounted(events, lines);
    const client = createClient(`${origin}/mcp`, { token: KEY });
    const result = await client.callTool('echo', {});
    expect(result.content).toEqual([{ type: 'text', text: 'echoed' }]);
    const response = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MODERN, authorization: `Bearer ${KEY}`, 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, body: call('echo') });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-seen-by')).toBe('mine');
    // Outside auth: it saw no principal yet, and saw the MCP answer come back.
    expect(events.at(-2)).toBe('mine before (principal: none)');
    expect(events.at(-1)).toBe('mine after 200');
    expect(lines.some((line) => line.startsWith('--> POST /mcp') && line.includes('200'))).toBe(true);
    expect(await (await fetch(origin)).text()).toBe('home');
  });

  it('answers 401 with a challenge naming the metadata at the root, which is served there', async () => {
    const origin = await mounted([], []);
    const refused = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, body: call('echo') });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain(`resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`);
    const metadata = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toMatchObject({ resource: `${origin}/mcp`, authorization_servers: ['https://auth.example.com'] });
  });

  it("answers a caller short of a tool's scopes with the gate's insufficient_scope challenge", async () => {
    const origin = await mounted([], []);
    const refused = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MODERN, authorization: `Bearer ${KEY}`, 'mcp-method': 'tools/call', 'mcp-name': 'admin_only' }, body: call('admin_only') });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    const allowed = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MODERN, authorization: `Bearer ${ADMIN_KEY}`, 'mcp-method': 'tools/call', 'mcp-name': 'admin_only' }, body: call('admin_only') });
    expect(allowed.status).toBe(200);
  });

  it('answers preflights and browser calls with CORS headers, and refuses an Origin that may not call', async () => {
    const origin = await mounted([], []);
    // Same-origin browser pages may always call.
    const preflight = await fetch(`${origin}/mcp`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, mcp-name' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')?.split(/, */)).toEqual(['POST', 'OPTIONS']);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,authorization,mcp-name');
    const called = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MODERN, origin, authorization: `Bearer ${KEY}`, 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, body: call('echo') });
    expect(called.status).toBe(200);
    expect(called.headers.get('access-control-allow-origin')).toBe(origin);
    expect(called.headers.get('access-control-expose-headers')).toContain('Mcp-Session-Id');
    const evil = await fetch(`${origin}/mcp`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers GET and DELETE with 405', async () => {
    const origin = await mounted([], []);
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${origin}/mcp`, { method, headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    }
  });
});

describe("the endpoint as one route: app.post('/mcp', mcp(server))", () => {
  it('serves without auth, and still refuses a browser Origin that may not call', async () => {
    const app = new Hono();
    app.post('/mcp', mcp(mcpServer(), { log: false }));
    const origin = await listen(app);
    const client = createClient(`${origin}/mcp`);
    expect((await client.callTool('echo', {})).content).toEqual([{ type: 'text', text: 'echoed' }]);
    const evil = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MODERN, origin: 'https://evil.example.com', 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, body: call('echo') });
    expect(evil.status).toBe(403);
  });

  it("runs the user's middleware between auth and the MCP handler, where it sees the principal", async () => {
    const events: string[] = [];
    const app = new Hono();
    app.post('/mcp', mcpAuth(auth), recorder('inner', events), mcp(mcpServer(), { auth, log: false }));
    const origin = await listen(app);
    const refused = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, body: call('echo') });
    expect(refused.status).toBe(401);
    expect(events).toEqual([]);
    const response = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MODERN, authorization: `Bearer ${KEY}`, 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, body: call('echo') });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: unknown }).result).toMatchObject({ content: [{ type: 'text', text: 'echoed' }] });
    expect(events).toEqual(['inner before (principal: ada)', 'inner after 200']);
    expect(response.headers.get('x-seen-by')).toBe('inner');
  });
});
