// The Hono face of the endpoint: POST to the MCP path goes through the stateless handler; GET and
// DELETE get 405 (no GET stream; a 2025 session id is sealed and lives with the client, so there is
// nothing to delete, and MCP 2025-11-25 lets a server answer DELETE so); CORS for browser clients.
// The tiny preset's PatternRouter is ample for one path and saves ~2.5 KB gzipped in edge bundles.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { ErrorCode } from '../protocol/jsonrpc.ts';
import type { McpServer } from '../server/server.ts';
import { checkOriginAndHost, jsonRpcErrorResponse } from './checks.ts';
import { preflight, withCors } from './cors.ts';
import { createPostHandler } from './handler.ts';
import type { McpHttpOptions } from './options.ts';
import { consoleRequestLogger, withRequestLog } from './request-log.ts';
import { withTelemetry } from './telemetry.ts';

/**
 * Workers (and hosts that mimic them) hand Hono an execution context; elsewhere Hono's getter
 * throws. It is read only when work needs it: building that error on every POST costs several
 * percent of a request on Node.
 */
export function waitUntilOf(c: Context): (work: Promise<unknown>) => void {
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
  const handle = withTelemetry(createPostHandler(server, options));
  const post = logger ? withRequestLog(handle, logger) : handle;
  const app = new Hono();

  // Each route on the path adds CORS itself: a middleware would run (and compose) for every POST,
  // though only browser clients send an Origin.
  const cors = (c: Context, response: Response): Response => withCors(c.req.raw, response, options.allowedOrigins);

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

  app.options(path, (c) => preflight(c.req.raw, 'POST, OPTIONS', options.allowedHosts, options.allowedOrigins));

  app.on(['GET', 'DELETE', 'PUT', 'PATCH'], path, (c) => {
    const refused = checkOriginAndHost(c.req.raw, options.allowedHosts, options.allowedOrigins);
    if (refused) return cors(c, refused);
    return cors(
      c,
      jsonRpcErrorResponse(
        405,
        ErrorCode.InvalidRequest,
        c.req.method === 'DELETE'
          ? 'Method Not Allowed: this server keeps no sessions to end. A 2025 Mcp-Session-Id is sealed and expires by itself; simply stop sending it.'
          : `Method Not Allowed: ${c.req.method} is not served; this server is stateless. Send each JSON-RPC message as a POST, and use subscriptions/listen for notifications.`,
        undefined,
        undefined,
        { Allow: 'POST, OPTIONS' },
      ),
    );
  });

  if (options.rest) app.route('/', options.rest({ server, path, options, handle, log: logger }));
  return app;
}

/** A complete app serving one MCP server: what the runtime entries export. */
export function createMcpApp(server: McpServer, options: McpHttpOptions = {}): Hono {
  const app = new Hono();
  app.route('/', mcpRoutes(server, options));
  app.notFound((c) => c.json({ error: `Not found. The MCP endpoint is POST ${options.path ?? '/mcp'}.` }, 404));
  return app;
}
