// `stateless-mcp/bun`: serve an app (a Hono app, e.g. `createMcpApp(server)`) with `Bun.serve`.
// Bound to loopback (the default), only loopback Host names are answered.
import { guardLoopback } from './loopback.ts';
import type { FetchApp } from './loopback.ts';

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

export interface BunServeOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default "127.0.0.1". Use "0.0.0.0" to serve a network (then set `allowedHosts` on the app). */
  hostname?: string;
  /** Seconds a connection may stay silent. Default 0 (never), so quiet streams stay open; keep-alive comments flow every 15 s. */
  idleTimeoutSeconds?: number;
  /** Called once listening. Default: prints `Listening on <url>`. */
  onListen?: (address: { url: string; hostname: string; port: number }) => void;
}

/**
 * @example
 * import { serve } from 'stateless-mcp/bun';
 * serve(createMcpApp(server), { port: 3000 });
 */
export function serve(app: FetchApp, options: BunServeOptions = {}): BunServer {
  const hostname = options.hostname ?? '127.0.0.1';
  // Bun.serve binds before it returns, so the URL already answers.
  const server = Bun.serve({ hostname, port: options.port ?? 3000, idleTimeout: options.idleTimeoutSeconds ?? 0, fetch: guardLoopback(hostname, app.fetch.bind(app)) });
  const url = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${server.port}`;
  (options.onListen ?? ((a) => console.log(`Listening on ${a.url}`)))({ url, hostname, port: server.port });
  return server;
}
