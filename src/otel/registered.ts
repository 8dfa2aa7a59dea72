// Whether the application registered a tracer or meter provider, read without loading
// @opentelemetry/api: the API keeps every registration on one global per major version
// (`Symbol.for('opentelemetry.js.api.<major>')`, its internal/global-utils), so a process that never
// registers an SDK never evaluates the API or the span code at all — a cost paid on every cold
// start otherwise. The major is the one package.json depends on (a test holds them equal).
export const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/** True once a tracer or meter provider is registered; the API itself then decides what is usable. */
export function providersRegistered(): boolean {
  const api: unknown = Reflect.get(globalThis, API_GLOBAL);
  if (typeof api !== 'object' || api === null) return false;
  return Reflect.get(api, 'trace') !== undefined || Reflect.get(api, 'metrics') !== undefined;
}
