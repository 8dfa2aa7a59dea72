// The Hono face of the endpoint, as middleware and routes to compose with your own:
//
//   mcp(server, options)        the POST handler: CORS → host/origin guard → auth → MCP handler
//                               (middleware.ts; the MCP handler's stream writer is the streaming
//                               part). `app.post('/mcp', mcp(server))`.
//   mcpRoutes(server, options)  a sub-app with its routes at '/': POST as above, OPTIONS preflights,
//                               405 for GET, DELETE, PUT and PATCH. `app.route('/mcp', mcpRoutes(server))`.
//   protectedResourceMetadata(auth, { path })
//                               RFC 9728 documents, which live at the ROOT of the origin
//                               (`/.well-known/oauth-protected-resource/<path>`): mount it with
//                               `app.route('/', …)` beside routes mounted at `path`.
//   createMcpApp(server, options)
//                               a complete app: the routes at `options.path` ('/mcp'), the
//                               metadata when auth serves it, the REST face when asked for.
//
// Nothing in the chain needs the path it is mounted at: the auth gate derives the resource from
// the request URL. Your own middleware runs inside the chain where you put it: before the routes
// (`app.use('/mcp', …)`), or between the parts (`app.post('/mcp', mcpAuth(auth), yours,
// mcp(server, { auth }))`: `mcp()` keeps a principal an earlier middleware set). The request log
// wraps the whole chain; a POST with nothing for the chain to do (no auth, no Origin) goes straight
// from the guard to the handler. The REST face calls the endpoint as a plain function
// (`createPostHandler`: the same gates, not your middleware). Hono's tiny preset: its
// PatternRouter is ample for these few paths and saves ~2.5 KB gzipped in edge bundles.
import { Hono } from 'hono/tiny';
import type { Context, Handler, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ErrorCode } from '../protocol/jsonrpc.ts';
import type { McpServer } from '../server/server.ts';
import { jsonRpcErrorResponse, postRefusal } from './checks.ts';
import { createMcpHandler, createPostHandler } from './handler.ts';
import { mcpAuth, mcpCors, mcpGuard } from './middleware.ts';
import type { McpEnv } from './middleware.ts';
import type { HttpAuth, McpHttpOptions } from './options.ts';
import { consoleRequestLogger, withContextLog } from './request-log.ts';
import type { RequestLogger } from './request-log.ts';
import { withTelemetry } from './telemetry.ts';

/** Options of `mcp()` and `mcpRoutes()`: the app's, but the path (where you mount them) and the REST face (`createMcpApp` mounts it). */
export type McpOptions = Omit<McpHttpOptions, 'path' | 'rest'>;

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

/** The host's deadline for this request (the `mcpDeadline` binding, epoch ms), if it passed one. */
export function deadlineOf(c: Context): number | undefined {
  const deadline: unknown = (c.env as McpEnv['Bindings'] | undefined)?.mcpDeadline;
  return typeof deadline === 'number' && Number.isFinite(deadline) ? deadline : undefined;
}

function loggerOf(options: McpOptions): RequestLogger | undefined {
  return options.log === false ? undefined : typeof options.log === 'function' ? options.log : consoleRequestLogger;
}

/** Runs `steps` as Hono runs a route's handlers (each step's `next` runs the rest), then `last`. */
function chain(steps: readonly MiddlewareHandler<McpEnv>[], last: (c: Context<McpEnv>) => Promise<Response>): (c: Context<McpEnv>) => Promise<Response> {
  return (c) => {
    const run = async (i: number): Promise<void> => {
      const response = i === steps.length ? await last(c) : await steps[i]!(c, () => run(i + 1));
      if (response && !c.finalized) c.res = response;
    };
    return run(0).then(() => c.res);
  };
}

/**
 * The MCP endpoint's POST handler with its middleware: request log, CORS, host/origin guard, auth
 * (when `options.auth`), then the MCP handler, which reads the principal and the host's
 * `mcpDeadline` from the context. Serve OPTIONS and 405s too with `mcpRoutes`.
 *
 * @example
 * app.post('/mcp', mcp(server, { auth }));
 */
export function mcp(server: McpServer, options: McpOptions = {}): Handler<McpEnv> {
  const handle = withTelemetry(createMcpHandler(server, options));
  const serve = (c: Context<McpEnv>) => handle(c.req.raw, { waitUntil: waitUntilOf(c), principal: c.get('principal'), deadline: deadlineOf(c), notes: c.get('mcpNotes') });
  const steps: MiddlewareHandler<McpEnv>[] = [mcpCors(options), mcpGuard(options)];
  if (options.auth) steps.push(mcpAuth(options.auth));
  const chained = chain(steps, serve);
  // Without auth, a request with no Origin (not a browser's) has only the guard to pass: it
  // skips the chain's per-request closures and promises.
  const direct = !options.auth;
  const endpoint = (c: Context<McpEnv>) => (direct && !c.req.raw.headers.has('origin') ? (postRefusal(c.req.raw, options) ?? serve(c)) : chained(c));
  const logger = loggerOf(options);
  return logger ? withContextLog(endpoint, logger) : endpoint;
}

/** 405 for methods the endpoint does not serve (no GET stream, no sessions to DELETE). */
const notAllowed: Handler<McpEnv> = (c) =>
  jsonRpcErrorResponse(
    405,
    ErrorCode.InvalidRequest,
    c.req.method === 'DELETE'
      ? 'Method Not Allowed: this server keeps no sessions to end. A 2025 Mcp-Session-Id is sealed and expires by itself; simply stop sending it.'
      : `Method Not Allowed: ${c.req.method} is not served; this server is stateless. Send each JSON-RPC message as a POST, and use subscriptions/listen for notifications.`,
    undefined,
    undefined,
    { Allow: 'POST, OPTIONS' },
  );

/**
 * The endpoint's routes, at '/' of a sub-app: POST through `mcp()`; OPTIONS answered for browser
 * clients (a refused Host or Origin gets 403); GET and DELETE get 405 (no GET stream; a 2025
 * session id is sealed and lives with the client, so there is nothing to delete, and MCP
 * 2025-11-25 lets a server answer DELETE so). Mount it where the endpoint lives.
 *
 * @example
 * app.route('/mcp', mcpRoutes(server));
 * app.route('/', protectedResourceMetadata(auth, { path: '/mcp' })); // with auth: RFC 9728 at the root
 */
export function mcpRoutes(server: McpServer, options: McpOptions = {}): Hono<McpEnv> {
  const app = new Hono<McpEnv>();
  const guard = mcpGuard(options);
  const withCors = mcpCors(options);
  app.post('/', mcp(server, options));
  app.options('/', guard, withCors);
  app.on(['GET', 'DELETE', 'PUT', 'PATCH'], '/', withCors, guard, notAllowed);
  return app;
}

/**
 * The RFC 9728 protected resource metadata of the endpoint at `path`, at the root of the origin
 * where RFC 9728 puts it (`/.well-known/oauth-protected-resource/mcp`, and the root form older
 * clients probe). Browser clients read it cross-origin before they have a token. Empty for an
 * auth gate that serves no metadata.
 *
 * @example
 * app.route('/', protectedResourceMetadata(auth, { path: '/mcp' }));
 */
export function protectedResourceMetadata(auth: HttpAuth, { path = '/mcp' }: { path?: string } = {}): Hono {
  const app = new Hono();
  if (!auth.metadata || !auth.metadataPaths) return app;
  const preflight = cors({ origin: '*', allowMethods: ['GET', 'OPTIONS'], allowHeaders: ['MCP-Protocol-Version'] });
  for (const documentPath of auth.metadataPaths(path)) {
    app.get(documentPath, (c) => auth.metadata!(c.req.raw, path));
    app.options(documentPath, preflight);
  }
  return app;
}

/** A complete app serving one MCP server: what the runtime entries export. */
export function createMcpApp(server: McpServer, options: McpHttpOptions = {}): Hono {
  const path = options.path ?? '/mcp';
  const app = new Hono();
  app.route(path, mcpRoutes(server, options));
  if (options.auth) app.route('/', protectedResourceMetadata(options.auth, { path }));
  if (options.rest) app.route('/', options.rest({ server, path, options, handle: withTelemetry(createPostHandler(server, options)), log: loggerOf(options) }));
  app.notFound((c) => c.json({ error: `Not found. The MCP endpoint is POST ${path}.` }, 404));
  return app;
}
