// A Fastify app that also serves MCP at /mcp.
// Run: PORT=3000 node --import tsx examples/fastify/server.ts
import Fastify from 'fastify';
import { pathToFileURL } from 'node:url';
import { createDemoServer } from '../../src/demo/server.ts';
import { handle } from '../../src/adapter/fastify.ts';
import { createMcpApp, loopbackHosts } from '../../src/http/index.ts';
import type { McpHttpOptions } from '../../src/http/index.ts';
import type { McpServer } from '../../src/index.ts';

export async function createFastifyApp(server: McpServer, options: McpHttpOptions = {}) {
  const fastify = Fastify();
  fastify.get('/health', async () => ({ ok: true }));
  await fastify.register(handle(createMcpApp(server, options)));
  return fastify;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 3000);
  // Bound to loopback: only loopback Host headers are genuine (DNS-rebinding protection).
  const fastify = await createFastifyApp(createDemoServer(), { allowedHosts: loopbackHosts(port) });
  await fastify.listen({ host: '127.0.0.1', port });
  console.log(`MCP server listening on http://127.0.0.1:${port}/mcp`);
}
