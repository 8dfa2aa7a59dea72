// What every token verifier returns: a principal, a reason the token is refused (401), or a
// reason no decision can be made right now (503), so a dead JWKS endpoint is not "bad token".
import type { Principal } from '../protocol/principal.ts';

export type TokenVerdict =
  | { ok: true; principal: Principal }
  | { ok: false; kind: 'invalid'; description: string }
  | { ok: false; kind: 'unavailable'; description: string; cause?: unknown };

export interface VerifyContext {
  /** The canonical URI of this MCP server: the audience tokens must be issued for (RFC 8707). */
  resource: string;
}

export type TokenVerifier = (token: string, context: VerifyContext) => Promise<TokenVerdict>;

export const refuse = (description: string): TokenVerdict => ({ ok: false, kind: 'invalid', description });

/** Scopes from an OAuth `scope` string or an `scp` array claim. */
export function scopesFrom(claims: Record<string, unknown>): string[] {
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter(Boolean);
  if (Array.isArray(claims.scp)) return claims.scp.filter((s): s is string => typeof s === 'string');
  return [];
}
