// The official SDK v2 (@modelcontextprotocol/server): createMcpHandler with a per-request factory,
// its stateless idiom for both eras (2026-07-28 natively, 2025 through `legacy: 'stateless'`),
// served by @hono/node-server like every fetch-shaped server here.
import { serve } from '@hono/node-server';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { SERVER_INFO, portFromEnv, ready, exitOnSignal } from './shared.ts';
import { registerBenchTools } from './sdk-tools.ts';

function createBenchServer(): McpServer {
  const server = new McpServer(SERVER_INFO);
  registerBenchTools(server);
  return server;
}

const port = portFromEnv();
exitOnSignal();
const handler = createMcpHandler(createBenchServer);
serve({ fetch: (request) => handler.fetch(request), port, hostname: '127.0.0.1' }, () => ready(port));
