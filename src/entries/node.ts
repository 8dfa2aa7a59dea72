// Node entry: serves the demo app with @hono/node-server on 127.0.0.1:$PORT (the only module
// allowed to use Node APIs). `serveNode` serves any Hono app the same way.
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { loopbackHosts } from '../http/checks.ts';
import { createDemoApp } from '../demo/app.ts';
import { pathToFileURL } from 'node:url';

export function serveNode(createApp: (hosts: { allowedHosts?: string[] }) => Hono, options: { port?: number; hostname?: string } = {}) {
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const hostname = options.hostname ?? process.env.HOST ?? '127.0.0.1';
  // Bound to loopback, only loopback Host headers are genuine: anything else is DNS rebinding.
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(hostname);
  const app = createApp(loopback ? { allowedHosts: loopbackHosts(port) } : {});
  const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
    console.log(`MCP server listening on http://${host}:${info.port}/mcp`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  serveNode((hosts) => createDemoApp({ ...hosts, requestStateKeys: process.env.REQUEST_STATE_KEYS }));
}
