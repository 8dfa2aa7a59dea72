// OpenTelemetry in the client: a CLIENT span per call whose context rides in `params._meta`, so the
// server's SERVER span is its child — one trace from the caller's span to the tool, over real HTTP.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import * as z from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/index.ts';
import type { FetchLike } from '../../src/client/index.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createServer } from '../../src/index.ts';
import { freePorts } from '../support/processes.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { CONVENTION_BUCKETS, registerSdk } from './sdk.ts';
import type { RegisteredSdk } from './sdk.ts';

let served: Served;
beforeAll(async () => {
  const server = createServer({ name: 'traced', version: '1.0.0' });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('fails', {}, () => {
    throw new Error('the weather service is down');
  });
  served = await serveApp((options) => createMcpApp(server, { ...options, log: false }));
});
afterAll(() => served.close());

/** The `_meta` of every POST the client sends. */
function recordingFetch(sent: Record<string, unknown>[]): FetchLike {
  return async (input, init) => {
    const body = JSON.parse(String(init?.body)) as { params?: { _meta?: Record<string, unknown> } };
    sent.push(body.params?._meta ?? {});
    return fetch(input, init);
  };
}

describe('with an SDK registered', () => {
  let sdk: RegisteredSdk;
  afterEach(() => sdk.unregister());

  it('makes one trace: the caller\'s span, the CLIENT span "tools/call echo", the server\'s SERVER span', async () => {
    sdk = registerSdk();
    const sent: Record<string, unknown>[] = [];
    const client = createClient(served.url, { era: 'modern', fetch: recordingFetch(sent) });
    const agent = trace.getTracer('app').startSpan('invoke_agent');
    const result = await context.with(trace.setSpan(context.active(), agent), () => client.callTool('echo', { text: 'hi' }));
    agent.end();
    expect(result.content).toEqual([{ type: 'text', text: 'hi' }]);

    const spans = sdk.spans();
    const callSpan = spans.find((s) => s.name === 'tools/call echo' && s.kind === SpanKind.CLIENT)!;
    const serverSpan = spans.find((s) => s.name === 'tools/call echo' && s.kind === SpanKind.SERVER)!;
    expect(callSpan.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(callSpan.spanContext().spanId);
    expect(new Set([agent, callSpan, serverSpan].map((s) => s.spanContext().traceId)).size).toBe(1);
    // The server learnt its parent from the traceparent the client injected into `_meta`.
    expect(sent.at(-1)?.traceparent).toBe(`00-${callSpan.spanContext().traceId}-${callSpan.spanContext().spanId}-01`);
    expect(callSpan.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'echo',
      'network.protocol.name': 'http',
      'server.address': '127.0.0.1',
      'server.port': served.port,
    });
    expect(callSpan.status.code).toBe(SpanStatusCode.UNSET);

    const histogram = await sdk.histogram('mcp.client.operation.duration');
    expect(histogram?.descriptor.unit).toBe('s');
    expect(histogram?.dataPoints.find((p) => p.attributes['gen_ai.tool.name'] === 'echo')?.value.buckets.boundaries).toEqual(CONVENTION_BUCKETS);
  });

  it('marks an isError result tool_error, and a JSON-RPC error by its code', async () => {
    sdk = registerSdk();
    const client = createClient(served.url, { era: 'modern' });
    expect((await client.callTool('fails')).isError).toBe(true);
    await expect(client.callTool('missing')).rejects.toMatchObject({ rpcCode: -32602 });

    const failed = sdk.spans().find((s) => s.name === 'tools/call fails' && s.kind === SpanKind.CLIENT)!;
    expect(failed.attributes['error.type']).toBe('tool_error');
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    const missing = sdk.spans().find((s) => s.name === 'tools/call missing' && s.kind === SpanKind.CLIENT)!;
    expect(missing.attributes).toMatchObject({ 'error.type': '-32602', 'rpc.response.status_code': '-32602' });
    expect(missing.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('names a failure without a JSON-RPC error by the client\'s own code', async () => {
    sdk = registerSdk();
    const [port] = await freePorts(1);
    const unreachable = createClient(`http://127.0.0.1:${port}/mcp`, { era: 'modern' });
    await expect(unreachable.request('ping')).rejects.toMatchObject({ code: 'UNREACHABLE' });
    const span = sdk.spans().find((s) => s.name === 'ping')!;
    expect(span.attributes).toMatchObject({ 'error.type': 'UNREACHABLE', 'server.port': port });
    expect(span.attributes['rpc.response.status_code']).toBeUndefined();
  });
});

describe('without an SDK', () => {
  it('sends no trace context and records nothing', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = createClient(served.url, { era: 'modern', fetch: recordingFetch(sent) });
    expect((await client.callTool('echo', { text: 'x' })).content).toEqual([{ type: 'text', text: 'x' }]);
    expect(sent.length).toBeGreaterThan(0);
    for (const meta of sent) expect(Object.keys(meta).filter((key) => !key.startsWith('io.modelcontextprotocol/'))).toEqual([]);
  });
});
