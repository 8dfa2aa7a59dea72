// The bearer gate of an OAuth 2.1 resource server (MCP authorization spec): reads the token from
// the Authorization header only, verifies it, and answers RFC 6750/9728 challenges otherwise.
// Also serves the protected resource metadata document the challenges point to.
import type { Principal } from '../protocol/principal.ts';
import { challengeResponse } from './challenge.ts';
import { metadataUrlFor, resourceUriFor } from './resource-uri.ts';
import type { ResourceUriOptions } from './resource-uri.ts';
import type { TokenVerifier } from './verifier.ts';

export interface BearerAuthOptions extends ResourceUriOptions {
  /** Verifiers tried in order (e.g. JWT, then introspection); the first that accepts wins. */
  verify: TokenVerifier | TokenVerifier[];
  /** Issuer URLs of the authorization servers clients should use (RFC 9728: at least one). */
  authorizationServers: string[];
  /** Advertised in the metadata; never include offline_access (spec: SHOULD NOT). */
  scopesSupported?: string[];
  /** Scopes every request needs; named in the 401 challenge so clients ask for them up front. */
  requiredScopes?: string[];
  resourceName?: string;
  resourceDocumentation?: string;
  /**
   * Why tokens cannot be checked (the JWKS or introspection endpoint is down, or refuses this
   * server's credentials), which clients only see as 503: the first failure of each outage.
   * Default: console.error.
   */
  onError?: (error: unknown) => void;
}

/** What the HTTP layer asks of an auth gate (src/http/options.ts `HttpAuth`). */
export interface BearerAuth {
  authenticate(request: Request): Promise<Principal | Response>;
  insufficientScope(request: Request, scopes: readonly string[]): Response;
  metadataPaths(mcpPath: string): string[];
  metadata(request: Request, mcpPath: string): Response;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i;

export function createBearerAuth(options: BearerAuthOptions): BearerAuth {
  const verifiers = Array.isArray(options.verify) ? options.verify : [options.verify];
  if (verifiers.length === 0) throw new TypeError('createBearerAuth needs at least one verifier, e.g. verify: jwtVerifier({ jwksUrl, issuer }).');
  if (options.authorizationServers.length === 0) throw new TypeError('createBearerAuth needs authorizationServers: the issuer URL(s) clients get tokens from.');
  const required = options.requiredScopes ?? [];
  const onError = options.onError ?? ((error: unknown) => console.error(`[stateless-mcp/auth] tokens cannot be checked: ${error instanceof Error ? error.message : String(error)}`));
  /** Verifiers whose last verdict was unavailable: one report per outage of each, not one per request. */
  const failing = new Set<TokenVerifier>();
  const report = (verify: TokenVerifier, cause: unknown) => {
    if (failing.has(verify)) return;
    failing.add(verify);
    try {
      onError(cause);
    } catch {
      // A failing onError hook must not turn the 503 into a crash.
    }
  };

  const resourceFor = (request: Request, mcpPath?: string) => {
    if (options.resource || mcpPath === undefined) return resourceUriFor(request, options);
    // The metadata request comes to a well-known path: the resource is the MCP endpoint beside it.
    const endpoint = new Request(new URL(mcpPath, request.url), { headers: request.headers });
    return resourceUriFor(endpoint, options);
  };
  const challenge = (request: Request, parts: { error?: 'invalid_request' | 'invalid_token'; description?: string }, scopes: readonly string[] = required) =>
    challengeResponse({ resourceMetadata: metadataUrlFor(resourceFor(request)), scopes, ...parts });

  return {
    async authenticate(request) {
      // Tokens in the query string are forbidden: they end up in logs and Referer headers.
      if (new URL(request.url).searchParams.has('access_token')) {
        return challenge(request, { error: 'invalid_request', description: 'Send the access token in the Authorization header; tokens in the URL are refused.' });
      }
      const header = request.headers.get('authorization');
      if (header === null) return challenge(request, {});
      const token = BEARER.exec(header.trim())?.[1];
      if (!token) return challenge(request, { error: 'invalid_request', description: 'The Authorization header must be "Bearer <token>".' });

      const resource = resourceFor(request);
      let unavailable: string | undefined;
      let refusal = 'The access token is not valid.';
      for (const verify of verifiers) {
        const verdict = await verify(token, { resource });
        if (verdict.ok || verdict.kind === 'invalid') failing.delete(verify);
        if (verdict.ok) return verdict.principal;
        if (verdict.kind === 'unavailable') {
          unavailable = verdict.description;
          report(verify, verdict.cause ?? new Error(verdict.description));
        } else refusal = verdict.description;
      }
      if (unavailable) {
        return Response.json(
          { jsonrpc: '2.0', error: { code: -32603, message: `Service Unavailable: ${unavailable}` } },
          { status: 503, headers: { 'Retry-After': '5', 'Cache-Control': 'no-store' } },
        );
      }
      return challenge(request, { error: 'invalid_token', description: refusal });
    },

    insufficientScope(request, scopes) {
      const all = [...new Set([...required, ...scopes])];
      return challengeResponse({
        resourceMetadata: metadataUrlFor(resourceFor(request)),
        scopes: all,
        error: 'insufficient_scope',
        description: `This operation needs the scope${all.length > 1 ? 's' : ''} ${all.join(' ')}; ask the authorization server for a token that has ${all.length > 1 ? 'them' : 'it'}.`,
      });
    },

    metadataPaths(mcpPath) {
      // RFC 9728 §3.1 path-inserted form, plus the root form older clients probe.
      return [`/.well-known/oauth-protected-resource${mcpPath === '/' ? '' : mcpPath}`, '/.well-known/oauth-protected-resource'];
    },

    metadata(request, mcpPath) {
      const document: Record<string, unknown> = {
        resource: resourceFor(request, mcpPath),
        authorization_servers: options.authorizationServers,
        bearer_methods_supported: ['header'],
      };
      if (options.scopesSupported) document.scopes_supported = options.scopesSupported.filter((s) => s !== 'offline_access');
      if (options.resourceName) document.resource_name = options.resourceName;
      if (options.resourceDocumentation) document.resource_documentation = options.resourceDocumentation;
      return Response.json(document, { headers: { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=3600' } });
    },
  };
}
