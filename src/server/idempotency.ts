// Repeat-safe tool calls: a client that re-issues a call after a broken stream (2026: the stream
// is the only channel, and closing it cancels) sends the same idempotency key (the HTTP layer
// takes it from the `Idempotency-Key` header), and gets the stored result of the first completed
// run instead of a second run.
import { canonicalJson } from '../mrtr/canonical-json.ts';
import { ErrorCode, McpError } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import type { Store } from '../store/store.ts';

/** Per tool: how long a completed result stays replayable. */
export interface IdempotencyOptions {
  ttlMs?: number;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

async function sha256(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface Memo {
  replayed?: JsonObject;
  remember(result: JsonObject): Promise<void>;
}

/**
 * The memo for one call, or undefined when the request carries no key (trimmed by the transport). Keys are scoped by tool
 * and caller, and bound to the arguments: reusing a key for other arguments is refused.
 */
export async function openMemo(store: Store, tool: string, args: unknown, key: string | undefined, subject: string | undefined, options: IdempotencyOptions): Promise<Memo | undefined> {
  if (key === undefined) return undefined;
  if (!KEY.test(key)) throw new McpError(ErrorCode.InvalidParams, 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.');
  const slot = `idem:${await sha256(`${tool}\n${subject ?? ''}\n${key}`)}`;
  const digest = await sha256(canonicalJson(args));
  const stored = await store.get(slot);
  if (stored !== undefined) {
    const memo = JSON.parse(stored) as { digest: string; result: JsonObject };
    if (memo.digest !== digest) throw new McpError(ErrorCode.InvalidParams, `Idempotency-Key "${key}" was already used for this tool with other arguments; use a new key for a new call.`);
    return { replayed: memo.result, remember: async () => undefined };
  }
  const ttlMs = options.ttlMs ?? 86_400_000;
  return { remember: (result) => store.set(slot, JSON.stringify({ digest, result }), ttlMs) };
}
