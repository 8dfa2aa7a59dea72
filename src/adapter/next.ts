// Next.js App Router entry: route handlers that hand each request to the app, the same under
// `runtime = 'nodejs'` and `runtime = 'edge'` (Web Request in, Web Response out, no Node APIs).
// The adapter shape, as for every host that calls us per request: `handle(app)` takes the finished
// app and returns what the host expects, here the route file's exports (Hono's own idiom, as
// hono/vercel, so there is one rule to learn). As with hono/vercel, the app routes on the path Next
// received: serve it where the route file is (`app/mcp/route.ts` → `/mcp`, the default path).
import type { FetchApp } from './listen.ts';

export type NextRouteHandler = (request: Request) => Promise<Response>;

/** Every method a route file may export: the app answers each one, 405 included. */
export interface NextHandlers {
  GET: NextRouteHandler;
  HEAD: NextRouteHandler;
  POST: NextRouteHandler;
  PUT: NextRouteHandler;
  PATCH: NextRouteHandler;
  DELETE: NextRouteHandler;
  OPTIONS: NextRouteHandler;
}

/**
 * Route handlers serving `app`; responses stream as the app writes them.
 *
 * @example
 * // app/mcp/route.ts
 * export const runtime = 'nodejs'; // or 'edge'
 * export const { GET, POST, DELETE, OPTIONS } = handle(createMcpApp(server, { allowedHosts: ['mcp.example.com'] }));
 */
export function handle(app: FetchApp): NextHandlers {
  provideAbortSignalAny();
  const route: NextRouteHandler = async (request) => app.fetch(request);
  return { GET: route, HEAD: route, POST: route, PUT: route, PATCH: route, DELETE: route, OPTIONS: route };
}

/**
 * Next's Edge Runtime sandbox has no `AbortSignal.any` (Node, Workers, Deno and Bun do), and the
 * handler joins the client's and its own signals with it. Installed only where it is missing.
 */
function provideAbortSignalAny(): void {
  if (typeof AbortSignal.any === 'function') return;
  AbortSignal.any = (signals: Iterable<AbortSignal>): AbortSignal => {
    const controller = new AbortController();
    for (const signal of signals) {
      if (signal.aborted) {
        controller.abort(signal.reason);
        break;
      }
      signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    }
    return controller.signal;
  };
}
