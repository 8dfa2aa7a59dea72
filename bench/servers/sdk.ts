// The official SDK v2 (@modelcontextprotocol/server): createMcpHandler with a per-request factory,
// its stateless idiom for both eras (2026-07-28 natively, 2025 through `legacy: 'stateless'`),
// served by @hono/node-server like every fetch-shaped server here.
import { serve } from '@hono/node-server';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { ECHO_DESCRIPTION, INTERVAL_MS, SERVER_INFO, SLOW_DESCRIPTION, STEPS, portFromEnv, ready, sleep, stampedMessage, exitOnSignal } from './shared.ts';

function createBenchServer(): McpServer {
  const server = new McpServer(SERVER_INFO);
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
  return server;
}

const port = portFromEnv();
exitOnSignal();
const handler = createMcpHandler(createBenchServer);
serve({ fetch: (request) => handler.fetch(request), port, hostname: '127.0.0.1' }, () => ready(port));
