// The demo server `npm start` serves: a handful of useful tools showing each feature.
import * as z from 'zod';
import { ResourceTemplate, createServer } from '../index.ts';
import type { McpServer, ServerOptions } from '../index.ts';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** `requestState` keys for multi-instance MRTR; `pageSize` for lists (the soak bench pages the demo's few tools). */
export function createDemoServer({ requestState, pageSize }: Pick<ServerOptions, 'requestState' | 'pageSize'> = {}): McpServer {
  const server = createServer({
    name: 'stateless-mcp-demo',
    version: '0.1.0',
    title: 'stateless-mcp demo',
    instructions: 'Demo tools: echo, add, slow_stream (streams progress), query_rows (streams its result row by row), greet (asks for your name).',
    cache: { ttlMs: 60_000, cacheScope: 'public' },
    requestState,
    pageSize,
  });

  server.registerTool(
    'echo',
    { title: 'Echo', description: 'Returns the text it is given.', inputSchema: z.object({ text: z.string().describe('Text to echo back') }), annotations: { readOnlyHint: true } },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );

  server.registerTool(
    'add',
    {
      title: 'Add',
      description: 'Adds two numbers and returns the sum as structured output.',
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      outputSchema: z.object({ sum: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
  );

  server.registerTool(
    'slow_stream',
    {
      title: 'Slow stream',
      description: 'Sends `steps` progress notifications `intervalMs` apart, then answers. Shows streaming.',
      inputSchema: z.object({ steps: z.number().int().min(1).max(100).default(5), intervalMs: z.number().int().min(0).max(10_000).default(20) }),
    },
    async ({ steps, intervalMs }, ctx) => {
      for (let i = 1; i <= steps; i++) {
        await sleep(intervalMs, ctx.signal);
        ctx.progress(i, steps, `step ${i} of ${steps}`);
        ctx.log('info', { step: i });
      }
      return { content: [{ type: 'text', text: `done after ${steps} steps` }] };
    },
  );

  server.registerTool(
    'query_rows',
    {
      title: 'Query rows',
      description:
        'Reads `rows` rows from a slow source, one every `intervalMs`. Each row is sent as a partial result the moment it is read (when the call opts in with a partialResultToken); the final result holds every row.',
      inputSchema: z.object({ rows: z.number().int().min(1).max(1000).default(5), intervalMs: z.number().int().min(0).max(10_000).default(400) }),
      annotations: { readOnlyHint: true, streamingHint: true },
    },
    async function* ({ rows, intervalMs }, ctx) {
      for (let id = 1; id <= rows; id++) {
        await sleep(intervalMs, ctx.signal);
        yield { type: 'text', text: JSON.stringify({ id, name: `row ${id}`, value: (id * 37) % 101 }) };
      }
    },
  );

  server.registerTool(
    'greet',
    { title: 'Greet', description: 'Asks the user for their name (elicitation), then greets them.', inputSchema: z.object({}) },
    async (_args, ctx) => {
      const answer = await ctx.elicit(
        { message: 'What is your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string', title: 'Name' } }, required: ['name'] } },
        'name',
      );
      if (answer.action !== 'accept') return { content: [{ type: 'text', text: 'Maybe next time.' }] };
      return { content: [{ type: 'text', text: `Hello, ${String(answer.content?.name)}!` }] };
    },
  );

  server.registerResource(
    'readme',
    'demo://readme',
    { title: 'About this server', mimeType: 'text/markdown' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: '# stateless-mcp demo\nEvery POST stands alone.' }] }),
  );

  server.registerResource(
    'note',
    new ResourceTemplate('demo://notes/{id}', { complete: { id: (value) => ['1', '2', '3'].filter((id) => id.startsWith(value)) } }),
    { title: 'Note by id', mimeType: 'text/plain' },
    (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: `Note ${id}` }] }),
  );

  server.registerPrompt(
    'summarize',
    {
      title: 'Summarize',
      description: 'Asks the model to summarize a text.',
      argsSchema: z.object({ text: z.string().describe('Text to summarize'), style: z.string().optional().describe('e.g. bullet points') }),
      complete: { style: (value) => ['bullet points', 'one sentence', 'tweet'].filter((s) => s.startsWith(value)) },
    },
    ({ text, style }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Summarize${style ? ` as ${style}` : ''}:\n\n${text}` } }],
    }),
  );

  return server;
}
