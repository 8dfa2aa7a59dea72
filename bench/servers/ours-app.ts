// stateless-mcp through its public API only (createServer + createMcpApp). The schemas come from
// the caller: zod (as the peers use) or plain JSON Schema (no schema library in the bundle).
import { createMcpApp, createServer } from '../../src/index.ts';
import type { ToolConfig } from '../../src/index.ts';
import { ECHO_DESCRIPTION, INTERVAL_MS, SERVER_INFO, SLOW_DESCRIPTION, STEPS, sleep, stampedMessage } from './shared.ts';

type Schema = NonNullable<ToolConfig['inputSchema']>;

export function createOursApp(echoInput: Schema, emptyInput: Schema) {
  const server = createServer(SERVER_INFO);
  server.registerTool('echo', { description: ECHO_DESCRIPTION, inputSchema: echoInput }, (args) => ({
    content: [{ type: 'text', text: String((args as { text: string }).text) }],
  }));
  server.registerTool('slow_stream', { description: SLOW_DESCRIPTION, inputSchema: emptyInput }, async (_args, ctx) => {
    for (let step = 1; step <= STEPS; step++) {
      await sleep(INTERVAL_MS);
      ctx.progress(step, STEPS, stampedMessage(step));
    }
    return { content: [{ type: 'text', text: 'done' }] };
  });
  // Like the peers, which log nothing per request: the default one-line log is a console write.
  return createMcpApp(server, { log: false });
}
