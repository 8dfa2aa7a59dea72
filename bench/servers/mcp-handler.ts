// Vercel's mcp-handler 2.x (on the official SDK v2): createMcpHandler(initialize, options) gives a
// fetch handler; served by @hono/node-server.
import { serve } from '@hono/node-server';
import { createMcpHandler } from 'mcp-handler';
import * as z from 'zod';
import { ECHO_DESCRIPTION, INTERVAL_MS, SERVER_INFO, SLOW_DESCRIPTION, STEPS, portFromEnv, ready, sleep, stampedMessage, exitOnSignal } from './shared.ts';

const handler = createMcpHandler(
  (server) => {
    server.registerTool('echo', { description: ECHO_DESCRIPTION, inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    server.registerTool('slow_stream', { description: SLOW_DESCRIPTION, inputSchema: z.object({}) }, async (_args, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      for (let step = 1; step <= STEPS; step++) {
        await sleep(INTERVAL_MS);
        if (progressToken !== undefined) {
          await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: step, total: STEPS, message: stampedMessage(step) } });
        }
      }
      return { content: [{ type: 'text', text: 'done' }] };
    });
  },
  { serverInfo: SERVER_INFO },
);

const port = portFromEnv();
exitOnSignal();
serve({ fetch: (request) => handler(request), port, hostname: '127.0.0.1' }, () => ready(port));
