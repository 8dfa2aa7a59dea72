// The client against servers built with the official SDKs: 2.x on the 2026-07-28 lane (MRTR,
// listen), and a 1.x server with sessions on the 2025 lane (Mcp-Session-Id kept, server-to-client
// requests on the POST stream and on the GET stream, DELETE on close).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/index.ts';
import type { McpClient } from '../../src/client/index.ts';
import { startSdkV1SessionServer, startSdkV2Server } from '../fixtures/client-sdk-servers.ts';
import type { RunningServer } from '../fixtures/client-sdk-servers.ts';
import { createWireLog } from './wire-log.ts';
import type { WireLog } from './wire-log.ts';

const answerName = (name: string) => ({ elicitation: () => ({ action: 'accept' as const, content: { name } }) });

/** What both SDK peers must serve the same way, whatever their era. */
function commonOperations(start: () => Promise<RunningServer>) {
  let server: RunningServer;
  let client: McpClient;
  beforeAll(async () => {
    server = await start();
    client = createClient(server.url, { handlers: answerName('Ada') });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('lists and calls tools, with progress', async () => {
    expect((await client.listTools()).map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'count', 'greet']));
    expect((await client.callTool('echo', { text: 'hi' })).content).toEqual([{ type: 'text', text: 'hi' }]);
    const progress: number[] = [];
    const result = await client.callTool('count', { steps: 3 }, { onProgress: (p) => progress.push(p.progress) });
    expect(result.content).toEqual([{ type: 'text', text: 'counted to 3' }]);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('reads, gets prompts and completes', async () => {
    expect((await client.readResource('sdk://readme')).contents[0]).toMatchObject({ uri: 'sdk://readme', text: expect.stringMatching(/readme/) });
    const prompt = await client.getPrompt('brief', { city: 'Oslo' });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Brief me on Oslo' } }]);
    const completion = await client.complete({ type: 'ref/prompt', name: 'brief' }, { name: 'city', value: 'Os' });
    expect(completion.completion.values).toEqual(['Oslo', 'Osaka']);
  });

  it('answers an elicitation the server asks for', async () => {
    expect((await client.callTool('greet', {})).content).toEqual([{ type: 'text', text: 'Hello, Ada!' }]);
  });
}

describe('client ↔ official SDK 2.x server (createMcpHandler)', () => {
  let server: Awaited<ReturnType<typeof startSdkV2Server>>;
  let wire: WireLog;
  let client: McpClient;
  beforeAll(async () => {
    server = await startSdkV2Server();
    wire = createWireLog();
    client = createClient(server.url, { fetch: wire.fetch, handlers: answerName('Grace') });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  describe('common operations', () => commonOperations(startSdkV2Server));

  it('speaks 2026-07-28 to it and finishes MRTR rounds', async () => {
    expect(await client.discover()).toMatchObject({ era: 'modern', serverInfo: { name: 'sdk2-server' } });
    expect((await client.callTool('greet', {})).content).toEqual([{ type: 'text', text: 'Hello, Grace!' }]);
    const calls = wire.posts('tools/call');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body!.params!.inputResponses).toEqual({ name: { action: 'accept', content: { name: 'Grace' } } });
    expect(wire.exchanges.every((e) => e.body?.method !== 'initialize')).toBe(true);
  });

  it('listens: acknowledged, then list_changed when the server publishes it', async () => {
    const subscription = client.listen({ toolsListChanged: true });
    expect(await subscription.acknowledged).toMatchObject({ toolsListChanged: true });
    server.handler.notify.toolsChanged();
    const { value } = await subscription.next();
    expect(value?.method).toBe('notifications/tools/list_changed');
    subscription.close();
    await subscription.finished;
  });

  it('falls back to its stateless 2025 lane when told to speak 2025', async () => {
    const legacy = createClient(server.url, { era: 'legacy' });
    expect(await legacy.discover()).toMatchObject({ era: 'legacy', protocolVersion: '2025-11-25' });
    expect((await legacy.callTool('echo', { text: 'old' })).content).toEqual([{ type: 'text', text: 'old' }]);
  });
});

describe('client ↔ official SDK 1.x server with sessions', () => {
  let server: Awaited<ReturnType<typeof startSdkV1SessionServer>>;
  let wire: WireLog;
  let client: McpClient;
  beforeAll(async () => {
    server = await startSdkV1SessionServer();
    wire = createWireLog();
    client = createClient(server.url, { fetch: wire.fetch, handlers: answerName('Linus') });
  });
  afterAll(() => server.close());

  describe('common operations', () => commonOperations(startSdkV1SessionServer));

  it('probes 2026-07-28, falls back to initialize, and keeps the session id it was given', async () => {
    const description = await client.discover();
    expect(description).toMatchObject({ era: 'legacy', protocolVersion: '2025-11-25', serverInfo: { name: 'sdk1-server' } });
    const [probe] = wire.posts('server/discover');
    expect(probe!.status).toBe(400);
    await client.callTool('echo', { text: 'x' });
    const [sessionId] = [...server.sessions.keys()];
    expect(wire.posts('tools/call')[0]!.headers.get('mcp-session-id')).toBe(sessionId);
    expect(wire.posts('tools/call')[0]!.headers.get('mcp-protocol-version')).toBe('2025-11-25');
    expect(wire.posts('initialize')[0]!.headers.has('mcp-session-id')).toBe(false);
  });

  it('answers a server request sent on the standalone GET stream', async () => {
    expect((await client.callTool('greet_later', {}, { timeoutMs: 5_000 })).content).toEqual([{ type: 'text', text: 'Hello later, Linus!' }]);
    expect(wire.exchanges.some((e) => e.httpMethod === 'GET' && e.status === 200)).toBe(true);
  });

  it('refuses listen on a 2025 server, naming the revision it speaks', async () => {
    const subscription = client.listen({ toolsListChanged: true });
    await expect(subscription.acknowledged).rejects.toMatchObject({ code: 'UNSUPPORTED_VERSION', message: expect.stringMatching(/2025-11-25/) });
  });

  it('ends the session with DELETE on close', async () => {
    expect(server.sessions.size).toBeGreaterThan(0);
    const before = server.sessions.size;
    await client.close();
    expect(wire.exchanges.at(-1)!.httpMethod).toBe('DELETE');
    await expect.poll(() => server.sessions.size).toBe(before - 1);
  });
});
