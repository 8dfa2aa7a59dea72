// Deno entry: `deno task start` serves the demo app on 127.0.0.1:$PORT. `serveDeno` serves any
// Hono app the same way.
import type { Hono } from 'hono';
import { loopbackHosts } from '../http/checks.ts';
import { createDemoApp } from '../demo/app.ts';

// The little of the Deno namespace used here, so the core type-check needs no Deno types.
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

export function serveDeno(createApp: (hosts: { allowedHosts: string[] }) => Hono) {
  const hostname = '127.0.0.1';
  const port = Number(Deno.env.get('PORT') ?? 3000);
  // Bound to loopback, only loopback Host headers are genuine: anything else is DNS rebinding.
  const app = createApp({ allowedHosts: loopbackHosts(port) });
  return Deno.serve({ hostname, port, onListen: (address) => console.log(`MCP server listening on http://${address.hostname}:${address.port}/mcp`) }, app.fetch);
}

if ((import.meta as { main?: boolean }).main) serveDeno((hosts) => createDemoApp({ ...hosts, requestStateKeys: Deno.env.get('REQUEST_STATE_KEYS') }));
