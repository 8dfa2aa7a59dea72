import { describe, expect, it } from 'vitest';
import { createClient } from './client.ts';
import { McpClientError } from './errors.ts';
import { OAuthSession } from './oauth.ts';
import { memoryStorage } from './oauth-types.ts';

const SERVER = new URL('https://mcp.example/mcp');
const ISSUER = 'https://as.example';

interface WorldOptions {
  /** What the AS answers a refresh_token grant with. */
  refresh?: 'ok' | 'refused' | 'down';
}

/** A fake resource server and AS: the MCP endpoint wants the latest access token the AS issued. */
function world(issInRedirect: string | undefined, options: WorldOptions = {}) {
  const seen: { authorize?: URL; token?: URLSearchParams; redirects: number; grants: string[]; mcpAuthorization: (string | null)[] } = { redirects: 0, grants: [], mcpAuthorization: [] };
  let issued = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const json = (body: unknown, status = 200) => Response.json(body, { status });
    if (url.href === SERVER.href) {
      const authorization = new Headers(init?.headers).get('authorization');
      seen.mcpAuthorization.push(authorization);
      const ok = issued > 0 && authorization === `Bearer secret-token-${issued}`;
      if (!ok) return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer scope="mcp:read"' } });
      // A JSON-RPC answer to whatever was asked, so the same world serves createClient too.
      const id = (JSON.parse(String(init?.body)) as { id?: number }).id ?? null;
      return json({ jsonrpc: '2.0', id, result: { resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: {}, ttlMs: 0, cacheScope: 'private', tools: [] } });
    }
    if (url.pathname === '/.well-known/oauth-protected-resource/mcp') return json({ resource: SERVER.href, authorization_servers: [ISSUER] });
    if (url.href === `${ISSUER}/.well-known/oauth-authorization-server`) {
      return json({ issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`, client_id_metadata_document_supported: true, authorization_response_iss_parameter_supported: true });
    }
    if (url.href === `${ISSUER}/token`) {
      seen.token = new URLSearchParams(String(init?.body));
      const grant = seen.token.get('grant_type')!;
      seen.grants.push(grant);
      if (grant === 'refresh_token' && options.refresh === 'refused') return json({ error: 'invalid_grant', error_description: 'refresh token revoked' }, 400);
      if (grant === 'refresh_token' && options.refresh === 'down') return json({ error: 'temporarily_unavailable' }, 503);
      issued++;
      return json({ access_token: `secret-token-${issued}`, token_type: 'Bearer', refresh_token: 'refresh-me', expires_in: 3600 });
    }
    return json({ error: 'not_found' }, 404);
  };
  const storage = memoryStorage();
  const provider = {
    storage,
    redirectUrl: 'http://localhost:3000/callback',
    clientMetadataUrl: 'https://client.example/metadata.json',
    redirect: async (authorizationUrl: URL) => {
      seen.authorize = authorizationUrl;
      seen.redirects++;
      return { code: 'the-code', iss: issInRedirect, state: authorizationUrl.searchParams.get('state') ?? undefined };
    },
  };
  const session = new OAuthSession(SERVER, fetch, provider);
  /** Time passes: the stored access token is now past its expiry. */
  const expire = async () => {
    const tokens = await storage.getTokens(ISSUER);
    await storage.setTokens(ISSUER, { ...tokens!, expires_at: Date.now() - 1 });
  };
  return { session, seen, fetch, provider, expire };
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

  it('refreshes an access token about to expire before sending it', async () => {
    const { session, seen, expire } = world(ISSUER, { refresh: 'ok' });
    expect((await session.fetch(SERVER, { method: 'POST', body: '{}' })).status).toBe(200);
    await expire();
    expect((await session.fetch(SERVER, { method: 'POST', body: '{}' })).status).toBe(200);
    expect(seen.grants).toEqual(['authorization_code', 'refresh_token']);
    expect(seen.mcpAuthorization.at(-1)).toBe('Bearer secret-token-2');
  });

  it('surfaces a refused refresh as UNAUTHORIZED saying to sign in again, never sending the expired token', async () => {
    const { session, seen, expire } = world(ISSUER, { refresh: 'refused' });
    expect((await session.fetch(SERVER, { method: 'POST', body: '{}' })).status).toBe(200);
    await expire();
    const sent = seen.mcpAuthorization.length;
    const error = await session.fetch(SERVER, { method: 'POST', body: '{}' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpClientError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/expired and refreshing it .* failed \(.*invalid_grant.*\).*Sign in again/) });
    expect(seen.mcpAuthorization).toHaveLength(sent);
    // The refused tokens are gone: the next request signs in afresh instead of failing forever.
    expect((await session.fetch(SERVER, { method: 'POST', body: '{}' })).status).toBe(200);
    expect(seen.redirects).toBe(2);
  });

  it('keeps the refresh token when the authorization server is only down, and refreshes once it is back', async () => {
    const options: WorldOptions = { refresh: 'down' };
    const { session, seen, expire } = world(ISSUER, options);
    await session.fetch(SERVER, { method: 'POST', body: '{}' });
    await expire();
    await expect(session.fetch(SERVER, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('Retry shortly') });
    options.refresh = 'ok';
    expect((await session.fetch(SERVER, { method: 'POST', body: '{}' })).status).toBe(200);
    expect(seen.grants).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
    expect(seen.redirects).toBe(1);
  });

  it('shares one refresh between concurrent requests (a rotating refresh token works once)', async () => {
    const { session, seen, expire } = world(ISSUER, { refresh: 'ok' });
    await session.fetch(SERVER, { method: 'POST', body: '{}' });
    await expire();
    await Promise.all([1, 2, 3].map(() => session.fetch(SERVER, { method: 'POST', body: '{}' })));
    expect(seen.grants).toEqual(['authorization_code', 'refresh_token']);
  });
});

describe('createClient with oauth', () => {
  it('reports a failed refresh as UNAUTHORIZED, not as an unreachable server', async () => {
    const { fetch, provider, expire } = world(ISSUER, { refresh: 'refused' });
    const client = createClient(SERVER, { fetch, oauth: provider, eraMemory: new Map() });
    await client.discover();
    await expire();
    await expect(client.listTools({ fresh: true })).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('Sign in again') });
  });
});
