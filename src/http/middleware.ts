// The MCP endpoint's Hono middleware, in the order a POST meets it: CORS for browser clients
// (hono/cors, so even a refusal is readable), the host/origin guard (DNS-rebinding protection, and
// the 403 the spec asks for an invalid Origin), auth (verifies the caller and puts it on the
// context as `principal`). A preflight meets the guard first: a refused one gets no CORS answer.
// Compose them with your own around the MCP handler, or take the whole chain from `mcp()`.
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Principal } from '../protocol/principal.ts';
import { checkOriginAndHost, isAllowedOrigin, postRefusal } from './checks.ts';
import type { HttpAuth, McpHttpOptions } from './options.ts';
import type { RequestNotes } from './request-notes.ts';

/** The Hono environment of the MCP routes: what they read from the host and from earlier middleware. */
export interface McpEnv {
  Bindings: {
    /** When the host ends the request, in epoch ms (e.g. Lambda's deadline): bounds the request like `timeoutMs`. */
    mcpDeadline?: number;
  };
  Variables: {
    /** The verified caller: set by `mcpAuth` (or your own auth middleware), read by the MCP handler. */
    principal?: Principal;
    /** The request log's notes, filled in by the MCP handler. */
    mcpNotes?: RequestNotes;
  };
}

type GuardOptions = Pick<McpHttpOptions, 'allowedHosts' | 'allowedOrigins'>;

/**
 * 403 for a Host outside `allowedHosts` or an Origin that may not call (checks.ts); for a POST,
 * 415 unless its body is JSON.
 */
export function mcpGuard(options: GuardOptions = {}): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    const request = c.req.raw;
    const refused = request.method === 'POST' ? postRefusal(request, options) : checkOriginAndHost(request, options.allowedHosts, options.allowedOrigins);
    if (refused) return refused;
    await next();
  };
}

// Retry-After is not CORS-safelisted: browser clients must be told they may read it (429, 503).
const EXPOSED = ['WWW-Authenticate', 'Content-Type', 'Mcp-Session-Id', 'Retry-After'];

/**
 * CORS for the MCP routes (hono/cors): an allowed Origin (same-origin, loopback calling loopback,
 * or `allowedOrigins`) is echoed, with the headers a browser client must read exposed; preflights
 * are answered with `methods`, echoing the request headers asked for (Mcp-Param-* names vary per
 * tool). Any other request without an Origin skips it: only browsers send one.
 */
export function mcpCors(options: Pick<McpHttpOptions, 'allowedOrigins'> = {}, methods: readonly string[] = ['POST', 'OPTIONS']): MiddlewareHandler<McpEnv> {
  const allowedOrigin = (origin: string, c: Context) => (isAllowedOrigin(origin, hostOf(c.req.raw), options.allowedOrigins) ? origin : null);
  const middleware = cors({ origin: allowedOrigin, allowMethods: [...methods], exposeHeaders: EXPOSED, maxAge: 86_400 });
  return (c, next) => (c.req.raw.headers.has('origin') || c.req.method === 'OPTIONS' ? middleware(c, next) : next());
}

function hostOf(request: Request): string {
  return (request.headers.get('host') ?? new URL(request.url).host).toLowerCase();
}

/**
 * Verifies the caller with `auth` and puts it on the context (`c.var.principal`); answers the
 * gate's 401/403/503 instead when it refuses. A principal an earlier middleware set is kept.
 */
export function mcpAuth(auth: HttpAuth): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    if (c.get('principal') === undefined) {
      const verdict = await auth.authenticate(c.req.raw);
      if (verdict instanceof Response) return verdict;
      c.set('principal', verdict);
    }
    await next();
  };
}
