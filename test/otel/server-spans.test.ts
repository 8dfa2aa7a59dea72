// OpenTelemetry on the endpoint, read through the SDK's in-memory exporters: the MCP conventions'
// SERVER span for every request (parented on the trace context the client sent in `_meta`), and
// the `mcp.server.operation.duration` histogram. Nothing recorded and nothing thrown without an SDK.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import * as z from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import type { RequestLogEntry } from '../../src/http/index.ts';
import { createServer } from '../../src/index.ts';
import type { McpServer } from '../../src/index.ts';
import { MODERN, modernRequest, post, postRaw, readMessages } from '../support/raw-client.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { CONVENTION_BUCKETS, REMOTE, registerSdk } from './sdk.ts';
import type { RegisteredSdk } from './sdk.ts';

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
let release: () => void = () => {};

function createTracedServer(): McpServer {
  const server = createServer({ name: 'traced', version: '1.0.0' });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text: value }) => text(value));
  server.registerTool('fails', {}, () => {
    throw new Error('the weather service is down');
  });
  server.registerTool('gated', {}, async (_args, ctx) => {
    ctx.progress(1, 2);
    await new Promise<void>((resolve) => (release = resolve));
    ctx.progress(2, 2);
    return text('released');
  });
  // A handler's own span, opened after awaits: it must still find the MCP span as its parent.
  server.registerTool('nested', {}, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return trace.getTracer('app').startActiveSpan('lookup', (span) => {
      span.end();
      return text('looked up');
    });
  });
  server.registerResource('doc', 'test://doc', { mimeType: 'text/plain' }, (uri) => ({ contents: [{ uri: uri.href, text: 'doc' }] }));
  return server;
}

const logged: RequestLogEntry[] = [];
let served: Served;
beforeAll(async () => {
  served = await serveApp((options) => createMcpApp(createTracedServer(), { ...options, log: (entry) => logged.push(entry) }));
});
afterAll(() => served.close());

const traced = (meta: Record<string, unknown> = {}) => ({ traceparent: REMOTE.traceparent, tracestate: REMOTE.tracestate, ...meta });

describe('with an SDK registered', () => {
  let sdk: RegisteredSdk;
  beforeEach(() => {
    sdk = registerSdk();
  });
  afterEach(() => sdk.unregister());
  const spanNamed = (name: string) => {
    const spans = sdk.spans().filter((span) => span.name === name);
    expect(spans).toHaveLength(1);
    return spans[0]!;
  };

  it('gives tools/call echo a SERVER span "tools/call echo", parented on the traceparent sent in _meta', async () => {
    const response = await post(served.url, 'tools/call', { id: 7, params: { name: 'echo', arguments: { text: 'hi' } }, meta: traced() });
    expect((await response.json()).result.content[0].text).toBe('hi');

    const span = spanNamed('tools/call echo');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.instrumentationScope.name).toBe('stateless-mcp');
    expect(span.spanContext().traceId).toBe(REMOTE.traceId);
    expect(span.parentSpanContext?.spanId).toBe(REMOTE.spanId);
    expect(span.parentSpanContext?.isRemote).toBe(true);
    expect(span.spanContext().traceState?.serialize()).toBe(REMOTE.tracestate);
    expect(span.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'echo',
      'mcp.protocol.version': MODERN,
      'jsonrpc.request.id': '7',
      'network.protocol.name': 'http',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.links).toEqual([]);
  });

  it('records mcp.server.operation.duration in seconds, with the conventions\' buckets and low-cardinality attributes', async () => {
    await post(served.url, 'tools/call', { id: 8, params: { name: 'echo', arguments: { text: 'a' } } });
    await post(served.url, 'tools/call', { id: 9, params: { name: 'echo', arguments: { text: 'b' } } });
    await post(served.url, 'tools/call', { id: 10, params: { name: 'fails' } });

    const histogram = await sdk.histogram('mcp.server.operation.duration');
    expect(histogram?.descriptor.unit).toBe('s');
    const points = histogram!.dataPoints;
    expect(points.map((p) => p.attributes)).toEqual([
      { 'mcp.method.name': 'tools/call', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'echo', 'mcp.protocol.version': MODERN, 'network.protocol.name': 'http' },
      {
        'mcp.method.name': 'tools/call',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'fails',
        'mcp.protocol.version': MODERN,
        'network.protocol.name': 'http',
        'error.type': 'tool_error',
      },
    ]);
    expect(points.map((p) => p.value.count)).toEqual([2, 1]);
    for (const point of points) expect(point.value.buckets.boundaries).toEqual(CONVENTION_BUCKETS);
  });

  it('marks a failing tool\'s span with error.type tool_error and status ERROR', async () => {
    const body = await (await post(served.url, 'tools/call', { params: { name: 'fails' }, meta: traced() })).json();
    expect(body.result.isError).toBe(true);
    const span = spanNamed('tools/call fails');
    expect(span.attributes['error.type']).toBe('tool_error');
    expect(span.attributes['rpc.response.status_code']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('names a JSON-RPC error by its code in error.type and rpc.response.status_code, its message in the status', async () => {
    const body = await (await post(served.url, 'tools/call', { params: { name: 'nope' } })).json();
    expect(body.error.code).toBe(-32602);
    const span = spanNamed('tools/call nope');
    expect(span.attributes['error.type']).toBe('-32602');
    expect(span.attributes['rpc.response.status_code']).toBe('-32602');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: body.error.message });
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('starts a new trace when _meta carries no usable trace context', async () => {
    for (const traceparent of ['garbage', 42, { nested: true }]) {
      const response = await post(served.url, 'tools/call', { params: { name: 'echo', arguments: { text: 'x' } }, meta: { traceparent } });
      expect(response.status).toBe(200);
    }
    const spans = sdk.spans().filter((span) => span.name === 'tools/call echo');
    expect(spans).toHaveLength(3);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
  });

  it('gives a request refused before dispatch its span too, with the error it was refused with', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'echo', arguments: { text: 'x' } }, meta: traced(), headers: { 'mcp-name': 'other' } });
    expect(response.status).toBe(400);
    const body = await response.json();
    const span = spanNamed('tools/call echo');
    expect(span.attributes['error.type']).toBe(`${body.error.code}`);
    expect(span.parentSpanContext?.spanId).toBe(REMOTE.spanId);
    // The log reads the same notes: it names the refusal's code too.
    expect(logged.at(-1)).toMatchObject({ method: 'tools/call', status: 400, errorCode: body.error.code });
  });

  it('keeps a streamed call\'s span open until its last message, and ends it with the stream', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'gated' }, meta: traced({ progressToken: 'p' }) });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const messages = readMessages(response);
    expect((await messages.next()).value?.method).toBe('notifications/progress');
    // The response is out and streaming; the call is not over.
    expect(sdk.spans().filter((span) => span.name === 'tools/call gated')).toEqual([]);
    release();
    const rest: Record<string, any>[] = [];
    for await (const message of messages) rest.push(message);
    expect(rest.map((m) => m.method ?? 'result')).toEqual(['notifications/progress', 'result']);
    expect(spanNamed('tools/call gated').parentSpanContext?.spanId).toBe(REMOTE.spanId);
  });

  it('runs the handler inside the span: spans the handler opens are its children', async () => {
    await post(served.url, 'tools/call', { params: { name: 'nested' }, meta: traced() });
    const server = spanNamed('tools/call nested');
    const inner = spanNamed('lookup');
    expect(inner.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(inner.spanContext().traceId).toBe(REMOTE.traceId);
  });

  it('names resources/read by its method alone and puts the URI on the span, not on the metric', async () => {
    await post(served.url, 'resources/read', { params: { uri: 'test://doc' } });
    const span = spanNamed('resources/read');
    expect(span.attributes['mcp.resource.uri']).toBe('test://doc');
    const histogram = await sdk.histogram('mcp.server.operation.duration');
    expect(histogram!.dataPoints.map((p) => p.attributes)).toEqual([{ 'mcp.method.name': 'resources/read', 'mcp.protocol.version': MODERN, 'network.protocol.name': 'http' }]);
  });

  it('gives each request of a 2025-03-26 batch its own span', async () => {
    const response = await postRaw(
      served.url,
      [
        { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'echo', arguments: { text: 'one' }, _meta: { traceparent: REMOTE.traceparent } } },
        { jsonrpc: '2.0', id: 'b', method: 'tools/list' },
      ],
      { 'mcp-protocol-version': '2025-03-26' },
    );
    expect(response.status).toBe(200);
    expect(spanNamed('tools/call echo').attributes).toMatchObject({ 'jsonrpc.request.id': 'a', 'mcp.protocol.version': '2025-03-26' });
    expect(spanNamed('tools/call echo').parentSpanContext?.spanId).toBe(REMOTE.spanId);
    expect(spanNamed('tools/list').attributes['jsonrpc.request.id']).toBe('b');
  });

  it('links the ambient span (an instrumented HTTP server\'s) while the _meta context stays the parent', async () => {
    const app = createMcpApp(createTracedServer(), { log: false });
    const ambient = trace.getTracer('http').startSpan('POST /mcp', { kind: SpanKind.SERVER });
    const { headers, body } = modernRequest('tools/call', { params: { name: 'echo', arguments: { text: 'x' } }, meta: traced() });
    const response = await context.with(trace.setSpan(context.active(), ambient), () => app.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', headers, body })));
    expect(response.status).toBe(200);
    ambient.end();
    const span = spanNamed('tools/call echo');
    expect(span.parentSpanContext?.spanId).toBe(REMOTE.spanId);
    expect(span.links.map((link) => link.context.spanId)).toEqual([ambient.spanContext().spanId]);
  });

  it('gives the request log only what it logged before, never the request or the hooks', async () => {
    await post(served.url, 'tools/call', { params: { name: 'echo', arguments: { text: 'secret' } }, meta: traced() });
    expect(Object.keys(logged.at(-1)!).sort()).toEqual(['body', 'durationMs', 'method', 'name', 'protocolVersion', 'status']);
  });
});

describe('without an SDK', () => {
  it('records nothing and throws nothing, however the trace context in _meta looks', async () => {
    // A provider the application made but never registered: it must see nothing.
    const exporter = new InMemorySpanExporter();
    const unregistered = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    for (const traceparent of [REMOTE.traceparent, 'garbage', 42]) {
      const response = await post(served.url, 'tools/call', { params: { name: 'echo', arguments: { text: 'x' } }, meta: { traceparent } });
      expect(response.status).toBe(200);
    }
    expect((await (await post(served.url, 'tools/call', { params: { name: 'fails' } })).json()).result.isError).toBe(true);
    expect(exporter.getFinishedSpans()).toEqual([]);
    await unregistered.shutdown();
  });

  it('records the histogram alone when only a meter provider is registered', async () => {
    const sdk = registerSdk({ traces: false });
    try {
      const response = await post(served.url, 'tools/call', { params: { name: 'echo', arguments: { text: 'x' } }, meta: { traceparent: 'not-a-traceparent' } });
      expect(response.status).toBe(200);
      expect(sdk.spans()).toEqual([]);
      expect((await sdk.histogram('mcp.server.operation.duration'))?.dataPoints[0]?.value.count).toBe(1);
    } finally {
      await sdk.unregister();
    }
  });
});
