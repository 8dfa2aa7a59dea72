// SEP-2243 header value encoding: values that are not plain visible ASCII, or that have leading or
// trailing whitespace, travel as `=?base64?{utf-8 base64}?=`; servers decode before comparing.

const PLAIN = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;
const SENTINEL = /^=\?base64\?.*\?=$/;

/** True when `value` cannot be sent as-is in an `Mcp-Name` or `Mcp-Param-*` header. */
export function needsBase64(value: string): boolean {
  if (value === '') return false;
  // A literal value that looks like the sentinel would be decoded by the server: wrap it too.
  return !PLAIN.test(value) || SENTINEL.test(value);
}

export function encodeHeaderValue(value: string): string {
  if (!needsBase64(value)) return value;
  let binary = '';
  for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
  return `=?base64?${btoa(binary)}?=`;
}
