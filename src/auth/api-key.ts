// Static API keys as bearer tokens. Keys are looked up by their SHA-256 digest, so the lookup
// takes the same path whatever the key, and no key is held in a comparable form in memory maps.
import type { Principal } from '../protocol/principal.ts';
import { refuse } from './verifier.ts';
import type { TokenVerifier } from './verifier.ts';

async function digest(value: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `keys`: API key → who it belongs to and what it may do. */
export function apiKeyVerifier(keys: Record<string, Omit<Principal, 'claims'>>): TokenVerifier {
  const entries = Object.entries(keys);
  if (entries.some(([key]) => key.length < 16)) throw new TypeError('apiKeyVerifier: every API key must be at least 16 characters (e.g. `openssl rand -hex 24`).');
  const table = Promise.all(entries.map(async ([key, principal]) => [await digest(key), principal] as const)).then((pairs) => new Map(pairs));
  return async (token) => {
    const principal = (await table).get(await digest(token));
    return principal ? { ok: true, principal: { ...principal } } : refuse('Unknown API key.');
  };
}
