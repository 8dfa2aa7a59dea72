// The two bench tools on an official SDK v2 server; mcp-handler builds on the same SDK. A module of
// its own: importing a server entry would start that server.
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { ECHO_DESCRIPTION, INTERVAL_MS, SLOW_DESCRIPTION, STEPS, sleep, stampedMessage } from './shared.ts';

export function registerBenchTools(server: McpServer): void {
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
}

