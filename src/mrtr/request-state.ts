// Seals and opens the MRTR `requestState` token: AES-256-GCM over the answers gathered so far, bound
// to the originating request and principal, with a short TTL. Web Crypto only, so it runs on any edge runtime.

import { fromBase64Url, toBase64Url } from './base64url.ts';
import { canonicalJson } from './canonical-json.ts';
import { KEY_ID, TOKEN_VERSION, buildRing, ephemeralKey, ephemeralRing, first } from './keys.ts';
import type { RequestStateKey, RingKey } from './keys.ts';

export { parseRequestStateKeys } from './keys.ts';
export type { RequestStateKey } from './keys.ts';

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

const PLAINTEXT_VERSION = 1;
const BINDING_TAG = 'stateless-mcp requestState binding v1';
const DEFAULT_TTL_MS = 10 * 60 * 1000;
const IV_BYTES = 12;
const IV_CHARS = 16; // 12 bytes encode to exactly 16 base64url characters.
const TAG_BYTES = 16;
const MIN_CIPHERTEXT_CHARS = Math.ceil(((TAG_BYTES + 1) * 4) / 3);
const JTI_BYTES = 16;

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
    return `${TOKEN_VERSION}.${entry.id}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`;
  }

  async function open(token: string, binding: RequestStateBinding): Promise<OpenResult> {
    if (typeof token !== 'string') return fail('malformed');
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== TOKEN_VERSION) return fail('malformed');
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
  return { jti, exp, b, p: { answers: p.answers, data: p.data } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: OpenFailureReason): OpenResult {
  return { ok: false, reason, message: MESSAGES[reason] };
}
