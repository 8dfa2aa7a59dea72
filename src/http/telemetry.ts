// OpenTelemetry for the endpoint (src/otel), with no option: a pass-through while the application
// has registered no SDK, and then src/otel/server.ts and the API are not even loaded (a cold start
// pays for neither). Otherwise every request read and routed gets its SERVER span and duration
// — the ones dispatched through the notes' `dispatch` hook, and the ones refused before dispatch
// (their `_meta` or headers) from what the handler noted.
import { providersRegistered } from '../otel/registered.ts';
import type { Platform } from './handler.ts';

type PostHandler = (request: Request, platform: Platform) => Promise<Response>;
type ServerTelemetry = typeof import('../otel/server.ts');

let loaded: Promise<ServerTelemetry> | undefined;

export function withTelemetry(handle: PostHandler): PostHandler {
  return (request, platform) => (providersRegistered() ? traced(handle, request, platform) : handle(request, platform));
}

async function traced(handle: PostHandler, request: Request, platform: Platform): Promise<Response> {
  const startedAt = performance.now();
  const { serverInstruments, traceDispatch, traceRefusal } = await (loaded ??= import('../otel/server.ts'));
  const instruments = serverInstruments();
  if (!instruments) return handle(request, platform);
  // The log's notes when it keeps them: the handler fills one object for both.
  const notes = platform.notes ?? {};
  let dispatched = false;
  notes.dispatch = (message, protocolVersion, run) => {
    dispatched = true;
    return traceDispatch(instruments, message, protocolVersion, startedAt, run);
  };
  const response = await handle(request, { ...platform, notes });
  if (!dispatched && notes.message && notes.protocolVersion) {
    // Refused by a JSON-RPC error the handler noted, or by an HTTP status alone (406).
    traceRefusal(instruments, notes.message, notes.protocolVersion, startedAt, { type: `${notes.errorCode ?? response.status}` });
  }
  return response;
}
