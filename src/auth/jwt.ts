// JWT access tokens verified with jose against a JWKS (cached, refetched on an unknown `kid` so
// key rotation needs no restart): signature, algorithm allow-list, issuer, audience = this
// server's resource URI (RFC 8707), expiry and not-before with a clock tolerance.
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { refuse, scopesFrom } from './verifier.ts';
import type { TokenVerifier } from './verifier.ts';

export interface JwtVerifierOptions {
  /** Where the authorization server publishes its keys; or pass `jwks` inline. */
  jwksUrl?: string | URL;
  jwks?: JSONWebKeySet;
  /** Expected `iss`. */
  issuer: string | string[];
  /** Expected `aud`; defaults to this server's canonical resource URI. */
  audience?: string | string[];
  /** Asymmetric algorithms only by default: a shared-secret HS* token can never pass. */
  algorithms?: string[];
  /** Accepted clock skew, in seconds. Default 30. */
  clockToleranceSec?: number;
  /** JWKS fetch time limit and cache lifetime, in ms. Defaults 5000 and 600000. */
  jwksTimeoutMs?: number;
  jwksCacheMs?: number;
  /** Injected clock for tests (seconds since the epoch). */
  now?: () => number;
}

const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function describe(error: unknown): { kind: 'invalid' | 'unavailable'; description: string } {
  if (error instanceof errors.JWTExpired) return { kind: 'invalid', description: 'The access token has expired; get a new one.' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === 'aud') return { kind: 'invalid', description: 'The access token was not issued for this server (audience mismatch); request it with this server as the resource.' };
    if (claim === 'iss') return { kind: 'invalid', description: 'The access token comes from an issuer this server does not trust.' };
    if (claim === 'nbf') return { kind: 'invalid', description: 'The access token is not valid yet (nbf is in the future); check the clocks.' };
    return { kind: 'invalid', description: `The access token's "${claim}" claim is not acceptable.` };
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return { kind: 'invalid', description: 'The access token is signed with an algorithm this server does not accept.' };
  if (error instanceof errors.JWKSNoMatchingKey) return { kind: 'invalid', description: 'No key of the authorization server matches the access token (unknown kid).' };
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof TypeError) {
    return { kind: 'unavailable', description: "The authorization server's signing keys (JWKS) cannot be fetched right now; retry shortly." };
  }
  if (error instanceof errors.JOSEError) return { kind: 'invalid', description: 'The access token is malformed or its signature does not verify.' };
  return { kind: 'unavailable', description: 'The access token could not be checked right now; retry shortly.' };
}

export function jwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  if (!options.jwksUrl === !options.jwks) throw new TypeError('jwtVerifier needs exactly one of jwksUrl (the authorization server\'s jwks_uri) or jwks (an inline key set).');
  if (!options.issuer) throw new TypeError('jwtVerifier needs issuer: the "iss" your authorization server puts in its tokens.');
  const keys = options.jwks
    ? createLocalJWKSet(options.jwks)
    : createRemoteJWKSet(new URL(options.jwksUrl!), { timeoutDuration: options.jwksTimeoutMs ?? 5000, cacheMaxAge: options.jwksCacheMs ?? 600_000 });
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  const hmac = algorithms.filter((alg) => alg.startsWith('HS'));
  if (hmac.length > 0) throw new TypeError(`jwtVerifier: ${hmac.join(', ')} would let anyone holding the shared secret mint tokens, and invites HS/RS confusion; use asymmetric algorithms.`);

  return async (token, context) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience ?? context.resource,
        algorithms,
        clockTolerance: options.clockToleranceSec ?? 30,
        currentDate: options.now ? new Date(options.now() * 1000) : undefined,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      const verdict = describe(error);
      return verdict.kind === 'invalid' ? refuse(verdict.description) : { ok: false, kind: 'unavailable', description: verdict.description, cause: error };
    }
    const subject = typeof payload.sub === 'string' ? payload.sub : typeof payload.client_id === 'string' ? payload.client_id : undefined;
    if (!subject) return refuse('The access token names no subject (sub or client_id).');
    return { ok: true, principal: { subject, scopes: scopesFrom(payload), claims: payload } };
  };
}
