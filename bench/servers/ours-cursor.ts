// stateless-mcp serving the agent-loop `cursor` tool as an async generator: each row is a piece
// (a partial result when the call opts in, folded into the final result always) and a progress
// notification (when the call sends a progressToken, as a client of today's streaming would).
import { serve } from '@hono/node-server';
import { createMcpApp, createServer } from '../../src/index.ts';
import { CURSOR_DESCRIPTION, cursorInput, cursorRow } from './cursor.ts';
import { SERVER_INFO, exitOnSignal, portFromEnv, ready, sleep } from './shared.ts';

const server = createServer(SERVER_INFO);
server.registerTool('cursor', { description: CURSOR_DESCRIPTION, inputSchema: cursorInput, annotations: { readOnlyHint: true, streamingHint: true } }, async function* ({ rows, gapMs }, ctx) {
  for (let id = 1; id <= rows; id++) {
    await sleep(gapMs);
    ctx.progress(id, rows);
    yield cursorRow(id);
  }
});

const port = portFromEnv();
exitOnSignal();
serve({ fetch: createMcpApp(server).fetch, port, hostname: '127.0.0.1' }, () => ready(port));
