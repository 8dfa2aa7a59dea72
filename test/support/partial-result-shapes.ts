// The partial-results extension's notification (SEP-2998 draft, `notifications/tools/partial_result`),
// checked by hand: no official schema defines it yet. Its content blocks are checked against the
// official definitions by the schema oracle; the opt-in and seq order by the recording fetch.
import { PARTIAL_RESULT_METHOD } from '../../src/protocol/partial-results.ts';

export { PARTIAL_RESULT_METHOD };

const KNOWN = new Set(['partialResultToken', 'seq', 'content', 'structuredContent', 'final', '_meta']);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function checkPartialResultNotification(params: unknown): string[] {
  if (!isObject(params)) return [`${PARTIAL_RESULT_METHOD}: params must be an object`];
  const errors: string[] = [];
  const need = (ok: boolean, what: string) => ok || errors.push(`${PARTIAL_RESULT_METHOD}: ${what}`);
  const token = params.partialResultToken;
  need(typeof token === 'string' || (typeof token === 'number' && Number.isFinite(token)), 'partialResultToken must be a string or a number');
  need(Number.isInteger(params.seq) && (params.seq as number) >= 0, 'seq must be a non-negative integer');
  need(Array.isArray(params.content), 'content must be an array of content blocks');
  need(params.structuredContent === undefined || isObject(params.structuredContent), 'structuredContent must be an object');
  need(params.final === undefined || typeof params.final === 'boolean', 'final must be a boolean');
  need(params._meta === undefined || isObject(params._meta), '_meta must be an object');
  for (const key of Object.keys(params)) need(KNOWN.has(key), `unknown field "${key}"`);
  return errors;
}

/** The token a tools/call opted in with, for the revision it speaks; undefined when it did not opt in. */
export function optedInToken(request: Record<string, unknown>, modern: boolean): unknown {
  const params = isObject(request.params) ? request.params : {};
  const meta = isObject(params._meta) ? params._meta : {};
  if (request.method !== 'tools/call' || meta.partialResultToken === undefined) return undefined;
  if (!modern) return meta.partialResultToken;
  const capabilities = meta['io.modelcontextprotocol/clientCapabilities'];
  return isObject(capabilities) && isObject(capabilities.partialResults) ? meta.partialResultToken : undefined;
}
