// Vercel's mcp-handler 2.x (on the official SDK v2): createMcpHandler(initialize, options) gives a
// fetch handler; served by @hono/node-server.
import { serve } from '@hono/node-server';
import { createMcpHandler } from 'mcp-handler';
import { SERVER_INFO, portFromEnv, ready, exitOnSignal } from './shared.ts';
import { registerBenchTools } from './sdk-tools.ts';

const handler = createMcpHandler(
  (server) => registerBenchTools(server),
  { serverInfo: SERVER_INFO },
);

const port = portFromEnv();
exitOnSignal();
serve({ fetch: (request) => handler(request), port, hostname: '127.0.0.1' }, () => ready(port));
