import { describe, expect, it } from 'vitest';
import * as zm from 'zod/mini';
import { McpServer } from './server.ts';
import { InputRoundEndedError } from './input-requests.ts';
import { tasks } from './tasks.ts';
import { jsonSchema } from '../schema/json-schema.ts';
import type { StandardSchemaV1 } from '../schema/standard-schema.ts';
import type { RequestEnv } from './outbox.ts';

const env: RequestEnv = {
  era: 'modern',
  protocolVersion: '2026-07-28',
  headers: new Headers(),
  signal: new AbortController().signal,
  outbox: { send() {} },
};

describe('McpServer registration of opt-in features', () => {
  it('refuses a task tool on a server without the tasks extension, naming the option', () => {
    const server = new McpServer({ name: 's', version: '1' });
    expect(() => server.registerTool('job', { taskSupport: 'optional' }, () => ({ content: [] }))).toThrow(/tasks: tasks\(\)/);
    expect(() => server.registerTool('plain', {}, () => ({ content: [] }))).not.toThrow();
  });

  it('accepts a task tool once tasks() is given, and advertises the extension', async () => {
    const server = new McpServer({ name: 's', version: '1', tasks: tasks() });
    server.registerTool('job', { taskSupport: 'required' }, () => ({ content: [] }));
    const discovered = await server.handle({ jsonrpc: '2.0', id: 1, method: 'server/discover' }, env);
    expect(discovered).toMatchObject({ result: { capabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } } });
  });

  it('refuses a resource target that is neither a URI nor a ResourceTemplate', () => {
    const server = new McpServer({ name: 's', version: '1' });
    expect(() => server.registerResource('r', new URL('docs://x') as never, {}, () => ({ contents: [] }))).toThrow(/URI string or a ResourceTemplate/);
  });

  it('lists a zod/mini tool through the toJsonSchema option', async () => {
    const server = new McpServer({ name: 's', version: '1', toJsonSchema: (s) => zm.toJSONSchema(s as zm.ZodMiniType, { io: 'input' }) });
    server.registerTool('echo', { inputSchema: zm.object({ text: zm.string() }) }, ({ text }) => ({ content: [{ type: 'text', text }] }));
    const listed = await server.handle({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, env);
    expect(listed).toMatchObject({ result: { tools: [{ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }] } });
    const called = await server.handle({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }, env);
    expect(called).toMatchObject({ result: { content: [{ type: 'text', text: 'hi' }] } });
  });
});

describe('McpServer tool results against outputSchema', () => {
  const sum = jsonSchema({ type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] });
  // The same check, answered asynchronously (some Standard Schema libraries do).
  const asyncSum: StandardSchemaV1 = {
    '~standard': { ...sum['~standard'], validate: async (value) => sum['~standard'].validate(value) },
  };
  const call = (server: McpServer, name: string) => server.handle({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } }, env);

  it.each([['sync', sum], ['async', asyncSum]] as const)('passes a matching result and mirrors it as text (%s validator)', async (_kind, schema) => {
    const server = new McpServer({ name: 's', version: '1' });
    server.registerTool('add', { outputSchema: schema }, () => ({ content: [], structuredContent: { sum: 3 } }));
    expect(await call(server, 'add')).toMatchObject({ result: { structuredContent: { sum: 3 }, content: [{ type: 'text', text: '{"sum":3}' }] } });
  });

  it.each([['sync', sum], ['async', asyncSum]] as const)('turns a mismatching result into -32603 naming the problem (%s validator)', async (_kind, schema) => {
    const server = new McpServer({ name: 's', version: '1', onError: () => {} });
    server.registerTool('add', { outputSchema: schema }, () => ({ content: [], structuredContent: { sum: 'three' } }));
    const response = await call(server, 'add');
    expect(response).toMatchObject({ error: { code: -32603 } });
    expect(JSON.stringify(response)).toMatch(/does not match its outputSchema.*sum/);
  });

  it('answers -32603 when a tool with an outputSchema returns no structuredContent', async () => {
    const server = new McpServer({ name: 's', version: '1', onError: () => {} });
    server.registerTool('add', { outputSchema: sum }, () => ({ content: [] }));
    expect(JSON.stringify(await call(server, 'add'))).toMatch(/declares an outputSchema but returned no structuredContent/);
  });
});

const meta = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {}, sampling: {}, roots: {} } };
const question = { messages: [{ role: 'user' as const, content: { type: 'text' as const, text: 'Capital of France?' } }], maxTokens: 10 };
const nameForm = { message: 'Name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
/** Lets every promise reaction already queued run: an unwinding run needs no timer. */
const drained = () => new Promise((resolve) => setTimeout(resolve, 0));

function serverRecording() {
  const seen: string[] = [];
  const errors: unknown[] = [];
  const server = new McpServer({ name: 's', version: '1', onError: (error) => errors.push(error) });
  return { server, seen, errors };
}

describe('a run abandoned after input_required (MRTR) unwinds', () => {
  it('rejects every ask the round left waiting, once, and runs finally without reaching onError', async () => {
    const { server, seen, errors } = serverRecording();
    server.registerTool('both', {}, async (_args, ctx) => {
      try {
        const settled = await Promise.allSettled([ctx.elicit(nameForm, 'name'), ctx.listRoots('roots')]);
        seen.push(...settled.map((s) => (s.status === 'rejected' && s.reason instanceof InputRoundEndedError ? 'rejected with InputRoundEndedError' : s.status)));
        return { content: [] };
      } finally {
        seen.push(`finally, signal ${ctx.signal.reason instanceof InputRoundEndedError ? 'aborted with InputRoundEndedError' : 'not aborted'}`);
      }
    });
    const response = await server.handle({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'both', _meta: meta } }, env);
    expect(response).toMatchObject({ result: { resultType: 'input_required', inputRequests: { name: { method: 'elicitation/create' }, roots: { method: 'roots/list' } } } });
    await drained();
    expect(seen).toEqual(['rejected with InputRoundEndedError', 'rejected with InputRoundEndedError', 'finally, signal aborted with InputRoundEndedError']);
    expect(errors).toEqual([]);
  });

  it('does the same for a prompt that samples, and refuses a further ask from the abandoned run', async () => {
    const { server, seen, errors } = serverRecording();
    server.registerPrompt('quiz', {}, async (_args, ctx) => {
      try {
        await ctx.sample(question, 'capital');
      } catch (error) {
        // A run that ignores the reason and asks again gets the same answer at once.
        await ctx.elicit(nameForm, 'again').catch((again: unknown) => seen.push(again === error ? 'second ask refused alike' : 'second ask differed'));
        throw error;
      } finally {
        seen.push('finally');
      }
      return { messages: [] };
    });
    const response = await server.handle({ jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'quiz', _meta: meta } }, env);
    expect(response).toMatchObject({ result: { resultType: 'input_required', inputRequests: { capital: { method: 'sampling/createMessage' } } } });
    await drained();
    expect(seen).toEqual(['second ask refused alike', 'finally']);
    expect(errors).toEqual([]);
  });

  it('still reports a failure of the cleanup itself to onError', async () => {
    const { server, errors } = serverRecording();
    const broken = new Error('could not release the lock');
    server.registerTool('sloppy', {}, async (_args, ctx) => {
      try {
        await ctx.elicit(nameForm, 'name');
      } finally {
        throw broken;
      }
    });
    const response = await server.handle({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'sloppy', _meta: meta } }, env);
    expect(response).toMatchObject({ result: { resultType: 'input_required' } });
    await drained();
    expect(errors).toEqual([broken]);
  });
});

describe('McpServer list cursors', () => {
  const server = new McpServer({ name: 's', version: '1', pageSize: 2 });
  for (const name of ['a', 'b', 'c']) server.registerTool(name, {}, () => ({ content: [] }));
  const list = (cursor: unknown) => server.handle({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { cursor } as never }, env);

  it('answers a cursor no String() can convert with -32602, not an internal error', async () => {
    expect(await list({ toString: 1 })).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/cursor/) } });
  });

  it('pages only through the cursors it issued, so its list cache holds one entry per page', async () => {
    const first = await list(undefined);
    expect(first).toMatchObject({ result: { tools: [{ name: 'a' }, { name: 'b' }], nextCursor: expect.any(String) } });
    const next = (first as unknown as { result: { nextCursor: string } }).result.nextCursor;
    expect(await list(next)).toMatchObject({ result: { tools: [{ name: 'c' }] } });
    expect(await list(btoa('o0002'))).toMatchObject({ error: { code: -32602 } });
  });
});
