// The requestState key ring: configured keys (parsed and checked at configuration time, derived
// with HKDF on first use) or one random key per process. The first key seals, every key opens.
import { toBase64Url } from './base64url.ts';

export interface RequestStateKey {
  /** Short label written in clear into every token so `open` can pick the key: `[A-Za-z0-9_-]{1,64}`. */
  id: string;
  /**
   * At least 32 random bytes, or a string: base64/base64url text is decoded and must hold 32 bytes
   * (`openssl rand -base64 32`); any other string is used as UTF-8 and must be 32 bytes long.
   */
  secret: string | Uint8Array;
}

export interface RingKey {
  id: string;
  /** AES-GCM additional data: version and key id, so neither can be swapped without detection. */
  aad: Uint8Array<ArrayBuffer>;
  key(): Promise<CryptoKey>;
}

/** Written in clear at the front of every token, and part of each key's AES-GCM additional data. */
export const TOKEN_VERSION = 'v1';
export const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const HKDF_INFO = 'stateless-mcp requestState v1';
const MIN_SECRET_BYTES = 32;
const GENERATE_HINT = 'Generate one with `openssl rand -base64 32`.';
const encoder = new TextEncoder();

/**
 * Parses a key ring from configuration such as `REQUEST_STATE_KEYS="k2:NEWSECRET,k1:OLDSECRET"`:
 * comma-separated `id:secret` pairs, the first of which seals. Whitespace around entries is ignored.
 *
 * @throws TypeError naming the offending entry by position (never echoing a secret).
 */
export function parseRequestStateKeys(env: string): RequestStateKey[] {
  if (typeof env !== 'string' || env.trim() === '') {
    throw new TypeError(
      `requestState keys: the configuration is empty; expected "id:secret[,id:secret...]". ${GENERATE_HINT}`,
    );
  }
  const keys = env.split(',').map((raw, index): RequestStateKey => {
    const entry = raw.trim();
    const colon = entry.indexOf(':');
    if (colon === -1) {
      throw new TypeError(`requestState keys: entry ${index + 1} is not of the form "id:secret"`);
    }
    const id = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (secret === '') throw new TypeError(`requestState keys: entry ${index + 1} ("${id}") has an empty secret`);
    return { id, secret };
  });
  buildRing(keys); // Fail on bad ids, duplicates and weak secrets now, at configuration time.
  return keys;
}

export function buildRing(keys: readonly RequestStateKey[]): Map<string, RingKey> {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TypeError(
      'requestState keys must hold at least one key. Omit `keys` for a random per-process key ' +
        '(single instance only: multi-instance deployments must share keys).',
    );
  }
  const ring = new Map<string, RingKey>();
  for (const { id, secret } of keys) {
    if (typeof id !== 'string' || !KEY_ID.test(id)) {
      throw new TypeError('requestState key id must be 1-64 characters of A-Z a-z 0-9 _ -');
    }
    if (ring.has(id)) throw new TypeError(`requestState key id "${id}" appears twice; key ids must be unique`);
    ring.set(id, derivedKey(id, secretBytes(id, secret)));
  }
  return ring;
}

function derivedKey(id: string, secret: Uint8Array<ArrayBuffer>): RingKey {
  let cached: Promise<CryptoKey> | undefined;
  return {
    id,
    aad: encoder.encode(`${TOKEN_VERSION}.${id}`),
    key() {
      cached ??= deriveAesKey(secret).catch((error: unknown) => {
        cached = undefined; // Let a later request retry instead of failing forever.
        throw error;
      });
      return cached;
    },
  };
}

// HKDF turns any high-entropy secret into a uniform AES key and keeps these keys apart from any
// other use the operator makes of the same secret.
async function deriveAesKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(HKDF_INFO) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

function secretBytes(id: string, secret: string | Uint8Array): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>;
  if (secret instanceof Uint8Array) bytes = new Uint8Array(secret); // Copy: the caller may reuse its buffer.
  else if (typeof secret === 'string') bytes = decodeSecretString(secret);
  else throw new TypeError(`requestState key "${id}": secret must be a string or a Uint8Array. ${GENERATE_HINT}`);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new TypeError(
      `requestState key "${id}": secret holds ${bytes.length} bytes, at least ${MIN_SECRET_BYTES} random bytes are required. ${GENERATE_HINT}`,
    );
  }
  return bytes;
}

// Count what `openssl rand -base64 32` (or -hex) actually carries rather than its text length, so a
// short secret cannot pass on the strength of its encoding.
function decodeSecretString(secret: string): Uint8Array<ArrayBuffer> {
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret)) {
    try {
      const binary = atob(secret.replace(/-/g, '+').replace(/_/g, '/'));
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return bytes;
    } catch {
      // Not valid base64 after all (e.g. impossible length): treat it as a passphrase.
    }
  }
  return encoder.encode(secret);
}

let ephemeral: { entry: RingKey; ring: Map<string, RingKey> } | undefined;

function ephemeralState(): { entry: RingKey; ring: Map<string, RingKey> } {
  if (ephemeral === undefined) {
    // A random id makes a token from another instance fail as `unknown-key`, which names the real
    // problem (keys not shared), instead of `tampered`.
    const id = `eph-${toBase64Url(crypto.getRandomValues(new Uint8Array(6)))}`;
    let cached: Promise<CryptoKey> | undefined;
    const entry: RingKey = {
      id,
      aad: encoder.encode(`${TOKEN_VERSION}.${id}`),
      key: () => (cached ??= crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])),
    };
    ephemeral = { entry, ring: new Map([[id, entry]]) };
  }
  return ephemeral;
}

export const ephemeralKey = (): RingKey => ephemeralState().entry;
export const ephemeralRing = (): Map<string, RingKey> => ephemeralState().ring;

export function first(ring: Map<string, RingKey>): RingKey {
  return ring.values().next().value as RingKey;
}
