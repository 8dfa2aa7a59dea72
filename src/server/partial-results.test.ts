import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { McpServer } from './server.ts';
import { tasks } from './tasks.ts';
import type { JsonRpcMessage } from '../protocol/jsonrpc.ts';
import type { ContentBlock } from '../protocol/types.ts';
import type { RequestEnv } from './outbox.ts';

const MODERN = '2026-07-28';
const CAPABLE = { partialResults: {} };
const text = (value: string): ContentBlock => ({ type: 'text', text: value });

function envFor(era: 'modern' | 'legacy', outbox: { send(message: JsonRpcMessage): void }, signal = new AbortController().signal): RequestEnv {
  return { era, protocolVersion: era === 'modern' ? MODERN : '2025-11-25', headers: new Headers(), signal, outbox };
}

function recorder() {
  const sent: JsonRpcMessage[] = [];
  return { sent, send: (message: JsonRpcMessage) => void sent.push(message), partials: () => sent.filter((m) => 'method' in m && m.method === 'notifications/tools/partial_result').map((m) => (m as { params: Record<string, unknown> }).params) };
}

function call(name: string, meta: Record<string, unknown>, era: 'modern' | 'legacy' = 'modern', capabilities: Record<string, unknown> = CAPABLE) {
  const fullMeta = era === 'modern' ? { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': capabilities, ...meta } : meta;
  return { jsonrpc: '2.0' as const, id: 1, method: 'tools/call', params: { name, arguments: {}, _meta: fullMeta } };
}

function streamingServer(options: Partial<ConstructorParameters<typeof McpServer>[0]> = {}) {
  const server = new McpServer({ name: 's', version: '1', ...options });
  server.registerTool('rows', { annotations: { streamingHint: true } }, async function* () {
    yield text('row 1');
    yield [text('row 2'), text('row 3')];
    return { content: [text('3 rows')] };
  });
  server.registerTool('manual', {}, async (_args, ctx) => {
    await ctx.partial(text('a'), { count: 1 });
    await ctx.partial([text('b')], { count: 2 }, { final: true });
    return { content: [] };
  });
  return server;
}

describe('partial results: the final result', () => {
  it('holds every piece in order, then what the handler returned, whether or not the call opted in', async () => {
    const server = streamingServer();
    for (const meta of [{ partialResultToken: 't' }, {}]) {
      const response = await server.handle(call('rows', meta), envFor('modern', recorder()));
      expect(response).toMatchObject({ result: { content: [text('row 1'), text('row 2'), text('row 3'), text('3 rows')], resultType: 'complete' } });
    }
  });

  it('takes the latest structuredContent of the pieces when the handler returns none', async () => {
    const response = await streamingServer().handle(call('manual', {}), envFor('modern', recorder()));
    expect(response).toMatchObject({ result: { content: [text('a'), text('b')], structuredContent: { count: 2 } } });
  });

  it('checks the outputSchema against the final result, pieces included', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.registerTool('counted', { outputSchema: z.object({ count: z.number() }) }, async (_args, ctx) => {
      await ctx.partial(text('one'), { count: 1 });
      return { content: [] };
    });
    server.registerTool('miscounted', { outputSchema: z.object({ count: z.number() }) }, async (_args, ctx) => {
      await ctx.partial(text('one'), { count: 'one' });
      return { content: [] };
    });
    expect(await server.handle(call('counted', {}), envFor('modern', recorder()))).toMatchObject({ result: { structuredContent: { count: 1 } } });
    const refused = await server.handle(call('miscounted', {}), envFor('modern', recorder()));
    expect(refused).toMatchObject({ error: { code: -32603, message: expect.stringMatching(/does not match its outputSchema/) } });
  });

  it('keeps the pieces before the error text when the handler throws', async () => {
    const server = new McpServer({ name: 's', version: '1', onError: () => undefined });
    server.registerTool('breaks', {}, async function* () {
      yield text('row 1');
      throw new Error('the cursor died');
    });
    const response = await server.handle(call('breaks', {}), envFor('modern', recorder()));
    expect(response).toMatchObject({ result: { isError: true, content: [text('row 1'), text('the cursor died')] } });
  });

  it('answers an isError result naming the mistake when a generator yields something that is not a content block', async () => {
    const server = new McpServer({ name: 's', version: '1', onError: () => undefined });
    let cleaned = false;
    server.registerTool('sloppy', {}, async function* () {
      try {
        yield 'row 1' as never;
      } finally {
        cleaned = true;
      }
    });
    const response = await server.handle(call('sloppy', {}), envFor('modern', recorder()));
    expect(response).toMatchObject({ result: { isError: true, content: [{ text: expect.stringMatching(/content block or an array of them/) }] } });
    await expect.poll(() => cleaned).toBe(true);
  });
});

describe('partial results: the opt-in', () => {
  it('sends one notification per piece, seq from 0, with the call token, on 2026-07-28 with the capability and a token', async () => {
    const outbox = recorder();
    await streamingServer().handle(call('rows', { partialResultToken: 'tok' }), envFor('modern', outbox));
    expect(outbox.partials()).toEqual([
      { partialResultToken: 'tok', seq: 0, content: [text('row 1')] },
      { partialResultToken: 'tok', seq: 1, content: [text('row 2'), text('row 3')] },
    ]);
  });

  it('carries structuredContent and the final hint when the handler gives them', async () => {
    const outbox = recorder();
    await streamingServer().handle(call('manual', { partialResultToken: 7 }), envFor('modern', outbox));
    expect(outbox.partials()).toEqual([
      { partialResultToken: 7, seq: 0, content: [text('a')], structuredContent: { count: 1 } },
      { partialResultToken: 7, seq: 1, content: [text('b')], structuredContent: { count: 2 }, final: true },
    ]);
  });

  it.each([
    ['2026-07-28 with a token but without the partialResults capability', 'modern', { partialResultToken: 't' }, {}],
    ['2026-07-28 with the capability but no token', 'modern', {}, CAPABLE],
    ['a 2025 revision without a token', 'legacy', {}, {}],
  ] as const)('sends none on %s', async (_row, era, meta, capabilities) => {
    const outbox = recorder();
    const response = await streamingServer().handle(call('rows', meta, era, capabilities), envFor(era, outbox));
    expect(outbox.sent).toEqual([]);
    expect(response).toMatchObject({ result: { content: [text('row 1'), text('row 2'), text('row 3'), text('3 rows')] } });
  });

  it('sends them on a 2025 revision when the call carries a token', async () => {
    const outbox = recorder();
    await streamingServer().handle(call('rows', { partialResultToken: 'legacy' }, 'legacy'), envFor('legacy', outbox));
    expect(outbox.partials().map((p) => p.seq)).toEqual([0, 1]);
  });

  it('answers -32602 to a token that is neither a string nor a number', async () => {
    const response = await streamingServer().handle(call('rows', { partialResultToken: { id: 1 } }), envFor('modern', recorder()));
    expect(response).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/partialResultToken must be a string or a number/) } });
  });

  it('refuses ctx.partial outside a tool', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.registerPrompt('p', {}, async (_args, ctx) => {
      const refused = await ctx.partial(text('x')).then(() => 'accepted', (error: Error) => error.message);
      return { messages: [{ role: 'user', content: text(refused) }] };
    });
    const response = await server.handle({ jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'p', _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} } } }, envFor('modern', recorder()));
    expect(response).toMatchObject({ result: { messages: [{ content: { text: expect.stringMatching(/prompts\/get has no partial results/) } }] } });
  });
});

describe('partial results: cancellation', () => {
  it('closes a generator whose call is cancelled while it waits, so its finally runs, and ends the call at once', async () => {
    const server = new McpServer({ name: 's', version: '1', onError: () => undefined });
    const events: string[] = [];
    let proceed!: () => void;
    server.registerTool('stuck', {}, async function* () {
      try {
        yield text('row 1');
        await new Promise<void>((resolve) => (proceed = resolve));
        yield text('row 2');
        events.push('resumed after cancellation');
      } finally {
        events.push('finally');
      }
    });
    const client = new AbortController();
    const outbox = recorder();
    const answer = server.handle(call('stuck', { partialResultToken: 't' }), envFor('modern', outbox, client.signal));
    await expect.poll(() => outbox.partials().length).toBe(1);
    client.abort(new Error('client closed the stream'));
    // The call ends without waiting for the generator to look.
    expect(await answer).toMatchObject({ result: { isError: true } });
    expect(events).toEqual([]);
    proceed();
    await expect.poll(() => events).toEqual(['finally']);
    expect(outbox.partials()).toHaveLength(1);
  });

  it('rejects ctx.partial once the call is cancelled', async () => {
    const server = new McpServer({ name: 's', version: '1', onError: () => undefined });
    const seen: string[] = [];
    server.registerTool('manual', {}, async (_args, ctx) => {
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
      await ctx.partial(text('late')).catch((error: Error) => seen.push(error.message));
      return { content: [] };
    });
    const client = new AbortController();
    const answer = server.handle(call('manual', { partialResultToken: 't' }), envFor('modern', recorder(), client.signal));
    client.abort(new Error('gone'));
    await answer;
    expect(seen).toEqual(['gone']);
  });
});

describe('partial results and tasks', () => {
  it('stops notifying once the call becomes a task, and keeps every piece in the task result', async () => {
    const server = new McpServer({ name: 's', version: '1', tasks: tasks({ pollIntervalMs: 10 }) });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.registerTool('job', { taskSupport: 'optional' }, async function* (_args, ctx) {
      yield text('before');
      await ctx.startTask();
      await gate;
      yield text('after');
    });
    const capabilities = { ...CAPABLE, extensions: { 'io.modelcontextprotocol/tasks': {} } };
    const outbox = recorder();
    const created = await server.handle(call('job', { partialResultToken: 't' }, 'modern', capabilities), envFor('modern', outbox));
    expect(created).toMatchObject({ result: { resultType: 'task' } });
    release();
    const taskId = (created as unknown as { result: { taskId: string } }).result.taskId;
    const get = { jsonrpc: '2.0' as const, id: 2, method: 'tasks/get', params: { taskId, _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': capabilities } } };
    await expect.poll(async () => ((await server.handle(get, envFor('modern', recorder()))) as unknown as { result: { status: string } }).result.status).toBe('completed');
    const done = (await server.handle(get, envFor('modern', recorder()))) as unknown as { result: { result: { content: ContentBlock[] } } };
    expect(done.result.result.content).toEqual([text('before'), text('after')]);
    expect(outbox.partials().map((p) => p.content)).toEqual([[text('before')]]);
  });
});
