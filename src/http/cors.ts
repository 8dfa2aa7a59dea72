// CORS for browser clients, shared by the MCP endpoint and the faces mounted beside it: allowed
// origins (checks.ts) get their Origin echoed; preflights are refused for a bad Host or Origin.
import { checkOriginAndHost, isAllowedOrigin } from './checks.ts';

// Retry-After is not CORS-safelisted: browser clients must be told they may read it (429, 503).
const EXPOSED = 'WWW-Authenticate, Content-Type, Mcp-Session-Id, Retry-After';
const ALLOWED_HEADERS = 'Content-Type, Accept, Authorization, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Idempotency-Key, Last-Event-ID, Mcp-Session-Id';

/** `response` with the CORS headers an allowed browser origin needs; unchanged without an Origin. */
export function withCors(request: Request, response: Response, allowedOrigins: readonly string[] | undefined): Response {
  const origin = request.headers.get('origin');
  if (!origin) return response;
  const host = (request.headers.get('host') ?? new URL(request.url).host).toLowerCase();
  if (isAllowedOrigin(origin, host, allowedOrigins)) {
    response.headers.set('Access-Control-Allow-Origin', origin);
    response.headers.set('Access-Control-Expose-Headers', EXPOSED);
    response.headers.append('Vary', 'Origin');
  }
  return response;
}

/** The answer to an OPTIONS preflight for a path served with `methods`. */
export function preflight(request: Request, methods: string, allowedHosts: readonly string[] | undefined, allowedOrigins: readonly string[] | undefined): Response {
  const refused = checkOriginAndHost(request, allowedHosts, allowedOrigins);
  if (refused) return withCors(request, refused, allowedOrigins);
  // Mcp-Param-* names vary per tool, so echo what the browser asks for.
  const requested = request.headers.get('access-control-request-headers');
  return withCors(
    request,
    new Response(null, {
      status: 204,
      headers: { 'Access-Control-Allow-Methods': methods, 'Access-Control-Allow-Headers': requested ?? ALLOWED_HEADERS, 'Access-Control-Max-Age': '86400' },
    }),
    allowedOrigins,
  );
}
