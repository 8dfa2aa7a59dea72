import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataUrls,
  parseWwwAuthenticate,
  pkceChallenge,
  protectedResourceMetadataUrls,
  resourceMatches,
  unionScopes,
} from './oauth-discovery.ts';

describe('parseWwwAuthenticate', () => {
  it('reads quoted and bare Bearer parameters', () => {
    expect(parseWwwAuthenticate('Bearer error="insufficient_scope", scope="a b", resource_metadata="https://x/.well-known/oauth-protected-resource/mcp"')).toEqual({
      error: 'insufficient_scope',
      scope: 'a b',
      resourceMetadata: 'https://x/.well-known/oauth-protected-resource/mcp',
    });
    expect(parseWwwAuthenticate('bearer error=invalid_token')).toEqual({ error: 'invalid_token' });
  });
  it('unescapes quoted-pairs and ignores other schemes', () => {
    expect(parseWwwAuthenticate('Basic realm="x", Bearer scope="say \\"hi\\""')).toEqual({ scope: 'say "hi"' });
    expect(parseWwwAuthenticate('Basic realm="x"')).toBeUndefined();
    expect(parseWwwAuthenticate(null)).toBeUndefined();
  });
});

describe('metadata URLs', () => {
  it('tries the header URL, then path-inserted, then root PRM', () => {
    const urls = protectedResourceMetadataUrls(new URL('https://s.example/api/mcp'), 'https://s.example/prm');
    expect(urls.map(String)).toEqual([
      'https://s.example/prm',
      'https://s.example/.well-known/oauth-protected-resource/api/mcp',
      'https://s.example/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataUrls(new URL('https://s.example/')).map(String)).toEqual(['https://s.example/.well-known/oauth-protected-resource']);
  });
  it('tries RFC 8414 then both OIDC forms for an issuer with a path', () => {
    expect(authorizationServerMetadataUrls('https://as.example/tenant').map(String)).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/tenant',
      'https://as.example/.well-known/openid-configuration/tenant',
      'https://as.example/tenant/.well-known/openid-configuration',
    ]);
    expect(authorizationServerMetadataUrls('https://as.example').map(String)).toEqual([
      'https://as.example/.well-known/oauth-authorization-server',
      'https://as.example/.well-known/openid-configuration',
    ]);
  });
  it('matches the PRM resource by origin and path prefix', () => {
    const server = new URL('https://s.example/api/mcp');
    expect(resourceMatches('https://s.example/api/mcp', server)).toBe(true);
    expect(resourceMatches('https://s.example', server)).toBe(true);
    expect(resourceMatches('https://s.example/ap', server)).toBe(false);
    expect(resourceMatches('https://evil.example/api/mcp', server)).toBe(false);
  });
});

describe('PKCE and scopes', () => {
  it('computes the RFC 7636 appendix B S256 challenge', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  it('unions scopes in order without duplicates', () => {
    expect(unionScopes('a b', 'b c', undefined)).toBe('a b c');
    expect(unionScopes(undefined, '')).toBeUndefined();
  });
});
