// mcp-lite: McpServer + StreamableHttpTransport with no session adapter (its stateless mode; it
// speaks 2025-03-26 and 2025-06-18 only), zod through its schemaAdapter; on @hono/node-server.
import { serve } from '@hono/node-server';
import { McpServer, StreamableHttpTransport } from 'mcp-lite';
import * as z from 'zod';
import { ECHO_DESCRIPTION, INTERVAL_MS, SERVER_INFO, SLOW_DESCRIPTION, STEPS, portFromEnv, ready, sleep, stampedMessage, exitOnSignal } from './shared.ts';

const mcp = new McpServer({ ...SERVER_INFO, schemaAdapter: (schema) => z.toJSONSchema(schema as z.ZodType) });
mcp.tool('echo', {
  description: ECHO_DESCRIPTION,
  inputSchema: z.object({ text: z.string() }),
  handler: ({ text }) => ({ content: [{ type: 'text', text }] }),
});
mcp.tool('slow_stream', {
  description: SLOW_DESCRIPTION,
  inputSchema: z.object({}),
  handler: async (_args, ctx) => {
    for (let step = 1; step <= STEPS; step++) {
      await sleep(INTERVAL_MS);
      await ctx.progress?.({ progress: step, total: STEPS, message: stampedMessage(step) });
    }
    return { content: [{ type: 'text', text: 'done' }] };
  },
});

const handle = new StreamableHttpTransport().bind(mcp);
const port = portFromEnv();
exitOnSignal();
serve({ fetch: (request) => handle(request), port, hostname: '127.0.0.1' }, () => ready(port));
