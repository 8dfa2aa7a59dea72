// Bun entry: `bun run src/entries/bun.ts` serves the demo app on 127.0.0.1:$PORT. `serveBun`
// serves any Hono app the same way.
import type { Hono } from 'hono';
import { loopbackHosts } from '../http/checks.ts';
import { createDemoApp } from '../demo/app.ts';

// The little of Bun's global used here, so the core type-check needs no Bun types.
declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Response | Promise<Response> }): { hostname: string; port: number };
};

export function serveBun(createApp: (hosts: { allowedHosts: string[] }) => Hono) {
  const hostname = '127.0.0.1';
  const port = Number(Bun.env.PORT ?? 3000);
  // Bound to loopback, only loopback Host headers are genuine: anything else is DNS rebinding.
  const app = createApp({ allowedHosts: loopbackHosts(port) });
  // Bun.serve binds before it returns, so the printed URL already answers.
  const server = Bun.serve({ hostname, port, fetch: app.fetch });
  console.log(`MCP server listening on http://${server.hostname}:${server.port}/mcp`);
  return server;
}

if ((import.meta as { main?: boolean }).main) serveBun((hosts) => createDemoApp({ ...hosts, requestStateKeys: Bun.env.REQUEST_STATE_KEYS }));
