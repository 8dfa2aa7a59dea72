// Opaque access tokens checked with the authorization server (RFC 7662 token introspection),
// cached per token digest until the token's expiry or `cacheMs`, whichever comes first.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import { refuse, scopesFrom } from './verifier.ts';
import type { TokenVerdict, TokenVerifier } from './verifier.ts';

export interface IntrospectionOptions {
  endpoint: string | URL;
  /** This server's credentials at the authorization server (HTTP Basic). */
  clientId: string;
  clientSecret: string;
  /** Expected `iss`, when the introspection response carries one. */
  issuer?: string;
  cacheMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

async function digest(token: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return btoa(String.fromCharCode(...bytes));
}

export function introspectionVerifier(options: IntrospectionOptions): TokenVerifier {
  const cache = new Map<string, { verdict: TokenVerdict; until: number }>();
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const basic = `Basic ${btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`)}`;

  return async (token, context) => {
    const key = await digest(token);
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.verdict;
    let body: Record<string, unknown>;
    try {
      const response = await doFetch(options.endpoint, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (!response.ok) throw new Error(`introspection answered ${response.status}`);
      const answer: unknown = await response.json();
      // RFC 7662 §2.2: the answer is a JSON object; anything else is a broken server, not a verdict on the token.
      if (!isJsonObject(answer)) throw new Error('introspection answered with something other than a JSON object');
      body = answer;
    } catch (cause) {
      return { ok: false, kind: 'unavailable', description: 'The authorization server cannot check tokens right now (introspection failed); retry shortly.', cause };
    }
    const verdict = judge(body, context.resource, options.issuer);
    const exp = typeof body.exp === 'number' ? body.exp * 1000 : Infinity;
    cache.set(key, { verdict, until: Math.min(exp, now() + (options.cacheMs ?? 60_000)) });
    return verdict;
  };
}

function judge(body: Record<string, unknown>, resource: string, issuer: string | undefined): TokenVerdict {
  if (body.active !== true) return refuse('The access token is not active (revoked, expired or unknown); get a new one.');
  const audience = Array.isArray(body.aud) ? body.aud : typeof body.aud === 'string' ? [body.aud] : [];
  if (!audience.includes(resource)) return refuse('The access token was not issued for this server (audience mismatch); request it with this server as the resource.');
  if (issuer && body.iss !== issuer) return refuse('The access token comes from an issuer this server does not trust.');
  const subject = typeof body.sub === 'string' ? body.sub : typeof body.client_id === 'string' ? body.client_id : undefined;
  if (!subject) return refuse('The access token names no subject.');
  return { ok: true, principal: { subject, scopes: scopesFrom(body), claims: body } };
}
