// The non-JWT verifiers: RFC 7662 introspection against a real HTTP endpoint on loopback, and API keys.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyVerifier, introspectionVerifier } from '../../src/auth/index.ts';

const RESOURCE = 'https://mcp.example.com/mcp';
let endpoint: string;
let server: Server;
let calls = 0;
let up = true;
const seen: { authorization?: string; body: string }[] = [];

const TOKENS: Record<string, unknown> = {
  good: { active: true, sub: 'svc-1', scope: 'mcp read', aud: RESOURCE, iss: 'https://as.example.com', exp: Math.floor(Date.now() / 1000) + 600 },
  other: { active: true, sub: 'svc-2', aud: 'https://elsewhere.example.com', exp: Math.floor(Date.now() / 1000) + 600 },
  revoked: { active: false },
  // Broken authorization servers: RFC 7662 answers are JSON objects.
  'null-answer': null,
  'array-answer': [{ active: true }],
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      calls++;
      seen.push({ authorization: req.headers.authorization, body });
      if (!up) return res.writeHead(500).end();
      const token = new URLSearchParams(body).get('token') ?? '';
      res.setHeader('content-type', 'application/json').end(JSON.stringify(Object.hasOwn(TOKENS, token) ? TOKENS[token] : { active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
});
afterAll(() => server.close());

describe('introspectionVerifier', () => {
  const make = () => introspectionVerifier({ endpoint, clientId: 'rs', clientSecret: 'rs-secret', issuer: 'https://as.example.com' });

  it('accepts an active token for this resource, authenticating as the resource server', async () => {
    const verdict = await make()('good', { resource: RESOURCE });
    expect(verdict).toMatchObject({ ok: true, principal: { subject: 'svc-1', scopes: ['mcp', 'read'] } });
    expect(seen.at(-1)?.authorization).toBe(`Basic ${btoa('rs:rs-secret')}`);
    expect(seen.at(-1)?.body).toContain('token_type_hint=access_token');
  });

  it.each([
    ['revoked', /not active/],
    ['other', /audience/],
  ])('refuses a %s token', async (token, message) => {
    const verdict = await make()(token, { resource: RESOURCE });
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.description).toMatch(message);
  });

  it('asks the authorization server once per token while the answer is fresh', async () => {
    const verify = make();
    const before = calls;
    await verify('good', { resource: RESOURCE });
    await verify('good', { resource: RESOURCE });
    expect(calls - before).toBe(1);
  });

  it.each(['null-answer', 'array-answer'])('reports unavailable when the authorization server answers %s instead of an object', async (token) => {
    const verdict = await make()(token, { resource: RESOURCE });
    expect(verdict).toMatchObject({ ok: false, kind: 'unavailable', cause: new Error('introspection answered with something other than a JSON object') });
  });

  it('reports unavailable, not invalid, when introspection fails', async () => {
    up = false;
    try {
      expect(await make()('good', { resource: RESOURCE })).toMatchObject({ ok: false, kind: 'unavailable', cause: new Error('introspection answered 500') });
    } finally {
      up = true;
    }
  });
});

describe('apiKeyVerifier', () => {
  const verify = apiKeyVerifier({ 'key-0123456789abcdef': { subject: 'ci-bot', scopes: ['mcp'] } });

  it('maps a known key to its principal', async () => {
    expect(await verify('key-0123456789abcdef', { resource: RESOURCE })).toEqual({ ok: true, principal: { subject: 'ci-bot', scopes: ['mcp'] } });
  });

  it('refuses an unknown key', async () => {
    expect(await verify('key-0123456789abcdeX', { resource: RESOURCE })).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('refuses short keys at configuration time', () => {
    expect(() => apiKeyVerifier({ short: { subject: 'x' } })).toThrow(/at least 16/);
  });
});
