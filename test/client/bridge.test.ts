// The stdio bridge as a desktop app runs it: the official SDK's stdio client spawns
// `node --import tsx src/cli/main.ts bridge <url>` and speaks 2025 stdio MCP to it, while the
// bridge speaks to a remote server over HTTP (our server on 2026-07-28; the SDK 1.x one on 2025).
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CompleteResultSchema, ElicitRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDemoApp } from '../../src/demo/app.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createServer } from '../../src/index.ts';
import type { McpServer } from '../../src/index.ts';
import { startSdkV1SessionServer } from '../fixtures/client-sdk-servers.ts';
import type { RunningServer } from '../fixtures/client-sdk-servers.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function connectDesktop(url: string, env: Record<string, string> = {}, answerName = 'Ada') {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'src/cli/main.ts', 'bridge', url],
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const desktop = new Client({ name: 'desktop', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  const asked: string[] = [];
  desktop.setRequestHandler(ElicitRequestSchema, async (request) => {
    asked.push(request.params.message);
    return { action: 'accept', content: { name: answerName } };
  });
  await desktop.connect(transport);
  // Every message the bridge wrote, in order, before the SDK handles it: the SDK runs a
  // notification's handler a microtask after reading it but settles a response at once, so a last
  // progress read in the same chunk as its result never reaches onprogress, however it was relayed.
  const received: Record<string, any>[] = [];
  const deliver = transport.onmessage!;
  transport.onmessage = (message) => {
    received.push(message);
    deliver(message);
  };
  return { desktop, asked, received, stderr: () => stderr };
}

describe('stdio bridge ↔ stateless-mcp server (2026-07-28 remote)', () => {
  let demo: Served;
  let custom: Served;
  let customServer: McpServer;
  const cancelled: string[] = [];
  let session: Awaited<ReturnType<typeof connectDesktop>>;

  beforeAll(async () => {
    demo = await serveApp((options) => createDemoApp(options));
    customServer = createServer({ name: 'bridge-test', version: '1.0.0' });
    customServer.registerTool('hang', { description: 'Waits until cancelled', inputSchema: z.object({}) }, (_args, ctx) => {
      ctx.progress(1, 2, 'started');
      return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => (cancelled.push('hang'), reject(ctx.signal.reason)), { once: true }));
    });
    // Only a caller with the right token gets in: the bridge must pass MCP_TOKEN on.
    custom = await serveApp((options) => {
      const mcp = createMcpApp(customServer, options);
      return new Hono().all('*', (c) => (c.req.header('authorization') === 'Bearer s3cret' ? mcp.fetch(c.req.raw) : c.text('token required', 401, { 'www-authenticate': 'Bearer realm="bridge-test"' })));
    });
    session = await connectDesktop(demo.url);
  }, 60_000);
  afterAll(async () => {
    await session?.desktop.close();
    await demo.close();
    await custom.close();
  });

  it('answers initialize itself with the remote server identity and capabilities', () => {
    expect(session.desktop.getServerVersion()).toMatchObject({ name: 'stateless-mcp-demo', version: '0.1.0' });
    expect(session.desktop.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, prompts: {}, resources: { subscribe: true }, completions: {} });
    expect(session.desktop.getInstructions()).toMatch(/Demo tools/);
    expect(session.stderr()).toMatch(/remote speaks 2026-07-28 \(modern\)/);
  });

  it('forwards lists, reads, prompts and completions', async () => {
    expect((await session.desktop.listTools()).tools.map((t) => t.name)).toEqual(['echo', 'add', 'slow_stream', 'query_rows', 'greet']);
    expect((await session.desktop.readResource({ uri: 'demo://notes/7' })).contents).toEqual([{ uri: 'demo://notes/7', mimeType: 'text/plain', text: 'Note 7' }]);
    const prompt = await session.desktop.getPrompt({ name: 'summarize', arguments: { text: 'abc' } });
    expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'Summarize:\n\nabc' });
    const completion = await session.desktop.complete({ ref: { type: 'ref/prompt', name: 'summarize' }, argument: { name: 'style', value: 'o' } });
    expect(completion.completion.values).toEqual(['one sentence']);
  });

  it('refuses completion/complete params of the wrong shape with InvalidParams, before the remote sees them', async () => {
    const request = { method: 'completion/complete', params: { ref: { type: 'ref/prompt' }, argument: { name: 'style', value: 'o' } } } as const;
    await expect(session.desktop.request(request, CompleteResultSchema)).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/ref must be/) });
  });

  it('relays progress for a streamed call under the desktop progress token', async () => {
    const from = session.received.length;
    const result = await session.desktop.callTool({ name: 'slow_stream', arguments: { steps: 3, intervalMs: 20 } }, undefined, { onprogress: () => undefined });
    expect(result.content).toEqual([{ type: 'text', text: 'done after 3 steps' }]);
    // Before the result, under the token the desktop sent (the SDK's request id).
    const wire = session.received.slice(from);
    const answer = wire.findIndex((m) => 'result' in m);
    const relayed = wire.slice(0, answer).filter((m) => m.method === 'notifications/progress');
    expect(relayed.map((m) => m.params.progress)).toEqual([1, 2, 3]);
    expect(new Set(relayed.map((m) => m.params.progressToken))).toEqual(new Set([wire[answer]!.id]));
    expect(result).not.toHaveProperty('resultType');
  });

  it('turns the remote MRTR elicitation into a stdio elicitation/create and retries with the answer', async () => {
    const result = await session.desktop.callTool({ name: 'greet', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, Ada!' }]);
    expect(session.asked).toEqual(['What is your name?']);
  });

  it('passes a remote JSON-RPC error through with its code', async () => {
    await expect(session.desktop.callTool({ name: 'nope', arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });

  it('takes the bearer token from MCP_TOKEN, relays list changes, and turns stdio cancellation into a closed stream', async () => {
    const desktop = await connectDesktop(custom.url, { MCP_TOKEN: 's3cret' });
    try {
      expect(desktop.desktop.getServerVersion()?.name).toBe('bridge-test');
      const changed = new Promise<void>((resolve) => desktop.desktop.setNotificationHandler(ToolListChangedNotificationSchema, async () => resolve()));
      // The listen stream opens after notifications/initialized; the bridge logs its acknowledgement.
      await expect.poll(() => desktop.stderr()).toContain('relaying changes: toolsListChanged');
      customServer.registerTool('late', { description: 'Registered later', inputSchema: z.object({}) }, () => ({ content: [] }));
      await changed;
      expect((await desktop.desktop.listTools()).tools.map((t) => t.name)).toEqual(['hang', 'late']);

      const controller = new AbortController();
      const call = desktop.desktop.callTool({ name: 'hang', arguments: {} }, undefined, { signal: controller.signal, onprogress: () => controller.abort() });
      await expect(call).rejects.toThrow();
      await expect.poll(() => cancelled).toEqual(['hang']);
    } finally {
      await desktop.desktop.close();
    }
  });

  it('refuses to start a session without the token the remote requires, saying why', async () => {
    await expect(connectDesktop(custom.url)).rejects.toThrow(/HTTP 401.*WWW-Authenticate: Bearer realm="bridge-test"/);
  });
});

describe('stdio bridge ↔ official SDK 1.x server (2025 remote)', () => {
  let remote: RunningServer;
  beforeAll(async () => {
    remote = await startSdkV1SessionServer();
  });
  afterAll(() => remote.close());

  it('forwards the 2025 server-to-client elicitation to the desktop', async () => {
    const { desktop, asked, stderr } = await connectDesktop(remote.url, {}, 'Grace');
    try {
      expect(stderr()).toMatch(/remote speaks 2025-11-25 \(legacy\)/);
      expect((await desktop.callTool({ name: 'greet', arguments: {} })).content).toEqual([{ type: 'text', text: 'Hello, Grace!' }]);
      expect(asked).toEqual(['Your name?']);
    } finally {
      await desktop.close();
    }
  });
});
