// The client against our own server over real HTTP on loopback: the demo app on the 2026-07-28
// lane (and the 2025 lane), plus a small server for the behaviours the demo does not show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient, isClientError } from '../../src/client/index.ts';
import type { Progress } from '../../src/client/index.ts';
import { createDemoApp } from '../../src/demo/app.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createServer, jsonSchema } from '../../src/index.ts';
import type { McpServer } from '../../src/index.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { createWireLog } from './wire-log.ts';

let demo: Served;
let custom: Served;
let customServer: McpServer;
const aborted: string[] = [];

function createCustomServer(): McpServer {
  const server = createServer({ name: 'client-test', version: '1.0.0', cache: { ttlMs: 60_000, cacheScope: 'private' } });
  server.registerTool(
    'weather',
    { description: 'Forecast', inputSchema: jsonSchema({ type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, days: { type: 'integer', 'x-mcp-header': 'Days' } }, required: ['region'] }) },
    (args) => ({ content: [{ type: 'text', text: `${String(args.region)} for ${String(args.days ?? 1)} days` }] }),
  );
  server.registerTool('hang', { description: 'Waits until cancelled', inputSchema: z.object({}) }, (_args, ctx) => {
    ctx.progress(1, 2, 'started');
    return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => (aborted.push('hang'), reject(ctx.signal.reason)), { once: true }));
  });
  server.registerTool('fails', { description: 'Throws', inputSchema: z.object({}) }, () => {
    throw new Error('the tool failed on purpose');
  });
  server.registerResource('city', 'city://Zürich', { mimeType: 'text/plain' }, (uri) => ({ contents: [{ uri: uri.href, text: 'Grüezi' }] }));
  return server;
}

beforeAll(async () => {
  demo = await serveApp((options) => createDemoApp(options));
  customServer = createCustomServer();
  custom = await serveApp((options) => createMcpApp(customServer, options));
});
afterAll(async () => {
  await demo.close();
  await custom.close();
});

describe('client ↔ stateless-mcp server, 2026-07-28 lane', () => {
  it('discovers the server by probing server/discover and remembers the era for the endpoint', async () => {
    const eraMemory = new Map();
    const wire = createWireLog();
    const client = createClient(demo.url, { fetch: wire.fetch, eraMemory });
    const server = await client.discover();
    expect(server).toMatchObject({ era: 'modern', protocolVersion: '2026-07-28', serverInfo: { name: 'stateless-mcp-demo' } });
    expect(server.capabilities.tools).toEqual({ listChanged: true });
    expect(eraMemory.get(new URL(demo.url).origin + '/mcp')).toBe('modern');
    // The probe's result serves the first discover(): one POST, not two.
    expect(wire.posts('server/discover')).toHaveLength(1);
    const again = createClient(demo.url, { fetch: wire.fetch, eraMemory });
    await again.listTools();
    expect(wire.posts('server/discover')).toHaveLength(1);
  });

  it('lists across pages and reuses a page for its ttlMs', async () => {
    const wire = createWireLog();
    const client = createClient(demo.url, { fetch: wire.fetch });
    expect((await client.listTools()).map((t) => t.name)).toEqual(['echo', 'add', 'slow_stream', 'query_rows', 'greet']);
    expect((await client.listTools()).length).toBe(5);
    expect(wire.posts('tools/list')).toHaveLength(1);
    await client.listTools({ fresh: true });
    expect(wire.posts('tools/list')).toHaveLength(2);
    expect((await client.listResources()).map((r) => r.uri)).toEqual(['demo://readme']);
    expect((await client.listResourceTemplates()).map((r) => r.uriTemplate)).toEqual(['demo://notes/{id}']);
    expect((await client.listPrompts()).map((p) => p.name)).toEqual(['summarize']);
  });

  it('sends the 2026 headers and _meta on every call', async () => {
    const wire = createWireLog();
    const client = createClient(demo.url, { fetch: wire.fetch, clientInfo: { name: 'tests', version: '9' } });
    const result = await client.callTool('add', { a: 2, b: 3 });
    expect(result.structuredContent).toEqual({ sum: 5 });
    const [call] = wire.posts('tools/call');
    expect(call!.headers.get('mcp-protocol-version')).toBe('2026-07-28');
    expect(call!.headers.get('mcp-method')).toBe('tools/call');
    expect(call!.headers.get('mcp-name')).toBe('add');
    expect(call!.body!.params!._meta).toEqual({
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
      'io.modelcontextprotocol/clientInfo': { name: 'tests', version: '9' },
    });
  });

  it.each([
    ['SSE', false, 'text/event-stream'],
    ['JSON Lines', true, 'application/jsonl'],
  ])('hands progress to onProgress while the call streams (%s)', async (_mode, preferJsonLines, contentType) => {
    const wire = createWireLog();
    const client = createClient(demo.url, { fetch: wire.fetch, preferJsonLines });
    const seen: (Progress | 'result')[] = [];
    const result = await client.callTool('slow_stream', { steps: 3, intervalMs: 20 }, { onProgress: (p) => seen.push(p) });
    seen.push('result');
    expect(result.content).toEqual([{ type: 'text', text: 'done after 3 steps' }]);
    expect(seen).toEqual([
      { progress: 1, total: 3, message: 'step 1 of 3' },
      { progress: 2, total: 3, message: 'step 2 of 3' },
      { progress: 3, total: 3, message: 'step 3 of 3' },
      'result',
    ]);
    const [call] = wire.posts('tools/call');
    expect(call!.contentType).toContain(contentType);
    expect(call!.body!.params!._meta.progressToken).toEqual(expect.any(String));
  });

  it('asks for log messages only when a logLevel is set', async () => {
    const client = createClient(demo.url);
    const logs: unknown[] = [];
    await client.callTool('slow_stream', { steps: 2, intervalMs: 1 }, { onNotification: (n) => logs.push(n.params?.data) });
    expect(logs).toEqual([]);
    await client.callTool('slow_stream', { steps: 2, intervalMs: 1 }, { logLevel: 'info', onNotification: (n) => logs.push(n.params?.data) });
    expect(logs).toEqual([{ step: 1 }, { step: 2 }]);
  });

  it('answers an MRTR elicitation and retries with inputResponses, the exact requestState and a new id', async () => {
    const wire = createWireLog();
    const asked: string[] = [];
    const client = createClient(demo.url, {
      fetch: wire.fetch,
      handlers: { elicitation: (params) => (asked.push(params.message), { action: 'accept', content: { name: 'Ada' } }) },
    });
    const result = await client.callTool('greet', {});
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, Ada!' }]);
    expect(asked).toEqual(['What is your name?']);
    const [first, retry] = wire.posts('tools/call');
    expect(first!.body!.params!._meta['io.modelcontextprotocol/clientCapabilities']).toEqual({ elicitation: {} });
    expect(retry!.body!.id).not.toBe(first!.body!.id);
    expect(retry!.body!.params!.inputResponses).toEqual({ name: { action: 'accept', content: { name: 'Ada' } } });
    expect(retry!.body!.params!.requestState).toEqual(expect.any(String));
    expect(first!.body!.params!.requestState).toBeUndefined();
  });

  it('reports a missing client capability with the code the server sent and what to set', async () => {
    const error = await createClient(demo.url).callTool('greet', {}).catch((e: unknown) => e);
    expect(isClientError(error, 'PROTOCOL_ERROR')).toBe(true);
    expect(error).toMatchObject({ rpcCode: -32021, status: 400, data: { requiredCapabilities: { elicitation: {} } } });
    expect((error as Error).message).toMatch(/set the matching input handler/);
  });

  it('reads resources and templates, gets prompts and completes arguments', async () => {
    const client = createClient(demo.url);
    expect((await client.readResource('demo://notes/2')).contents).toEqual([{ uri: 'demo://notes/2', mimeType: 'text/plain', text: 'Note 2' }]);
    const prompt = await client.getPrompt('summarize', { text: 'abc', style: 'tweet' });
    expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'Summarize as tweet:\n\nabc' });
    const completion = await client.complete({ type: 'ref/prompt', name: 'summarize' }, { name: 'style', value: 'b' });
    expect(completion.completion.values).toEqual(['bullet points']);
  });

  it('mirrors x-mcp-header arguments into Mcp-Param-* and base64-wraps non-ASCII values', async () => {
    const wire = createWireLog();
    const client = createClient(custom.url, { fetch: wire.fetch });
    const result = await client.callTool('weather', { region: 'Zürich', days: 3 });
    expect(result.content).toEqual([{ type: 'text', text: 'Zürich for 3 days' }]);
    const [call] = wire.posts('tools/call');
    expect(call!.headers.get('mcp-param-region')).toBe(`=?base64?${Buffer.from('Zürich').toString('base64')}?=`);
    expect(call!.headers.get('mcp-param-days')).toBe('3');
    const read = await client.readResource('city://Zürich');
    expect(read.contents[0]).toMatchObject({ text: 'Grüezi' });
    expect(wire.posts('resources/read')[0]!.headers.get('mcp-name')).toMatch(/^=\?base64\?.+\?=$/);
  });

  it('returns a tool error as an isError result and throws for an unknown tool', async () => {
    const client = createClient(custom.url);
    expect(await client.callTool('fails', {})).toMatchObject({ isError: true, content: [{ type: 'text', text: 'the tool failed on purpose' }] });
    await expect(client.callTool('nope', {})).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', rpcCode: -32602 });
  });

  it('cancels by closing the stream: the handler sees its signal abort, the caller gets ABORTED', async () => {
    const controller = new AbortController();
    const client = createClient(custom.url);
    const call = client.callTool('hang', {}, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    await expect.poll(() => aborted).toContain('hang');
  });

  it('gives up after timeoutMs with TIMEOUT', async () => {
    const error = await createClient(custom.url).callTool('hang', {}, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect((error as Error).message).toMatch(/timed out/);
  });

  it('listens for list changes, which also drop the cached list', async () => {
    const client = createClient(custom.url);
    expect((await client.listTools()).map((t) => t.name)).not.toContain('added');
    const subscription = client.listen({ toolsListChanged: true, promptsListChanged: true });
    expect(await subscription.acknowledged).toEqual({ toolsListChanged: true });
    const tool = customServer.registerTool('added', { description: 'New', inputSchema: z.object({}) }, () => ({ content: [] }));
    const { value } = await subscription.next();
    expect(value).toMatchObject({ method: 'notifications/tools/list_changed' });
    expect(value!.params?._meta).toHaveProperty(['io.modelcontextprotocol/subscriptionId']);
    expect((await client.listTools()).map((t) => t.name)).toContain('added');
    subscription.close();
    expect(await subscription.finished).toBeUndefined();
    tool.remove();
  });
});

describe('client ↔ stateless-mcp server, 2025 lane', () => {
  it('initializes, streams progress and answers elicitation as a server-to-client request', async () => {
    const wire = createWireLog();
    const client = createClient(demo.url, { era: 'legacy', fetch: wire.fetch, handlers: { elicitation: () => ({ action: 'accept', content: { name: 'Bob' } }) } });
    expect(await client.discover()).toMatchObject({ era: 'legacy', protocolVersion: '2025-11-25' });
    expect((await client.callTool('greet', {})).content).toEqual([{ type: 'text', text: 'Hello, Bob!' }]);
    const progress: number[] = [];
    await client.callTool('slow_stream', { steps: 2, intervalMs: 10 }, { onProgress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([1, 2]);
    // The session id carries what the client declared (elicitation): it goes with every later
    // request, the answer POST included. The one GET stream it tries gets 405, and it stops there.
    const [init, ...later] = wire.exchanges;
    expect(init!.body?.method).toBe('initialize');
    expect(init!.headers.has('mcp-session-id')).toBe(false);
    const ids = new Set(later.map((e) => e.headers.get('mcp-session-id')));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^v1\./);
    expect(wire.exchanges.filter((e) => e.httpMethod === 'GET').map((e) => e.status)).toEqual([405]);
    const answer = wire.exchanges.find((e) => e.body?.result !== undefined && e.body.id !== undefined);
    expect(answer?.status).toBe(202);
    expect(wire.posts('initialize')[0]!.body!.params).toMatchObject({ protocolVersion: '2025-11-25', capabilities: { elicitation: {} } });
    await client.close();
    // Ending the session is a DELETE the server answers 405: a sealed session has nothing to end.
    expect(wire.exchanges.filter((e) => e.httpMethod === 'DELETE').map((e) => e.status)).toEqual([405]);
  });
});
