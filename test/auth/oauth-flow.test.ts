// The whole MCP authorization flow with real parties on loopback: the official SDK client, a
// certified OAuth server (oidc-provider) and our resource server. The client starts with nothing,
// meets the 401 challenge, reads our protected resource metadata, discovers and registers with
// the authorization server, runs authorization code + PKCE with an RFC 8707 resource, and calls.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBearerAuth, jwtVerifier } from '../../src/auth/index.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createAuthMcpServer } from '../fixtures/auth-mcp-server.ts';
import { startOAuthServer } from '../fixtures/oauth-server.ts';
import type { OAuthServer } from '../fixtures/oauth-server.ts';
import { createRecorder, expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const REDIRECT = 'http://127.0.0.1:1/callback';

/** An in-memory OAuth client, like a desktop app's token store. */
class MemoryOAuthClient implements OAuthClientProvider {
  information?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'stateless-mcp test', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The user's browser: follows the authorization redirects (with cookies) until the redirect URI. */
async function authorizeInBrowser(url: URL): Promise<string> {
  const cookies = new Map<string, string>();
  let next = url.href;
  for (let hop = 0; hop < 10; hop++) {
    if (next.startsWith(REDIRECT)) {
      const code = new URL(next).searchParams.get('code');
      if (!code) throw new Error(`authorization failed: ${next}`);
      return code;
    }
    const response = await fetch(next, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      cookies.set(name.trim(), value);
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`authorization stopped at ${response.status}: ${await response.text()}`);
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects');
}

let as: OAuthServer;
let served: Served;

beforeAll(async () => {
  as = await startOAuthServer();
  served = await serveApp((options) =>
    createMcpApp(createAuthMcpServer(), {
      ...options,
      auth: createBearerAuth({
        verify: jwtVerifier({ jwksUrl: as.jwksUrl, issuer: as.issuer }),
        authorizationServers: [as.issuer],
        scopesSupported: ['mcp', 'admin:write'],
        requiredScopes: ['mcp'],
      }),
    }),
  );
});
afterAll(async () => {
  await served.close();
  await as.close();
});

describe('OAuth 2.1 flow with the official SDK client', () => {
  it('goes from a 401 challenge to authorized calls, with a token issued for this server', async () => {
    const oauth = new MemoryOAuthClient();
    const recorder = createRecorder();
    const url = new URL(served.url);
    // The SDK fetches OAuth documents through the same function: only MCP exchanges are schema-checked.
    const fetchFn = (input: string | URL, init?: RequestInit) => (String(input) === served.url ? recorder.fetch(input, init) : fetch(input, init));

    const first = new StreamableHTTPClientTransport(url, { authProvider: oauth, fetch: fetchFn });
    await expect(new Client({ name: 'desktop', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(oauth.information?.client_id).toBeTruthy();
    const authorizationUrl = oauth.authorizationUrl!;
    expect(authorizationUrl.origin).toBe(as.issuer);
    expect(authorizationUrl.searchParams.get('resource')).toBe(served.url);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');

    await first.finishAuth(await authorizeInBrowser(authorizationUrl));
    const claims = decodeJwt(oauth.saved!.access_token);
    expect(claims.aud).toBe(served.url);
    expect(claims.iss).toBe(as.issuer);

    const client = new Client({ name: 'desktop', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(url, { authProvider: oauth, fetch: fetchFn });
    await client.connect(transport);
    const whoami = await client.callTool({ name: 'whoami', arguments: {} });
    // The client asked for what the 401 challenge named, and got no more.
    expect((whoami.content as { text: string }[])[0]!.text).toBe('alice [mcp]');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('admin_reset');

    // Step-up: the 403 insufficient_scope challenge sends the client back for a wider token.
    oauth.authorizationUrl = undefined;
    // Dynamic registration pinned the client to the scopes it first asked for, and this server
    // will not widen a registration: the client registers again for the wider scope.
    oauth.information = undefined;
    await expect(client.callTool({ name: 'admin_reset', arguments: {} })).rejects.toThrow();
    const stepUp = oauth.authorizationUrl as URL | undefined;
    expect(stepUp?.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['mcp', 'admin:write']));
    await transport.finishAuth(await authorizeInBrowser(stepUp!));
    expect(decodeJwt(oauth.saved!.access_token).scope).toBe('mcp admin:write');
    const reset = await client.callTool({ name: 'admin_reset', arguments: {} });
    expect((reset.content as { text: string }[])[0]!.text).toBe('reset done');
    await client.close();
    await expectAllValid(recorder, { atLeast: 3 });
  });
});
