// The tracer and duration histogram of one side (server or client), taken from the providers the
// application registered through @opentelemetry/api — or nothing at all while it registered none,
// so a request then pays for two global look-ups and no allocation.
import { ProxyTracerProvider, createNoopMeter, metrics, trace } from '@opentelemetry/api';
import type { Histogram, Meter, Tracer } from '@opentelemetry/api';
import { DURATION_BUCKETS, SCOPE } from './conventions.ts';

export interface Instruments {
  /** Absent when only a meter provider is registered. */
  tracer?: Tracer;
  /** Absent when only a tracer provider is registered. */
  duration?: Histogram;
}

const HISTOGRAMS = {
  server: {
    name: 'mcp.server.operation.duration',
    description: 'MCP request duration as observed on the receiver from the time it was received until the result is sent.',
  },
  client: {
    name: 'mcp.client.operation.duration',
    description: 'MCP request duration as observed on the sender from the time it was sent until the response is received.',
  },
} as const;

export type Side = keyof typeof HISTOGRAMS;

/** Instruments are made once per meter: an SDK keeps what a meter already created, but would still build it again. */
const made: Record<Side, WeakMap<Meter, Histogram>> = { server: new WeakMap(), client: new WeakMap() };

/**
 * The API's global tracer provider is a proxy that forwards to the SDK once one is registered;
 * asking the proxy for its delegate's tracer is how to tell "registered" without starting a span.
 * (A provider from another copy of the API is not our proxy class: it is taken as registered.)
 */
function registeredTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider ? provider.getDelegateTracer(SCOPE) : provider.getTracer(SCOPE);
}

function registeredHistogram(side: Side): Histogram | undefined {
  const meter = metrics.getMeter(SCOPE);
  if (meter === createNoopMeter()) return undefined;
  let histogram = made[side].get(meter);
  if (!histogram) {
    const { name, description } = HISTOGRAMS[side];
    histogram = meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
    made[side].set(meter, histogram);
  }
  return histogram;
}

/** Read per request, not once: an SDK may be registered after the app is built (Workers SDKs do it on the first request). */
export function registeredInstruments(side: Side): Instruments | undefined {
  const tracer = registeredTracer();
  const duration = registeredHistogram(side);
  return tracer || duration ? { tracer, duration } : undefined;
}
