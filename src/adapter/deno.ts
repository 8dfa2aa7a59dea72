// `stateless-mcp/deno`: serve an app (a Hono app, e.g. `createMcpApp(server)`) with `Deno.serve`.
// Bound to loopback (the default), only loopback Host names are answered. On Deno Deploy,
// `export default app` is enough: Deploy calls its `fetch`.
import { guardLoopback } from './loopback.ts';
import type { FetchApp } from './loopback.ts';

// The little of the Deno namespace used here, so the core type-check needs no Deno types.
declare const Deno: {
  serve(
    options: { hostname: string; port: number; signal?: AbortSignal; onListen(address: { hostname: string; port: number }): void },
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ): DenoServer;
};

interface DenoServer {
  finished: Promise<void>;
  shutdown(): Promise<void>;
}

export interface DenoServeOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default "127.0.0.1". Use "0.0.0.0" to serve a network (then set `allowedHosts` on the app). */
  hostname?: string;
  /** Shuts the server down when aborted. */
  signal?: AbortSignal;
  /** Called once listening. Default: prints `Listening on <url>`. */
  onListen?: (address: { url: string; hostname: string; port: number }) => void;
}

/**
 * @example
 * import { serve } from 'stateless-mcp/deno';
 * serve(createMcpApp(server), { port: 3000 });
 */
export function serve(app: FetchApp, options: DenoServeOptions = {}): DenoServer {
  const hostname = options.hostname ?? '127.0.0.1';
  const onListen = options.onListen ?? ((a) => console.log(`Listening on ${a.url}`));
  return Deno.serve(
    {
      hostname,
      port: options.port ?? 3000,
      signal: options.signal,
      onListen: (address) => onListen({ url: `http://${address.hostname.includes(':') ? `[${address.hostname}]` : address.hostname}:${address.port}`, hostname: address.hostname, port: address.port }),
    },
    guardLoopback(hostname, app.fetch.bind(app)),
  );
}
