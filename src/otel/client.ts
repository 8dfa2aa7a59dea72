// The client's tracing entry point: a pass-through while the application has registered no
// provider, so the API and the span code (client-span.ts) load on the first traced call only.
import type { JsonObject } from '../protocol/jsonrpc.ts';
import { providersRegistered } from './registered.ts';

let spans: Promise<typeof import('./client-span.ts')> | undefined;

/** See client-span.ts: one CLIENT span and duration per call, its context carried in `_meta`. */
export function traceClientCall<T extends JsonObject>(
  method: string,
  params: JsonObject,
  server: URL,
  meta: JsonObject | undefined,
  run: (meta: JsonObject | undefined) => Promise<T>,
): Promise<T> {
  if (!providersRegistered()) return run(meta);
  spans ??= import('./client-span.ts');
  return spans.then((loaded) => loaded.traceClientCall(method, params, server, meta, run));
}
