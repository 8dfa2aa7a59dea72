import { describe, expect, it, vi } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import {
  createRequestStateSealer,
  parseRequestStateKeys,
  type OpenResult,
  type RequestStateBinding,
  type RequestStateKey,
  type SealedPayload,
} from './request-state.ts';

const SECRET_OLD = 'b2xkLXNlY3JldC0zMi1ieXRlcy1sb25nLWVub3VnaCE'; // base64url of 32 bytes
const SECRET_NEW = new Uint8Array(32).map((_, i) => i * 7 + 1);
const T0 = 1_800_000_000_000;

const binding: RequestStateBinding = {
  method: 'tools/call',
  name: 'book_flight',
  args: { from: 'AMS', to: 'SFO', passengers: [{ name: 'Ada' }] },
  principal: 'user-42',
};
const payload: SealedPayload = { answers: { confirm: { action: 'accept' } }, data: { step: 2, seats: ['3A'] } };

function sealer(now = () => T0, keys: RequestStateKey[] = [{ id: 'k1', secret: SECRET_OLD }], ttlMs?: number) {
  return createRequestStateSealer({ keys, now, ...(ttlMs === undefined ? {} : { ttlMs }) });
}

function failure(result: OpenResult): string {
  return result.ok ? 'ok' : result.reason;
}

/** Replaces the character at `index` by a different base64url character. */
function flip(token: string, index: number): string {
  const c = token.charAt(index);
  return token.slice(0, index) + (c === 'A' ? 'B' : 'A') + token.slice(index + 1);
}

describe('request state round trip', () => {
  it('opens what it sealed, with the payload, a unique id and the expiry', async () => {
    const s = sealer();
    const token = await s.seal(payload, binding);
    expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);

    const opened = await s.open(token, binding);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.payload).toEqual(payload);
    expect(opened.expiresAt).toBe(T0 + 10 * 60 * 1000);
    expect(opened.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('opens with the same binding given in a different key order', async () => {
    const s = sealer();
    const token = await s.seal(payload, binding);
    const reordered: RequestStateBinding = {
      principal: 'user-42',
      args: { passengers: [{ name: 'Ada' }], to: 'SFO', from: 'AMS' },
      name: 'book_flight',
      method: 'tools/call',
    };
    expect((await s.open(token, reordered)).ok).toBe(true);
  });

  it('two seals of the same payload differ and carry different ids', async () => {
    const s = sealer();
    const a = await s.seal(payload, binding);
    const b = await s.seal(payload, binding);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]); // fresh IV
    const [oa, ob] = await Promise.all([s.open(a, binding), s.open(b, binding)]);
    expect(oa.ok && ob.ok).toBe(true);
    if (!oa.ok || !ob.ok) return;
    expect(oa.id).not.toBe(ob.id);
  });

  it('does not reveal the payload in the token', async () => {
    const token = await sealer().seal({ answers: { secretAnswer: 'hunter2' } }, binding);
    const body = token.split('.')[3]!;
    const decoded = atob(body.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (body.length % 4)) % 4));
    expect(decoded).not.toContain('hunter2');
    expect(token).not.toContain('hunter2');
  });

  it('works with the default per-process key', async () => {
    const a = createRequestStateSealer();
    const b = createRequestStateSealer();
    const token = await a.seal(payload, binding);
    expect(token).toMatch(/^v1\.eph-[A-Za-z0-9_-]{8}\./);
    const opened = await b.open(token, binding); // same process, same key
    expect(opened.ok).toBe(true);
    // Another deployment with its own keys cannot open it and says why.
    expect(failure(await sealer().open(token, binding))).toBe('unknown-key');
  });

  it('binds resources/read with no arguments', async () => {
    const s = sealer();
    const res: RequestStateBinding = { method: 'resources/read', name: 'file:///a.txt', args: undefined };
    const token = await s.seal({ answers: {} }, res);
    expect((await s.open(token, res)).ok).toBe(true);
    expect(failure(await s.open(token, { ...res, name: 'file:///b.txt' }))).toBe('wrong-request');
  });
});

describe('request state rejections', () => {
  it('reports tampering for any edited character of IV, ciphertext or tag', async () => {
    const s = sealer();
    const token = await s.seal(payload, binding);
    const ivStart = 'v1.k1.'.length;
    const bodyStart = ivStart + 17;
    const positions = [
      ivStart,
      ivStart + 7,
      ivStart + 15,
      bodyStart,
      bodyStart + 1,
      bodyStart + 20,
      Math.floor((bodyStart + token.length) / 2),
      token.length - 10, // inside the tag
      token.length - 2,
      token.length - 1, // last character: includes the unused low bits
    ];
    const results = await Promise.all(positions.map(async (i) => failure(await s.open(flip(token, i), binding))));
    expect(results).toEqual(positions.map(() => 'tampered'));
  });

  it('reports stray low bits in the last character as tampered, though they decode to the same bytes', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const s = sealer();
    let token = '';
    // Grow the payload until the ciphertext length leaves unused bits in its last character.
    for (let pad = 0; token === '' || token.split('.')[3]!.length % 4 === 0; pad++) {
      token = await s.seal({ answers: { pad: 'x'.repeat(pad) } }, binding);
    }
    const last = alphabet.indexOf(token.charAt(token.length - 1));
    const edited = token.slice(0, -1) + alphabet.charAt(last | 1);
    expect(edited).not.toBe(token);
    expect(failure(await s.open(edited, binding))).toBe('tampered');
  });

  it('reports an edited key id as unknown-key and an edited version as malformed', async () => {
    const s = sealer();
    const token = await s.seal(payload, binding);
    expect(token.slice(3, 5)).toBe('k1');
    expect(failure(await s.open(flip(token, 3), binding))).toBe('unknown-key'); // "A1"
    expect(failure(await s.open(flip(token, 4), binding))).toBe('unknown-key'); // "kA"
    expect(failure(await s.open(flip(token, 0), binding))).toBe('malformed'); // "A1."
    expect(failure(await s.open(flip(token, 1), binding))).toBe('malformed'); // "vA."
  });

  it('reports a token moved under another key id of the same ring as tampered', async () => {
    const s = sealer(undefined, [
      { id: 'k1', secret: SECRET_OLD },
      { id: 'k2', secret: SECRET_OLD }, // same secret: only the AAD tells them apart
    ]);
    const token = await s.seal(payload, binding);
    expect(failure(await s.open(token.replace(/^v1\.k1\./, 'v1.k2.'), binding))).toBe('tampered');
  });

  it('reports a token for another tool, other args, another principal or method as wrong-request', async () => {
    const s = sealer();
    const token = await s.seal(payload, binding);
    const variants: RequestStateBinding[] = [
      { ...binding, name: 'cancel_flight' },
      { ...binding, args: { from: 'AMS', to: 'LHR', passengers: [{ name: 'Ada' }] } },
      { ...binding, args: { from: 'AMS', to: 'SFO', passengers: [{ name: 'Ada' }], extra: 1 } },
      { ...binding, args: undefined },
      { ...binding, principal: 'user-43' },
      { method: binding.method, name: binding.name, args: binding.args }, // principal missing
      { ...binding, method: 'prompts/get' },
    ];
    const reasons = await Promise.all(variants.map(async (v) => failure(await s.open(token, v))));
    expect(reasons).toEqual(variants.map(() => 'wrong-request'));
    const wrong = await s.open(token, variants[0]!);
    expect(wrong).toEqual({
      ok: false,
      reason: 'wrong-request',
      message:
        'requestState was issued for a different request: retry with the original method, name and arguments, ' +
        'or start the call again without requestState and inputResponses.',
    });
  });

  it('expires after the TTL, not before', async () => {
    let now = T0;
    const s = sealer(() => now, undefined, 60_000);
    const token = await s.seal(payload, binding);
    now = T0 + 60_000;
    expect((await s.open(token, binding)).ok).toBe(true);
    now = T0 + 60_001;
    expect(await s.open(token, binding)).toEqual({
      ok: false,
      reason: 'expired',
      message: 'requestState has expired. Start the call again without requestState and inputResponses.',
    });
  });

  it('reports malformed input as malformed', async () => {
    const s = sealer();
    const valid = await s.seal(payload, binding);
    const [v, kid, iv, body] = valid.split('.') as [string, string, string, string];
    const garbage: unknown[] = [
      '',
      'abc',
      '....',
      'v1.k1',
      `${v}.${kid}.${iv}`,
      `${valid}.extra`,
      `v2.${kid}.${iv}.${body}`,
      `${v}.${kid}.${iv.slice(1)}.${body}`, // short IV
      `${v}.${kid}.${iv}.${body.slice(0, 10)}`, // shorter than the tag
      `${v}.${kid}.${iv}.${body.slice(0, -1)}+`, // base64, not base64url
      `${v}.${kid}.${iv}.${body}=`, // padding
      `${v}.k 1.${iv}.${body}`,
      `${v}.${kid}.${iv}.${body.slice(0, 40)}é${body.slice(41)}`,
      123,
      null,
      undefined,
      { token: valid },
    ];
    const reasons = await Promise.all(garbage.map(async (g) => failure(await s.open(g as string, binding))));
    expect(reasons).toEqual(garbage.map(() => 'malformed'));
    expect(await s.open('abc', binding)).toEqual({
      ok: false,
      reason: 'malformed',
      message: 'requestState is not a token issued by this server. Start the call again without requestState and inputResponses.',
    });
  });

  it('failure messages never contain key ids or secrets', async () => {
    const s = sealer();
    const token = await s.seal(payload, binding);
    const results = await Promise.all([
      s.open(flip(token, 20), binding),
      s.open(flip(token, 3), binding),
      s.open(token, { ...binding, principal: 'x' }),
    ]);
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.message).not.toContain('k1');
      expect(r.message).not.toContain(SECRET_OLD);
      expect(r.message).toContain('without requestState');
    }
  });
});

describe('key rotation', () => {
  it('opens a token sealed with the old key once the ring is [new, old]', async () => {
    const before = sealer(undefined, [{ id: 'k1', secret: SECRET_OLD }]);
    const token = await before.seal(payload, binding);
    const after = sealer(undefined, [
      { id: 'k2', secret: SECRET_NEW },
      { id: 'k1', secret: SECRET_OLD },
    ]);
    const opened = await after.open(token, binding);
    expect(opened.ok && opened.payload).toEqual(payload);
    expect((await after.seal(payload, binding)).startsWith('v1.k2.')).toBe(true);
  });

  it('reports a token sealed by a key missing from the ring as unknown-key', async () => {
    const rotated = sealer(undefined, [
      { id: 'k2', secret: SECRET_NEW },
      { id: 'k1', secret: SECRET_OLD },
    ]);
    const token = await rotated.seal(payload, binding);
    const stale = sealer(undefined, [{ id: 'k1', secret: SECRET_OLD }]);
    expect(await stale.open(token, binding)).toEqual({
      ok: false,
      reason: 'unknown-key',
      message:
        'requestState was sealed with a key this server does not hold (another deployment, or a rotated-out key). ' +
        'Start the call again without requestState and inputResponses.',
    });
  });

  it('reports a reused key id with a different secret as tampered', async () => {
    const token = await sealer(undefined, [{ id: 'k1', secret: SECRET_OLD }]).seal(payload, binding);
    const other = sealer(undefined, [{ id: 'k1', secret: SECRET_NEW }]);
    expect(failure(await other.open(token, binding))).toBe('tampered');
  });

  it('imports and derives each key once, however many tokens it handles', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const deriveKey = vi.spyOn(crypto.subtle, 'deriveKey');
    try {
      const s = sealer(undefined, [
        { id: 'k2', secret: SECRET_NEW },
        { id: 'k1', secret: SECRET_OLD },
      ]);
      const old = await sealer().seal(payload, binding);
      importKey.mockClear();
      deriveKey.mockClear();
      const tokens = await Promise.all([1, 2, 3].map(() => s.seal(payload, binding)));
      const opened = await Promise.all([...tokens, old, old].map((t) => s.open(t, binding)));
      expect(opened.map((r) => r.ok)).toEqual([true, true, true, true, true]);
      expect(importKey).toHaveBeenCalledTimes(2); // k2 and k1, once each
      expect(deriveKey).toHaveBeenCalledTimes(2);
    } finally {
      importKey.mockRestore();
      deriveKey.mockRestore();
    }
  });

  it('derives the same key from the same secret in separate sealers', async () => {
    const token = await sealer().seal(payload, binding);
    expect((await sealer().open(token, binding)).ok).toBe(true);
    const bytes = Uint8Array.from(atob(SECRET_OLD.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) => c.charCodeAt(0));
    const fromBytes = sealer(undefined, [{ id: 'k1', secret: bytes }]);
    expect((await fromBytes.open(token, binding)).ok).toBe(true);
  });
});

describe('configuration errors', () => {
  it('rejects short secrets with a TypeError that says how to generate one', () => {
    expect(() => sealer(undefined, [{ id: 'k1', secret: 'too-short' }])).toThrow(TypeError);
    expect(() => sealer(undefined, [{ id: 'k1', secret: new Uint8Array(31) }])).toThrow(
      'requestState key "k1": secret holds 31 bytes, at least 32 random bytes are required. Generate one with `openssl rand -base64 32`.',
    );
    // 32 hex characters look long but carry 16 bytes; as base64 they decode to 24.
    expect(() => sealer(undefined, [{ id: 'k1', secret: '0123456789abcdef0123456789abcdef' }])).toThrow(/holds 24 bytes/);
    // `openssl rand -base64 32` output, padded, is accepted.
    expect(() => sealer(undefined, [{ id: 'k1', secret: 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=' }])).not.toThrow();
    // A long passphrase outside the base64 alphabet counts as UTF-8.
    expect(() => sealer(undefined, [{ id: 'k1', secret: 'correct horse battery staple, and then some!' }])).not.toThrow();
  });

  it('rejects duplicate ids, bad ids, an empty ring and a bad TTL', () => {
    expect(() =>
      sealer(undefined, [
        { id: 'k1', secret: SECRET_OLD },
        { id: 'k1', secret: SECRET_NEW },
      ]),
    ).toThrow('requestState key id "k1" appears twice; key ids must be unique');
    expect(() => sealer(undefined, [{ id: 'k.1', secret: SECRET_OLD }])).toThrow(TypeError);
    expect(() => sealer(undefined, [{ id: '', secret: SECRET_OLD }])).toThrow(TypeError);
    expect(() => sealer(undefined, [])).toThrow(/multi-instance deployments must share keys/);
    expect(() => sealer(undefined, undefined, 0)).toThrow(TypeError);
    expect(() => sealer(undefined, undefined, Number.NaN)).toThrow(TypeError);
  });

  it('parses a key ring from a config string, first key sealing', async () => {
    const keys = parseRequestStateKeys(` k2:${'A'.repeat(43)} , k1:${SECRET_OLD}`);
    expect(keys).toEqual([
      { id: 'k2', secret: 'A'.repeat(43) },
      { id: 'k1', secret: SECRET_OLD },
    ]);
    const s = createRequestStateSealer({ keys });
    expect((await s.seal(payload, binding)).startsWith('v1.k2.')).toBe(true);
    const old = await sealer().seal(payload, binding);
    expect((await s.open(old, binding)).ok).toBe(true);
  });

  it('rejects bad config strings with TypeErrors that do not echo secrets', () => {
    expect(() => parseRequestStateKeys('')).toThrow(/configuration is empty/);
    expect(() => parseRequestStateKeys(`k1:${SECRET_OLD},nocolonsecretvalue`)).toThrow(
      'requestState keys: entry 2 is not of the form "id:secret"',
    );
    expect(() => parseRequestStateKeys('k1:')).toThrow('requestState keys: entry 1 ("k1") has an empty secret');
    expect(() => parseRequestStateKeys(`k1:${SECRET_OLD},k1:${SECRET_OLD}`)).toThrow(/appears twice/);
    expect(() => parseRequestStateKeys('k1:shortsecret')).toThrow(/holds 8 bytes.*openssl rand -base64 32/);
    try {
      parseRequestStateKeys('k1:shortsecret');
    } catch (error) {
      expect(String(error)).not.toContain('shortsecret');
    }
  });
});

describe('canonicalJson', () => {
  it('is independent of key order at every depth', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('matches JSON.stringify on the edge cases', () => {
    expect(canonicalJson({ u: undefined, f: () => 1, n: null })).toBe('{"n":null}');
    expect(canonicalJson([undefined, Number.NaN, Infinity, -0])).toBe('[null,null,null,0]');
    expect(canonicalJson('é"\n')).toBe('"é\\"\\n"');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJson({ '\u00e9': 1, z: 2, Z: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":3,"z":2,"é":1}');
    expect(canonicalJson(1e21)).toBe('1e+21');
  });

  it('allows shared references but rejects cycles, BigInt and bare undefined', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('canonicalJson: value contains a cycle');
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
