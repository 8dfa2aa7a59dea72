import { metrics, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { API_GLOBAL, providersRegistered } from './registered.ts';

afterEach(() => {
  trace.disable();
  metrics.disable();
});

describe('providersRegistered', () => {
  it('reads the global the installed API registers on', () => {
    trace.setGlobalTracerProvider(new TracerProvider());
    expect(Reflect.get(globalThis, API_GLOBAL)).toMatchObject({ version: expect.stringMatching(/^1\./) });
  });

  it('is false until a tracer provider is registered, and again once it is disabled', () => {
    expect(providersRegistered()).toBe(false);
    trace.setGlobalTracerProvider(new TracerProvider());
    expect(providersRegistered()).toBe(true);
    trace.disable();
    expect(providersRegistered()).toBe(false);
  });

  it('is true with only a meter provider registered', () => {
    metrics.setGlobalMeterProvider(new MeterProvider());
    expect(providersRegistered()).toBe(true);
  });
});
