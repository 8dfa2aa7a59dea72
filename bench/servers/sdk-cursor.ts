// The official SDK v2 serving the agent-loop `cursor` tool: it has no partial results, so the rows
// reach the client together, once the last one is read.
import { serve } from '@hono/node-server';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { CURSOR_DESCRIPTION, cursorInput, cursorRow } from './cursor.ts';
import { SERVER_INFO, exitOnSignal, portFromEnv, ready, sleep } from './shared.ts';

function createCursorServer(): McpServer {
  const server = new McpServer(SERVER_INFO);
  server.registerTool('cursor', { description: CURSOR_DESCRIPTION, inputSchema: cursorInput, annotations: { readOnlyHint: true } }, async ({ rows, gapMs }) => {
    const content = [];
    for (let id = 1; id <= rows; id++) {
      await sleep(gapMs);
      content.push(cursorRow(id));
    }
    return { content };
  });
  return server;
}

const port = portFromEnv();
exitOnSignal();
const handler = createMcpHandler(createCursorServer);
serve({ fetch: (request) => handler.fetch(request), port, hostname: '127.0.0.1' }, () => ready(port));
