// The bearer gate with JWT verification against a real JWKS endpoint on loopback: every way a
// token can be wrong gets the precise challenge, and no token ever comes back in a response.
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBearerAuth, jwtVerifier } from '../../src/auth/index.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createAuthMcpServer } from '../fixtures/auth-mcp-server.ts';
import { post, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const ISSUER = 'http://127.0.0.1/issuer';
let signingKey: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;
let publicPem: string;
let jwksServer: Server;
let jwksUrl: string;
let served: Served;
const issued: string[] = [];

async function token(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; kid?: string; exp?: string | number; nbf?: number } = {}) {
  const jwt = await new SignJWT({ scope: 'mcp', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(String(claims.iss ?? ISSUER))
    .setSubject(String(claims.sub ?? 'user-1'))
    .setAudience(String(claims.aud ?? served.url))
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m');
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  const signed = await jwt.sign(options.key ?? signingKey);
  issued.push(signed);
  return signed;
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  publicPem = await exportSPKI(pair.publicKey);
  jwksServer = createHttpServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [publicJwk] })));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
  served = await serveApp((options) =>
    createMcpApp(createAuthMcpServer(), {
      ...options,
      auth: createBearerAuth({
        verify: jwtVerifier({ jwksUrl, issuer: ISSUER }),
        authorizationServers: [ISSUER],
        scopesSupported: ['mcp', 'admin:write', 'secrets:read', 'offline_access'],
        requiredScopes: ['mcp'],
      }),
    }),
  );
});
afterAll(async () => {
  await served.close();
  jwksServer.close();
});

function challengeOf(response: Response): string {
  return response.headers.get('www-authenticate') ?? '';
}

describe('bearer gate with JWT access tokens', () => {
  it('answers 401 with resource_metadata and the required scope when no token is sent', async () => {
    const response = await post(served.url, 'tools/list');
    expect(response.status).toBe(401);
    const port = new URL(served.url).port;
    expect(challengeOf(response)).toBe(`Bearer resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp", scope="mcp"`);
  });

  it('serves a valid token and hands the principal to the handler', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'whoami', arguments: {} }, headers: bearer(await token()) });
    expect(response.status).toBe(200);
    expect((await response.json()).result.content[0].text).toBe('user-1 [mcp]');
  });

  it.each([
    ['issued for another resource', () => token({ aud: 'https://other.example.com/mcp' }), /audience/],
    ['from an untrusted issuer', () => token({ iss: 'https://evil.example.com' }), /issuer/],
    ['expired', () => token({}, { exp: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['not valid yet', () => token({}, { nbf: Math.floor(Date.now() / 1000) + 600 }), /not valid yet/],
    ['signed by an unknown key', () => token({}, { key: otherKey, kid: 'k-unknown' }), /unknown kid/],
    ['signed by another key under a known kid', () => token({}, { key: otherKey }), /signature/],
    ['unsigned (alg none)', async () => unsigned({ alg: 'none' }), /malformed|algorithm/],
    ['HS256 with the RSA public key as the secret (alg confusion)', async () => hmacWithPublicKey(), /algorithm/],
    ['not a JWT at all', async () => 'abc.def.ghi', /malformed/],
  ])('answers 401 invalid_token for a token %s', async (_row, make, message) => {
    const response = await post(served.url, 'tools/list', { headers: bearer(await make()) });
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toContain('error="invalid_token"');
    expect((await response.json()).error.message).toMatch(message);
  });

  it('refuses a token in the query string with 400 invalid_request', async () => {
    const response = await post(`${served.url}?access_token=${await token()}`, 'tools/list');
    expect(response.status).toBe(400);
    expect(challengeOf(response)).toContain('error="invalid_request"');
  });

  it('refuses an Authorization header that is not Bearer', async () => {
    const response = await post(served.url, 'tools/list', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.status).toBe(400);
  });

  it('answers 403 insufficient_scope naming every scope the tool needs', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'admin_reset', arguments: {} }, headers: bearer(await token()) });
    expect(response.status).toBe(403);
    expect(challengeOf(response)).toContain('error="insufficient_scope"');
    expect(challengeOf(response)).toContain('scope="mcp admin:write"');
  });

  it('lets a parent scope cover its children (admin covers admin:write)', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'admin_reset', arguments: {} }, headers: bearer(await token({ scope: 'mcp admin' })) });
    expect((await response.json()).result.content[0].text).toBe('reset done');
  });

  it('lists only what the caller may use, marked private', async () => {
    const basic = await (await post(served.url, 'tools/list', { headers: bearer(await token()) })).json();
    expect(basic.result.tools.map((t: { name: string }) => t.name)).toEqual(['whoami', 'confirm']);
    expect(basic.result.cacheScope).toBe('private');
    const admin = await (await post(served.url, 'tools/list', { headers: bearer(await token({ scope: 'mcp admin:write' })) })).json();
    expect(admin.result.tools.map((t: { name: string }) => t.name)).toEqual(['whoami', 'admin_reset', 'confirm']);
    const resources = await (await post(served.url, 'resources/list', { headers: bearer(await token()) })).json();
    expect(resources.result.resources.map((r: { uri: string }) => r.uri)).toEqual(['app://open']);
  });

  it('binds MRTR requestState to the caller: another subject cannot resume it', async () => {
    const caps = { elicitation: {} };
    const first = await (await post(served.url, 'tools/call', { params: { name: 'confirm', arguments: {} }, capabilities: caps, headers: bearer(await token()) })).json();
    const retry = { name: 'confirm', arguments: {}, requestState: first.result.requestState, inputResponses: { ok: { action: 'accept', content: { ok: true } } } };
    const stolen = await (await post(served.url, 'tools/call', { params: retry, capabilities: caps, headers: bearer(await token({ sub: 'user-2' })) })).json();
    expect(stolen.error.code).toBe(-32602);
    const own = await (await post(served.url, 'tools/call', { params: retry, capabilities: caps, headers: bearer(await token()) })).json();
    expect(own.result.content[0].text).toBe('confirmed by user-1: accept');
  });

  it('serves protected resource metadata at the path-inserted and root well-known URIs', async () => {
    const origin = new URL(served.url).origin;
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toEqual({
        resource: served.url,
        authorization_servers: [ISSUER],
        bearer_methods_supported: ['header'],
        scopes_supported: ['mcp', 'admin:write', 'secrets:read'],
      });
    }
  });

  it('answers 503 with Retry-After, not 401, when the JWKS endpoint is down, and tells onError why once', async () => {
    const reported: unknown[] = [];
    const down = await serveApp((options) =>
      createMcpApp(createAuthMcpServer(), {
        ...options,
        auth: createBearerAuth({
          verify: jwtVerifier({ jwksUrl: 'http://127.0.0.1:9/jwks', issuer: ISSUER, jwksTimeoutMs: 500 }),
          authorizationServers: [ISSUER],
          onError: (error) => reported.push(error),
        }),
      }),
    );
    try {
      const response = await post(down.url, 'tools/list', { headers: bearer(await token({ aud: down.url })) });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await response.json()).error.message).toContain('JWKS');
      expect((await post(down.url, 'tools/list', { headers: bearer(await token({ aud: down.url })) })).status).toBe(503);
      // The operator learns the cause the client is not told, once for the outage rather than per request.
      expect(reported).toHaveLength(1);
      expect(reported[0]).toBeInstanceOf(Error);
    } finally {
      await down.close();
    }
  });

  it('never echoes a token in any response, header or body', async () => {
    await wire.settled();
    for (const exchange of wire.exchanges) {
      const text = JSON.stringify(exchange.messages.map((m) => m.message)) + [...(exchange.responseHeaders?.values() ?? [])].join(' ');
      for (const value of issued) expect(text.includes(value)).toBe(false);
    }
    expect(issued.length).toBeGreaterThan(10);
  });
});

function base64url(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function claimsSegment(): string {
  const now = Math.floor(Date.now() / 1000);
  return base64url(JSON.stringify({ iss: ISSUER, sub: 'user-1', aud: served.url, scope: 'mcp', iat: now, exp: now + 300 }));
}

function unsigned(header: Record<string, unknown>): string {
  return `${base64url(JSON.stringify(header))}.${claimsSegment()}.`;
}

async function hmacWithPublicKey(): Promise<string> {
  const input = `${base64url(JSON.stringify({ alg: 'HS256', kid: 'k1' }))}.${claimsSegment()}`;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(publicPem), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)));
  return `${input}.${base64url(signature)}`;
}

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));
