// Next.js App Router entry: route handlers for one MCP endpoint, the same under
// `runtime = 'nodejs'` and `runtime = 'edge'` (Web Request in, Web Response out, no Node APIs).
import { Hono } from 'hono/tiny';
import { mcpRoutes } from '../http/app.ts';
import type { McpHttpOptions } from '../http/options.ts';
import type { McpServer } from '../server/server.ts';

export type NextRouteHandler = (request: Request) => Promise<Response>;

export interface NextHandlers {
  GET: NextRouteHandler;
  POST: NextRouteHandler;
  DELETE: NextRouteHandler;
  OPTIONS: NextRouteHandler;
}

/** The route's own path, whatever it is: Next has already chosen this file for the request. */
const ENDPOINT = '/mcp';

/**
 * Route handlers serving `server` at the path of the route file they are exported from
 * (`app/mcp/route.ts` → `/mcp`, `app/edge/mcp/route.ts` → `/edge/mcp`, under any `basePath`).
 * `path` in `options` is ignored: the file's location is the one place the path is written.
 *
 * @example
 * // app/mcp/route.ts
 * export const runtime = 'nodejs'; // or 'edge'
 * export const { GET, POST, DELETE, OPTIONS } = createNextHandler(server, { allowedHosts: ['mcp.example.com'] });
 */
export function createNextHandler(server: McpServer, options: Omit<McpHttpOptions, 'path'> = {}): NextHandlers {
  provideAbortSignalAny();
  // Route every request to the endpoint instead of matching URLs again: a path written here
  // would have to repeat the file's location, basePath and any dynamic segments.
  const app = new Hono({ getPath: () => ENDPOINT });
  app.route(ENDPOINT, mcpRoutes(server, options));
  const handle: NextRouteHandler = async (request) => app.fetch(request);
  return { GET: handle, POST: handle, DELETE: handle, OPTIONS: handle };
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
