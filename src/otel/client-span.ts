// The client side: a CLIENT span per call, its context injected into the call's `params._meta` by
// the registered propagator so the server's span becomes its child, and
// `mcp.client.operation.duration`. Conventions: see conventions.ts.
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import { describeRequest } from './conventions.ts';
import type { Failure } from './conventions.ts';
import { registeredInstruments } from './instruments.ts';
import { metaSetter } from './meta-carrier.ts';
import { endOperation } from './operation.ts';
import type { Operation } from './operation.ts';

/**
 * What the client's errors say about a failed call: the JSON-RPC code the server answered with
 * (McpClientError's public `rpcCode`), else the client's own failure class (its `code`: TIMEOUT,
 * UNREACHABLE, …), else the error's name.
 */
function failureOfError(error: unknown): Failure {
  if (!(error instanceof Error)) return { type: '_OTHER' };
  const { rpcCode, code } = error as Error & { rpcCode?: unknown; code?: unknown };
  if (typeof rpcCode === 'number') return { type: `${rpcCode}`, rpcCode: `${rpcCode}`, message: error.message };
  return { type: typeof code === 'string' ? code : error.name, message: error.message };
}

function serverAttributes(url: URL): { 'server.address': string; 'server.port': number } {
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { 'server.address': url.hostname.replace(/^\[(.*)\]$/, '$1'), 'server.port': port };
}

/**
 * One call from its first POST to its complete result: the era probe, MRTR rounds and re-issues
 * included, so its span is one operation however many JSON-RPC requests it took (each carries the
 * same `_meta` context, hence no `jsonrpc.request.id`). `run` gets the `_meta` entries to send.
 */
export function traceClientCall<T extends JsonObject>(
  method: string,
  params: JsonObject,
  server: URL,
  meta: JsonObject | undefined,
  run: (meta: JsonObject | undefined) => Promise<T>,
): Promise<T> {
  const instruments = registeredInstruments('client');
  if (!instruments) return run(meta);
  const described = describeRequest(method, params);
  Object.assign(described.common, serverAttributes(server));
  const operation: Operation = { described, startedAt: performance.now() };
  let active = context.active();
  let carried = meta;
  if (instruments.tracer) {
    operation.span = instruments.tracer.startSpan(described.spanName, { kind: SpanKind.CLIENT, attributes: { ...described.common, ...described.spanOnly } }, active);
    active = trace.setSpan(active, operation.span);
    carried = { ...meta };
    propagation.inject(active, carried, metaSetter);
  }
  // Inside the span's context, so an instrumented fetch makes its HTTP spans children of this one.
  const done = context.with(active, () => run(carried));
  done.then(
    (result) => endOperation(instruments, operation, result.isError === true ? { type: 'tool_error' } : undefined),
    (error: unknown) => endOperation(instruments, operation, failureOfError(error)),
  );
  return done;
}
