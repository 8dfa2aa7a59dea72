// tmcp with @tmcp/transport-http (sessionless per-request 2026-07-28 calls, and 2025 calls
// without a session header) and @tmcp/adapter-zod; on @hono/node-server.
import { serve } from '@hono/node-server';
import { ZodJsonSchemaAdapter } from '@tmcp/adapter-zod';
import { HttpTransport } from '@tmcp/transport-http';
import { McpServer } from 'tmcp';
import * as z from 'zod';
import { ECHO_DESCRIPTION, INTERVAL_MS, SERVER_INFO, SLOW_DESCRIPTION, STEPS, portFromEnv, ready, sleep, stampedMessage, exitOnSignal } from './shared.ts';

const server = new McpServer({ ...SERVER_INFO, description: 'bench' }, { adapter: new ZodJsonSchemaAdapter(), capabilities: { tools: { listChanged: true } } });
server.tool({ name: 'echo', description: ECHO_DESCRIPTION, schema: z.object({ text: z.string() }) }, async ({ text }) => ({
  content: [{ type: 'text', text }],
}));
server.tool({ name: 'slow_stream', description: SLOW_DESCRIPTION, schema: z.object({}) }, async () => {
  for (let step = 1; step <= STEPS; step++) {
    await sleep(INTERVAL_MS);
    server.progress(step, STEPS, stampedMessage(step));
  }
  return { content: [{ type: 'text', text: 'done' }] };
});

const transport = new HttpTransport(server, { path: '/mcp' });
const port = portFromEnv();
exitOnSignal();
serve({ fetch: async (request) => (await transport.respond(request)) ?? new Response(null, { status: 404 }), port, hostname: '127.0.0.1' }, () => ready(port));
