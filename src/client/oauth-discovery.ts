// The pure parts of the OAuth client (MCP specification, basic/authorization): reading a Bearer challenge, the well-known URLs
// to try for Protected Resource Metadata and authorization server metadata, PKCE S256 and scope
// selection. No I/O here, so each rule can be unit-tested on its own.

export interface BearerChallenge {
  /** `error`, e.g. `insufficient_scope` or `invalid_token`. */
  error?: string;
  scope?: string;
  resourceMetadata?: string;
}

/** Parses `WWW-Authenticate: Bearer k="v", k2=v2` (RFC 6750 §3); other schemes are ignored. */
export function parseWwwAuthenticate(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const start = header.search(/(^|[\s,])bearer(\s|$)/i);
  if (start < 0) return undefined;
  const params: Record<string, string> = {};
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const match of header.slice(start).replace(/^[\s,]*bearer/i, '').matchAll(pattern)) {
    const name = match[1]!.toLowerCase();
    // A second scheme's parameters start after the next `Scheme k=v`; the first value of each name wins.
    if (!(name in params)) params[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!;
  }
  const challenge: BearerChallenge = {};
  if (params.error) challenge.error = params.error;
  if (params.scope) challenge.scope = params.scope;
  if (params.resource_metadata) challenge.resourceMetadata = params.resource_metadata;
  return challenge;
}

/** Where PRM may live for an MCP endpoint, in the order RFC 9728 §3.1 and the MCP spec give. */
export function protectedResourceMetadataUrls(server: URL, fromHeader?: string): URL[] {
  const urls: URL[] = [];
  if (fromHeader) {
    try {
      urls.push(new URL(fromHeader, server));
    } catch {
      // An unparsable header URL is skipped, not fatal: the well-known locations still apply.
    }
  }
  const path = server.pathname.replace(/\/$/, '');
  if (path) urls.push(new URL(`/.well-known/oauth-protected-resource${path}`, server.origin));
  urls.push(new URL('/.well-known/oauth-protected-resource', server.origin));
  return urls;
}

/** RFC 8414 (path-inserted) first, then OpenID Connect discovery in both forms (MCP spec order). */
export function authorizationServerMetadataUrls(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  if (!path) return [new URL('/.well-known/oauth-authorization-server', url.origin), new URL('/.well-known/openid-configuration', url.origin)];
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, url.origin),
    new URL(`/.well-known/openid-configuration${path}`, url.origin),
    new URL(`${path}/.well-known/openid-configuration`, url.origin),
  ];
}

/** The resource identifier compared with PRM `resource`: the URL without fragment. */
export function resourceIdentifier(server: URL): string {
  const url = new URL(server.href);
  url.hash = '';
  return url.href;
}

/** RFC 8707 resource match: same origin, and the PRM resource is the server URL or a path prefix of it. */
export function resourceMatches(prmResource: string, server: URL): boolean {
  let resource: URL;
  try {
    resource = new URL(prmResource);
  } catch {
    return false;
  }
  if (resource.origin !== server.origin) return false;
  const prefix = resource.pathname.endsWith('/') ? resource.pathname : `${resource.pathname}/`;
  return server.pathname === resource.pathname || server.pathname.startsWith(prefix);
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** RFC 7636 S256 challenge (plain is never used: the MCP spec makes S256 a MUST). */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export async function createPkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(48);
  return { verifier, challenge: await pkceChallenge(verifier) };
}

/** Space-separated scope union, order kept (SEP-2350: step-up keeps what was granted before). */
export function unionScopes(...scopes: (string | undefined)[]): string | undefined {
  const all = new Set<string>();
  for (const scope of scopes) for (const item of scope?.split(/\s+/) ?? []) if (item) all.add(item);
  return all.size > 0 ? [...all].join(' ') : undefined;
}
