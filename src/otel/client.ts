// The client's tracing entry point: a pass-through while the application has registered no
// provider, so the API and the span code (client-span.ts) load on the first traced call only.
import { providersRegistered } from './registered.ts';

type ClientSpans = typeof import('./client-span.ts');

let spans: Promise<ClientSpans> | undefined;

/** See client-span.ts: one CLIENT span and duration per call, its context carried in `_meta`. */
export const traceClientCall: ClientSpans['traceClientCall'] = (method, params, server, meta, run) => {
  if (!providersRegistered()) return run(meta);
  spans ??= import('./client-span.ts');
  return spans.then((loaded) => loaded.traceClientCall(method, params, server, meta, run));
};
