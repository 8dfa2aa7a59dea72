// One adapter shape for every host: each adapter takes the finished app (a Hono app, or anything
// with its `fetch`), never a server or an app factory, and returns what its host expects:
// `serve(app, options)` where we start the server (Node, Bun, Deno), `handle(app, options?)` where
// the host calls us per request (Next.js, Lambda, Express, Fastify), and on Workers and Deno Deploy
// the app itself is the default export (`export default app`). It is Hono's own adapter idiom
// (@hono/node-server, hono/aws-lambda, hono/vercel), so users learn one rule.
//
// What every `serve(app, options)` adapter shares: the app it takes, the options every runtime
// has, the address it announces, and what a server bound to loopback answers: only requests
// addressed to a loopback name. A page on any website can make a browser send requests to
// 127.0.0.1; with DNS rebinding its own hostname resolves there too, and then only the Host header
// tells the two apart (MCP 2025-11-25+, basic/transports: security warning). Ports are not
// compared, as in the official SDKs.
import { ErrorCode } from '../protocol/jsonrpc.ts';
import { isLoopbackHost, isLoopbackName, jsonRpcErrorResponse } from '../http/checks.ts';

export type FetchHandler<Rest extends unknown[]> = (request: Request, ...rest: Rest) => Response | Promise<Response>;

/**
 * An app as every adapter takes it: a Hono app, or anything with a Web-standard `fetch`. Whatever
 * the adapter passes after the request (Node's `{ incoming, outgoing }`, Bun's server) is the
 * host's to give, so its type is left open, as Hono's own `app.fetch` does.
 */
export interface FetchApp {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fetch(request: Request, ...rest: any[]): Response | Promise<Response>;
}

/** Where a server listens, as `onListen` receives it. */
export interface ListenAddress {
  /** The base URL, e.g. `http://127.0.0.1:3000` (no trailing slash). */
  url: string;
  hostname: string;
  port: number;
}

/** The options of `serve` on every runtime. */
export interface ServeOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default "127.0.0.1": only this machine can connect, and only loopback Host names are answered. Use "0.0.0.0" to serve a network (then set `allowedHosts` on the app). */
  hostname?: string;
  /** Called once listening. Default: prints `Listening on <url>`; pass a function to print your own line, or to print nothing. */
  onListen?: (address: ListenAddress) => void;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOSTNAME = '127.0.0.1';

/** Tells `options.onListen` (or the console) where the server listens. */
export function announce(options: ServeOptions, hostname: string, port: number): ListenAddress {
  const address = { url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`, hostname, port };
  (options.onListen ?? ((a: ListenAddress) => console.log(`Listening on ${a.url}`)))(address);
  return address;
}

/** `fetch` as served on `hostname`: bound to loopback, other Host names get 403. */
export function guardLoopback<Rest extends unknown[]>(hostname: string, fetch: FetchHandler<Rest>): FetchHandler<Rest> {
  if (!isLoopbackName(hostname)) return fetch;
  return (request, ...rest) => {
    const host = request.headers.get('host') ?? new URL(request.url).host;
    if (isLoopbackHost(host)) return fetch(request, ...rest);
    return jsonRpcErrorResponse(
      403,
      ErrorCode.InvalidRequest,
      `Forbidden: Host "${host}" is not a loopback name, and this server listens on ${hostname} only. To serve other names, listen on 0.0.0.0 (HOST=0.0.0.0) and set allowedHosts.`,
    );
  };
}
