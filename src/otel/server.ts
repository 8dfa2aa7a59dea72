// The server side: a SERVER span per request the endpoint serves, parented on the trace context
// the client put in `params._meta`, and `mcp.server.operation.duration`. Conventions: see
// conventions.ts.
import { SpanKind, context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { Context, Link } from '@opentelemetry/api';
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import { describeRequest, failureOf } from './conventions.ts';
import type { Failure } from './conventions.ts';
import { registeredInstruments } from './instruments.ts';
import type { Instruments } from './instruments.ts';
import { metaGetter } from './meta-carrier.ts';
import { endOperation } from './operation.ts';
import type { Operation } from './operation.ts';


/** Undefined while the application has registered no SDK (with none at all, this module is not even loaded: see registered.ts). */
export const serverInstruments = (): Instruments | undefined => registeredInstruments('server');

/**
 * The parent is the context extracted from `_meta` by the registered propagator; the ambient
 * context (an HTTP server span, when the host is instrumented) becomes a link, as the conventions
 * ask. With no trace context in `_meta`, the ambient context is simply the parent.
 */
function begin(instruments: Instruments, message: JsonRpcRequest, protocolVersion: string, startedAt: number): Operation & { context: Context } {
  const described = describeRequest(message.method, message.params);
  described.common['mcp.protocol.version'] = protocolVersion;
  const ambient = context.active();
  if (!instruments.tracer) return { described, startedAt, context: ambient };
  const meta = message.params?._meta;
  const parent = isJsonObject(meta) ? propagation.extract(ambient, meta, metaGetter) : ambient;
  const ambientSpan = trace.getSpanContext(ambient);
  const links: Link[] | undefined =
    ambientSpan && isSpanContextValid(ambientSpan) && ambientSpan.spanId !== trace.getSpanContext(parent)?.spanId ? [{ context: ambientSpan }] : undefined;
  const span = instruments.tracer.startSpan(
    described.spanName,
    {
      kind: SpanKind.SERVER,
      startTime: startedAt,
      attributes: { ...described.common, ...described.spanOnly, 'jsonrpc.request.id': `${message.id}` },
      links,
    },
    parent,
  );
  return { span, described, startedAt, context: trace.setSpan(parent, span) };
}

/**
 * One dispatch, run inside its span's context so spans the handler opens are its children (across
 * awaits wherever the SDK's context manager carries context). The span ends with the response:
 * for a stream, when its last message is written.
 */
export function traceDispatch(
  instruments: Instruments,
  message: JsonRpcRequest,
  protocolVersion: string,
  startedAt: number,
  run: () => Promise<JsonRpcResponse>,
): Promise<JsonRpcResponse> {
  const operation = begin(instruments, message, protocolVersion, startedAt);
  const done = operation.span ? context.with(operation.context, run) : run();
  done.then(
    (response) => endOperation(instruments, operation, failureOf(response)),
    () => endOperation(instruments, operation, { type: '_OTHER' }),
  );
  return done;
}

/** A request answered before dispatch (its `_meta` or headers refused): a span that only records why. */
export function traceRefusal(instruments: Instruments, message: JsonRpcRequest, protocolVersion: string, startedAt: number, failure: Failure): void {
  endOperation(instruments, begin(instruments, message, protocolVersion, startedAt), failure);
}
