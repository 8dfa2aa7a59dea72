// Trace context travels in `params._meta`, unprefixed (`traceparent`, `tracestate`, `baggage` with
// W3C propagators): the conventions' "Context propagation" section (see conventions.ts). The
// registered propagator decides the fields; these read and write them on the `_meta` object.
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { JsonObject } from '../protocol/jsonrpc.ts';

export const metaGetter: TextMapGetter<JsonObject> = {
  keys: (meta) => Object.keys(meta),
  // Own string values only: `_meta` comes from the client, and a propagator expects text.
  get: (meta, key) => {
    if (!Object.hasOwn(meta, key)) return undefined;
    const value = meta[key];
    return typeof value === 'string' ? value : undefined;
  },
};

export const metaSetter: TextMapSetter<JsonObject> = {
  set: (meta, key, value) => {
    meta[key] = value;
  },
};
