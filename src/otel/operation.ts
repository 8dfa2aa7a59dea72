// One MCP operation as either side records it: its span (when a tracer is registered) and, when it
// ends, the span's outcome and one duration on the side's histogram.
import { SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { failureAttributes } from './conventions.ts';
import type { Described, Failure } from './conventions.ts';
import type { Instruments } from './instruments.ts';

export interface Operation {
  span?: Span;
  described: Described;
  /** `performance.now()` when the operation began. */
  startedAt: number;
}

/** Status ERROR with the JSON-RPC message whenever `error.type` is set, as the conventions ask. */
export function endOperation(instruments: Instruments, operation: Operation, failure: Failure | undefined): void {
  const { span, described } = operation;
  if (failure) {
    const attributes = failureAttributes(failure);
    Object.assign(described.common, attributes);
    span?.setAttributes(attributes);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
  }
  span?.end();
  instruments.duration?.record((performance.now() - operation.startedAt) / 1000, described.common);
}
