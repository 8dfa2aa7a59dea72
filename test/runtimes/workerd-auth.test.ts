// Authorization runs unchanged in workerd (no nodejs_compat): jose verifies with WebCrypto, and
// the challenges, scope checks and metadata are the same as on Node.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest } from '../support/raw-client.ts';
import type { Running } from '../support/processes.ts';
import { wranglerDev } from './wrangler.ts';

const ISSUER = 'https://as.example.com';
let key: CryptoKey;
let url: string;
let worker: Running;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'w1', alg: 'ES256' }] });
  ({ url, worker } = await wranglerDev('test/fixtures/wrangler.auth.toml', (port) => `127.0.0.1:${port}`, { ISSUER, JWKS: jwks }));
});
afterAll(() => worker?.stop());

async function call(method: string, params: Record<string, unknown>, scope?: string) {
  const { headers, body } = modernRequest(method, { params });
  if (scope !== undefined) {
    const token = await new SignJWT({ scope }).setProtectedHeader({ alg: 'ES256', kid: 'w1' }).setIssuer(ISSUER).setSubject('worker-user').setAudience(url).setExpirationTime('5m').sign(key);
    headers.authorization = `Bearer ${token}`;
  }
  return fetch(url, { method: 'POST', headers, body });
}

describe('authorization in workerd', () => {
  it('challenges a request without a token', async () => {
    const response = await call('tools/list', {});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('verifies an ES256 token and passes the principal to the tool', async () => {
    const response = await call('tools/call', { name: 'whoami', arguments: {} }, 'mcp');
    expect(((await response.json()) as { result: { content: { text: string }[] } }).result.content[0]!.text).toBe('worker-user [mcp]');
  });

  it('answers 403 insufficient_scope for a tool that needs more', async () => {
    const response = await call('tools/call', { name: 'admin_reset', arguments: {} }, 'mcp');
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('serves the protected resource metadata', async () => {
    const response = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', url));
    expect(((await response.json()) as { resource: string }).resource).toBe(url);
  });
});
