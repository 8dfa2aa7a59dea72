import { describe, expect, it } from 'vitest';
import { McpClientError } from './errors.ts';
import { OAuthSession } from './oauth.ts';

const SERVER = new URL('https://mcp.example/mcp');
const ISSUER = 'https://as.example';

/** A fake resource server and AS: the MCP endpoint wants `Bearer secret-token`. */
function world(issInRedirect: string | undefined) {
  const seen: { authorize?: URL; token?: URLSearchParams } = {};
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const json = (body: unknown, status = 200) => Response.json(body, { status });
    if (url.href === SERVER.href) {
      const ok = new Headers(init?.headers).get('authorization') === 'Bearer secret-token';
      return ok ? json({ ok: true }) : new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer scope="mcp:read"' } });
    }
    if (url.pathname === '/.well-known/oauth-protected-resource/mcp') return json({ resource: SERVER.href, authorization_servers: [ISSUER] });
    if (url.href === `${ISSUER}/.well-known/oauth-authorization-server`) {
      return json({ issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`, client_id_metadata_document_supported: true, authorization_response_iss_parameter_supported: true });
    }
    if (url.href === `${ISSUER}/token`) {
      seen.token = new URLSearchParams(String(init?.body));
      return json({ access_token: 'secret-token', token_type: 'Bearer', expires_in: 3600 });
    }
    return json({ error: 'not_found' }, 404);
  };
  const session = new OAuthSession(SERVER, fetch, {
    redirectUrl: 'http://localhost:3000/callback',
    clientMetadataUrl: 'https://client.example/metadata.json',
    redirect: async (authorizationUrl) => {
      seen.authorize = authorizationUrl;
      return { code: 'the-code', iss: issInRedirect, state: authorizationUrl.searchParams.get('state') ?? undefined };
    },
  });
  return { session, seen };
}

describe('OAuthSession', () => {
  it('authorizes on 401 with CIMD, PKCE S256 and resource, then retries once', async () => {
    const { session, seen } = world(ISSUER);
    const response = await session.fetch(SERVER, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    const params = seen.authorize!.searchParams;
    expect(params.get('client_id')).toBe('https://client.example/metadata.json');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('resource')).toBe(SERVER.href);
    expect(params.get('scope')).toBe('mcp:read');
    expect(seen.token?.get('resource')).toBe(SERVER.href);
    expect(seen.token?.get('code_verifier')).toBeTruthy();
  });

  it('refuses an authorization response from another issuer before the token request', async () => {
    const { session, seen } = world('https://evil.example');
    const error = await session.fetch(SERVER, { method: 'POST', body: '{}' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpClientError);
    expect((error as McpClientError).code).toBe('OAUTH_ERROR');
    expect(seen.token).toBeUndefined();
  });
});
