// `stateless-mcp/deno`: serve an app (a Hono app, e.g. `createMcpApp(server)`) with `Deno.serve`.
// Bound to loopback (the default), only loopback Host names are answered. On Deno Deploy,
// `export default app` is enough: Deploy calls its `fetch`.
// The adapter shape, as for every host we start: `serve(app, options)` takes the finished app (listen.ts).
import { DEFAULT_HOSTNAME, DEFAULT_PORT, announce, guardLoopback } from './listen.ts';
import type { FetchApp, ServeOptions } from './listen.ts';

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

export interface DenoServeOptions extends ServeOptions {
  /** Shuts the server down when aborted. */
  signal?: AbortSignal;
}

/**
 * @example
 * import { serve } from 'stateless-mcp/deno';
 * serve(createMcpApp(server), { port: 3000 });
 */
export function serve(app: FetchApp, options: DenoServeOptions = {}): DenoServer {
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  return Deno.serve(
    { hostname, port: options.port ?? DEFAULT_PORT, signal: options.signal, onListen: (address) => void announce(options, address.hostname, address.port) },
    guardLoopback(hostname, app.fetch.bind(app)),
  );
}
