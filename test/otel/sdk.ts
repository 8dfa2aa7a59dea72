// The OpenTelemetry SDK as an application registers it (tracer and meter providers, the Node
// context manager, the W3C propagator), with in-memory exporters the tests read.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export interface RegisteredSdk {
  tracerProvider: TracerProvider;
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** The named histogram as the SDK exports it now, or undefined if nothing was recorded. */
  histogram(name: string): Promise<HistogramMetricData | undefined>;
  /** Unregisters every global, as the next test must start with none. */
  unregister(): Promise<void>;
}

export function registerSdk(parts: { traces?: boolean; metrics?: boolean } = {}): RegisteredSdk {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exported only when the test flushes.
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  if (parts.traces !== false) {
    trace.setGlobalTracerProvider(tracerProvider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  }
  if (parts.metrics !== false) metrics.setGlobalMeterProvider(meterProvider);
  return {
    tracerProvider,
    spans: () => spanExporter.getFinishedSpans(),
    async histogram(name) {
      await reader.forceFlush();
      const exported = metricExporter.getMetrics().at(-1);
      const metric = exported?.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name);
      if (metric && metric.dataPointType !== DataPointType.HISTOGRAM) throw new Error(`${name} is not a histogram`);
      return metric as HistogramMetricData | undefined;
    },
    async unregister() {
      trace.disable();
      metrics.disable();
      context.disable();
      propagation.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** A W3C trace context as a client puts it in `_meta`. */
export const REMOTE = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
};

/** The conventions' ExplicitBucketBoundaries, written out here so a typo in the source cannot pass. */
export const CONVENTION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
