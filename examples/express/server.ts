// An Express app that also serves MCP at /mcp, body parser and all.
// Run: PORT=3000 node --import tsx examples/express/server.ts
import express from 'express';
import { pathToFileURL } from 'node:url';
import { createDemoServer } from '../../src/demo/server.ts';
import { handle } from '../../src/adapter/express.ts';
import { createMcpApp, loopbackHosts } from '../../src/http/index.ts';
import type { McpHttpOptions } from '../../src/http/index.ts';
import type { McpServer } from '../../src/index.ts';

export function createExpressApp(server: McpServer, options: McpHttpOptions = {}) {
  const app = express();
  // The app's own routes parse JSON; the MCP handler takes the parsed body when it comes first.
  // Its default 100 kB limit then applies to MCP requests too.
  app.use(express.json());
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.all('/mcp', handle(createMcpApp(server, options)));
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 3000);
  // Bound to loopback: only loopback Host headers are genuine (DNS-rebinding protection).
  createExpressApp(createDemoServer(), { allowedHosts: loopbackHosts(port) }).listen(port, '127.0.0.1', () => {
    console.log(`MCP server listening on http://127.0.0.1:${port}/mcp`);
  });
}
