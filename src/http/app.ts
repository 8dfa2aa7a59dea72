// The Hono face of the endpoint: POST to the MCP path goes through the stateless handler; GET and
// DELETE get 405 (2026-07-28 has no GET stream and no session to delete); CORS for browser clients.
// The tiny preset's PatternRouter is ample for one path and saves ~2.5 KB gzipped in edge bundles.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { ErrorCode } from '../protocol/jsonrpc.ts';
import type { McpServer } from '../server/server.ts';
import { checkOriginAndHost, isAllowedOrigin, jsonRpcErrorResponse } from './checks.ts';
import { createPostHandler } from './handler.ts';
import type { McpHttpOptions } from './options.ts';
import { consoleRequestLogger, withRequestLog } from './request-log.ts';
import { withTelemetry } from './telemetry.ts';

const EXPOSED = 'WWW-Authenticate, Content-Type';
const ALLOWED_HEADERS = 'Content-Type, Accept, Authorization, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Idempotency-Key, Last-Event-ID, Mcp-Session-Id';

/**
 * Workers (and hosts that mimic them) hand Hono an execution context; elsewhere Hono's getter
 * throws. It is read only when work needs it: building that error on every POST costs several
 * percent of a request on Node.
 */
function waitUntilOf(c: Context): (work: Promise<unknown>) => void {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context: the process itself stays up and finishes the work.
    }
  };
}

/** Routes for the MCP endpoint, to mount in any Hono app: `app.route('/', mcpRoutes(server))`. */
export function mcpRoutes(server: McpServer, options: McpHttpOptions = {}): Hono {
  const path = options.path ?? '/mcp';
  const logger = options.log === false ? undefined : typeof options.log === 'function' ? options.log : consoleRequestLogger;
  const handler = withTelemetry(createPostHandler(server, options));
  const post = logger ? withRequestLog(handler, logger) : handler;
  const app = new Hono();

  // Each route on the path adds CORS itself: a middleware would run (and compose) for every POST,
  // though only browser clients send an Origin.
  const cors = (c: Context, response: Response): Response => {
    const origin = c.req.header('origin');
    if (!origin) return response;
    const host = (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
    if (isAllowedOrigin(origin, host, options.allowedOrigins)) {
      response.headers.set('Access-Control-Allow-Origin', origin);
      response.headers.set('Access-Control-Expose-Headers', EXPOSED);
      response.headers.append('Vary', 'Origin');
    }
    return response;
  };

  app.post(path, (c) => {
    const answer = post(c.req.raw, { waitUntil: waitUntilOf(c) });
    return c.req.header('origin') ? answer.then((response) => cors(c, response)) : answer;
  });

  const auth = options.auth;
  if (auth?.metadata && auth.metadataPaths) {
    for (const documentPath of auth.metadataPaths(path)) {
      app.get(documentPath, (c) => auth.metadata!(c.req.raw, path));
      // Browser-based clients read the metadata cross-origin before they have a token.
      app.options(documentPath, (c) => c.body(null, 204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': 'MCP-Protocol-Version' }));
    }
  }

  app.options(path, (c) => {
    const refused = checkOriginAndHost(c.req.raw, options.allowedHosts, options.allowedOrigins);
    if (refused) return cors(c, refused);
    // Mcp-Param-* names vary per tool, so echo what the browser asks for.
    const requested = c.req.header('access-control-request-headers');
    return cors(
      c,
      c.body(null, 204, {
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': requested ?? ALLOWED_HEADERS,
        'Access-Control-Max-Age': '86400',
      }),
    );
  });

  app.on(['GET', 'DELETE', 'PUT', 'PATCH'], path, (c) => {
    const refused = checkOriginAndHost(c.req.raw, options.allowedHosts, options.allowedOrigins);
    if (refused) return cors(c, refused);
    return cors(
      c,
      jsonRpcErrorResponse(
        405,
        ErrorCode.InvalidRequest,
        `Method Not Allowed: ${c.req.method} is not served; this server is stateless. Send each JSON-RPC message as a POST, and use subscriptions/listen for notifications.`,
        undefined,
        undefined,
        { Allow: 'POST, OPTIONS' },
      ),
    );
  });

  return app;
}

/** A complete app serving one MCP server: what the runtime entries export. */
export function createMcpApp(server: McpServer, options: McpHttpOptions = {}): Hono {
  const app = new Hono();
  app.route('/', mcpRoutes(server, options));
  app.notFound((c) => c.json({ error: `Not found. The MCP endpoint is POST ${options.path ?? '/mcp'}.` }, 404));
  return app;
}
