// Seals and opens the MRTR `requestState` token: AES-256-GCM over the answers gathered so far, bound
// to the originating request and principal, with a short TTL. Web Crypto only, so it runs on any edge runtime.

import { canonicalJson } from './canonical-json.ts';

export interface RequestStateKey {
  /** Short label written in clear into every token so `open` can pick the key: `[A-Za-z0-9_-]{1,64}`. */
  id: string;
  /**
   * At least 32 random bytes, or a string: base64/base64url text is decoded and must hold 32 bytes
   * (`openssl rand -base64 32`); any other string is used as UTF-8 and must be 32 bytes long.
   */
  secret: string | Uint8Array;
}

export interface RequestStateOptions {
  /**
   * The first key seals; every key opens, so a rotation is `[new, old]` until old tokens have expired.
   * Default: one random key per process/isolate. That only works for a single instance: behind a
   * load balancer a retry may land elsewhere and fail with `unknown-key`, so multi-instance
   * deployments must configure the same keys everywhere (see `parseRequestStateKeys`).
   */
  keys?: RequestStateKey[];
  /** How long a token stays valid, in ms. Default 10 minutes. */
  ttlMs?: number;
  /** Clock in ms since the epoch; injectable for tests. */
  now?: () => number;
}

/**
 * What the token is bound to. Pass the params of the call as the client first sent them, without
 * `inputResponses` and `requestState`: `name` is the tool or prompt name, or the URI for
 * `resources/read`; `args` the arguments (omit them when the request has none).
 */
export interface RequestStateBinding {
  method: string;
  name: string;
  args: unknown;
  principal?: string;
}

/** Anything JSON-serialisable the server wants back on the next round. */
export interface SealedPayload {
  answers: Record<string, unknown>;
  data?: unknown;
}

export type OpenFailureReason = 'malformed' | 'unknown-key' | 'tampered' | 'expired' | 'wrong-request';

export type OpenResult =
  | {
      ok: true;
      payload: SealedPayload;
      /**
       * Unique per seal. `open` does not remember it: the spec requires single use to be enforced
       * server-side, so the caller must claim it (e.g. `store.claim(id, expiresAt)`) and refuse reuse.
       */
      id: string;
      /** ms since the epoch; keep the single-use record at least this long. */
      expiresAt: number;
    }
  | { ok: false; reason: OpenFailureReason; message: string };

export interface RequestStateSealer {
  /** @throws TypeError when `payload` or `binding.args` cannot be serialised as JSON. */
  seal(payload: SealedPayload, binding: RequestStateBinding): Promise<string>;
  /** Never throws for a bad token: every rejection is an `ok: false` result the caller can relay. */
  open(token: string, binding: RequestStateBinding): Promise<OpenResult>;
}

const VERSION = 'v1';
const PLAINTEXT_VERSION = 1;
const HKDF_INFO = 'stateless-mcp requestState v1';
const BINDING_TAG = 'stateless-mcp requestState binding v1';
const DEFAULT_TTL_MS = 10 * 60 * 1000;
const MIN_SECRET_BYTES = 32;
const IV_BYTES = 12;
const IV_CHARS = 16; // 12 bytes encode to exactly 16 base64url characters.
const TAG_BYTES = 16;
const MIN_CIPHERTEXT_CHARS = Math.ceil(((TAG_BYTES + 1) * 4) / 3);
const JTI_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const GENERATE_HINT = 'Generate one with `openssl rand -base64 32`.';

// Every failure tells the client the one thing it can do; none says which check ran beyond the
// reason code, nor anything about keys.
const RESTART = 'Start the call again without requestState and inputResponses.';
const MESSAGES: Record<OpenFailureReason, string> = {
  malformed: `requestState is not a token issued by this server. ${RESTART}`,
  'unknown-key': `requestState was sealed with a key this server does not hold (another deployment, or a rotated-out key). ${RESTART}`,
  tampered: `requestState failed its integrity check. ${RESTART}`,
  expired: `requestState has expired. ${RESTART}`,
  'wrong-request':
    'requestState was issued for a different request: retry with the original method, name and arguments, ' +
    'or start the call again without requestState and inputResponses.',
};

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

interface RingKey {
  id: string;
  /** AES-GCM additional data: version and key id, so neither can be swapped without detection. */
  aad: Uint8Array<ArrayBuffer>;
  key(): Promise<CryptoKey>;
}

export function createRequestStateSealer(options: RequestStateOptions = {}): RequestStateSealer {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new TypeError('requestState ttlMs must be a positive number of milliseconds');
  }
  const now = options.now ?? Date.now;
  const configured = options.keys === undefined ? undefined : buildRing(options.keys);

  // The default key is created on first use, not at import: Workers forbid randomness in global scope.
  const configuredSealingKey = configured === undefined ? undefined : first(configured);
  const ring = (): Map<string, RingKey> => configured ?? ephemeralRing();
  const sealingKey = (): RingKey => configuredSealingKey ?? ephemeralKey();

  async function seal(payload: SealedPayload, binding: RequestStateBinding): Promise<string> {
    const entry = sealingKey();
    const issuedAt = now();
    const plaintext = JSON.stringify({
      v: PLAINTEXT_VERSION,
      jti: toBase64Url(crypto.getRandomValues(new Uint8Array(JTI_BYTES))),
      iat: issuedAt,
      exp: issuedAt + ttlMs,
      b: await sha256(bindingText(binding)),
      p: payload,
    });
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const ciphertext = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: entry.aad },
      await entry.key(),
      encoder.encode(plaintext),
    );
    return `${VERSION}.${entry.id}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`;
  }

  async function open(token: string, binding: RequestStateBinding): Promise<OpenResult> {
    if (typeof token !== 'string') return fail('malformed');
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) return fail('malformed');
    const [, keyId, ivText, ciphertextText] = parts as [string, string, string, string];
    if (!KEY_ID.test(keyId)) return fail('malformed');

    const entry = ring().get(keyId);
    if (entry === undefined) return fail('unknown-key');

    if (ivText.length !== IV_CHARS || ciphertextText.length < MIN_CIPHERTEXT_CHARS) return fail('malformed');
    const iv = fromBase64Url(ivText);
    const ciphertext = fromBase64Url(ciphertextText);
    if (iv === 'malformed' || ciphertext === 'malformed') return fail('malformed');
    // Stray low bits in the last character decode to the same bytes; we never emit them, so they
    // can only come from editing a token we issued.
    if (iv === 'noncanonical' || ciphertext === 'noncanonical') return fail('tampered');

    // The binding is checked by digest inside the plaintext, not as AAD: GCM cannot tell a wrong
    // AAD from a forged ciphertext, and a client retrying with edited arguments deserves to be told so.
    // Hashing runs alongside the decryption; bindingText throws (to the caller) only for args JSON cannot hold.
    const expectedBinding = sha256(bindingText(binding));
    const key = await entry.key(); // Outside the try: a runtime crypto failure is not the client's doing.
    let plaintext: ArrayBuffer;
    try {
      plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: entry.aad }, key, ciphertext);
    } catch {
      return fail('tampered');
    }

    const claims = parseClaims(plaintext);
    if (claims === undefined) return fail('malformed');
    // Spec: requestState SHOULD have a short TTL; a token is good up to and including `exp`.
    if (now() > claims.exp) return fail('expired');
    // The digest is authenticated ciphertext the client cannot forge, so a plain comparison leaks nothing.
    if (claims.b !== (await expectedBinding)) return fail('wrong-request');
    return { ok: true, payload: claims.p, id: claims.jti, expiresAt: claims.exp };
  }

  return { seal, open };
}

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

function buildRing(keys: readonly RequestStateKey[]): Map<string, RingKey> {
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
    aad: encoder.encode(`${VERSION}.${id}`),
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
      aad: encoder.encode(`${VERSION}.${id}`),
      key: () => (cached ??= crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])),
    };
    ephemeral = { entry, ring: new Map([[id, entry]]) };
  }
  return ephemeral;
}

const ephemeralKey = (): RingKey => ephemeralState().entry;
const ephemeralRing = (): Map<string, RingKey> => ephemeralState().ring;

function first(ring: Map<string, RingKey>): RingKey {
  return ring.values().next().value as RingKey;
}

function bindingText(binding: RequestStateBinding): string {
  // An array, not an object, so no field can be confused with another; the tag separates this hash
  // from any other digest of the same arguments. Spec: bind requestState to the originating request
  // and (SHOULD) to the principal.
  return canonicalJson([
    BINDING_TAG,
    binding.method,
    binding.name,
    binding.args === undefined ? null : binding.args,
    binding.principal ?? null,
  ]);
}

async function sha256(text: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

interface Claims {
  jti: string;
  exp: number;
  b: string;
  p: SealedPayload;
}

function parseClaims(plaintext: ArrayBuffer): Claims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(plaintext));
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.v !== PLAINTEXT_VERSION) return undefined;
  const { jti, exp, b, p } = value;
  if (typeof jti !== 'string' || typeof exp !== 'number' || typeof b !== 'string') return undefined;
  if (!isObject(p) || !isObject(p.answers)) return undefined;
  return { jti, exp, b, p: p as unknown as SealedPayload };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: OpenFailureReason): OpenResult {
  return { ok: false, reason, message: MESSAGES[reason] };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Unpadded base64url (RFC 4648 §5). */
function toBase64Url(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const full = bytes.length - (bytes.length % 3);
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunks.push(
      ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63) + ALPHABET.charAt((n >>> 6) & 63) + ALPHABET.charAt(n & 63),
    );
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = bytes[full]!;
    chunks.push(ALPHABET.charAt(n >>> 2) + ALPHABET.charAt((n & 3) << 4));
  } else if (rest === 2) {
    const n = (bytes[full]! << 8) | bytes[full + 1]!;
    chunks.push(ALPHABET.charAt(n >>> 10) + ALPHABET.charAt((n >>> 4) & 63) + ALPHABET.charAt((n & 15) << 2));
  }
  return chunks.join('');
}

/**
 * Strict unpadded base64url. `'malformed'` for characters outside the alphabet or an impossible
 * length; `'noncanonical'` when the unused low bits of the last character are not zero.
 */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | 'malformed' | 'noncanonical' {
  const tail = text.length % 4;
  if (tail === 1) return 'malformed';
  const out = new Uint8Array((text.length * 3) >>> 2);
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? DECODE[code]! : -1;
    if (v < 0) return 'malformed';
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return 'noncanonical';
  return out;
}
