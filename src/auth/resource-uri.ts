// The canonical URI of this MCP server (RFC 8707 resource, RFC 9728 `resource`): tokens must be
// issued for it. Derived from the request unless configured; proxy headers only when trusted,
// since a client can send any X-Forwarded-* it likes.

export interface ResourceUriOptions {
  /** The canonical URI, e.g. "https://mcp.example.com/mcp". Recommended in production. */
  resource?: string;
  /** Honour X-Forwarded-Proto / X-Forwarded-Host (only behind a proxy that sets them). */
  trustProxy?: boolean;
}

function withoutTrailingSlash(uri: string): string {
  return uri.length > 1 && uri.endsWith('/') ? uri.slice(0, -1) : uri;
}

export function resourceUriFor(request: Request, options: ResourceUriOptions): string {
  if (options.resource) return withoutTrailingSlash(options.resource);
  const url = new URL(request.url);
  if (options.trustProxy) {
    const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`;
    if (host) url.host = host;
  }
  return withoutTrailingSlash(`${url.origin}${url.pathname}`);
}

/** RFC 9728 §3.1: the metadata URL inserts the well-known segment before the resource's path. */
export function metadataUrlFor(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}
