// Strict unpadded base64url (RFC 4648 §5) for requestState tokens: one spelling per byte string,
// so an edited token cannot decode to the bytes we issued.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Unpadded base64url (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
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
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | 'malformed' | 'noncanonical' {
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
