// `stateless-mcp/bun`: serve an app (a Hono app, e.g. `createMcpApp(server)`) with `Bun.serve`.
// Bound to loopback (the default), only loopback Host names are answered.
// The adapter shape, as for every host we start: `serve(app, options)` takes the finished app (listen.ts).
import { DEFAULT_HOSTNAME, DEFAULT_PORT, announce, guardLoopback } from './listen.ts';
import type { FetchApp, ServeOptions } from './listen.ts';

// The little of Bun's global used here, so the core type-check needs no Bun types.
declare const Bun: {
  serve(options: { hostname: string; port: number; idleTimeout?: number; fetch: (request: Request, server: unknown) => Response | Promise<Response> }): BunServer;
};

interface BunServer {
  hostname: string;
  port: number;
  url: URL;
  stop(closeActiveConnections?: boolean): Promise<void>;
}

export interface BunServeOptions extends ServeOptions {
  /** Seconds a connection may stay silent. Default 0 (never), so quiet streams stay open; keep-alive comments flow every 15 s. */
  idleTimeoutSeconds?: number;
}

/**
 * @example
 * import { serve } from 'stateless-mcp/bun';
 * serve(createMcpApp(server), { port: 3000 });
 */
export function serve(app: FetchApp, options: BunServeOptions = {}): BunServer {
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  // Bun.serve binds before it returns, so the URL already answers.
  const server = Bun.serve({ hostname, port: options.port ?? DEFAULT_PORT, idleTimeout: options.idleTimeoutSeconds ?? 0, fetch: guardLoopback(hostname, app.fetch.bind(app)) });
  announce(options, hostname, server.port);
  return server;
}
