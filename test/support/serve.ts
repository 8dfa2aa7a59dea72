// Starts a Hono app on a free loopback port with @hono/node-server, as the Node entry does.
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { loopbackHosts } from '../../src/http/checks.ts';
import type { McpHttpOptions } from '../../src/http/options.ts';

export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `createApp` receives the loopback Host allow-list for the port it was bound to. */
export async function serveApp(createApp: (options: McpHttpOptions) => Hono, options: McpHttpOptions = {}): Promise<Served> {
  let app: Hono | undefined;
  const server = serve({ fetch: (request: Request) => app!.fetch(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  app = createApp({ allowedHosts: loopbackHosts(port), ...options });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
