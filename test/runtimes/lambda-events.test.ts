// The Lambda entry on each event type AWS sends (API Gateway REST v1, HTTP API v2, ALB with and
// without multi-value headers, Function URL): event → Request and Response → result, in process.
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Writable } from 'node:stream';
import { handle, isContentTypeBinary, streamHandle } from '../../src/adapter/lambda.ts';
import type { LambdaOptions } from '../../src/adapter/lambda.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createServer, jsonSchema } from '../../src/index.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { ALB_DOMAIN, URL_DOMAIN, albEvent, albMultiValueEvent, functionUrlEvent, httpApiV2Event, restApiV1Event } from '../fixtures/lambda-events.ts';
import type { McpPost } from '../fixtures/lambda-events.ts';
import { modernRequest } from '../support/raw-client.ts';

const context = (remainingMs = 30_000) => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'stateless-mcp',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-2:123456789012:function:stateless-mcp',
  memoryLimitInMB: '512',
  awsRequestId: '8f507cfc-xmpl-4697-b07a-ac58fc914c95',
  logGroupName: '/aws/lambda/stateless-mcp',
  logStreamName: '2024/03/12/[$LATEST]abc',
  getRemainingTimeInMillis: () => remainingMs,
});

function mcpPost(method: string, options: Parameters<typeof modernRequest>[1] = {}): McpPost {
  return modernRequest(method, options);
}

type Result = { statusCode: number; body: string; isBase64Encoded: boolean; headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]>; cookies?: string[] };

const events = [
  { service: 'API Gateway REST API (payload 1.0)', toEvent: restApiV1Event, host: 'r3pmxmplak.execute-api.us-east-2.amazonaws.com', query: '?tenant=acme', multiValue: true },
  { service: 'API Gateway HTTP API (payload 2.0)', toEvent: httpApiV2Event, host: 'r3pmxmplak.execute-api.us-east-2.amazonaws.com', query: '?tenant=acme', multiValue: false },
  { service: 'Function URL', toEvent: (post: McpPost) => functionUrlEvent(post), host: URL_DOMAIN, query: '', multiValue: false },
  { service: 'Function URL, base64 body', toEvent: (post: McpPost) => functionUrlEvent(post, { base64: true }), host: URL_DOMAIN, query: '', multiValue: false },
  { service: 'ALB', toEvent: albEvent, host: ALB_DOMAIN, query: '?tenant=acme', multiValue: false },
  { service: 'ALB, multi-value headers', toEvent: albMultiValueEvent, host: ALB_DOMAIN, query: '?tenant=acme', multiValue: true },
];

const header = (result: Result, name: string) => result.headers?.[name] ?? result.multiValueHeaders?.[name]?.[0];
const invoke = (app: Hono, event: unknown, remainingMs?: number) => handle(app)(event as never, context(remainingMs)) as Promise<Result>;

describe.each(events)('$service', ({ toEvent, host, query, multiValue }) => {
  it('becomes the Request the client sent: method, URL, headers, cookies and body', async () => {
    const seen: { method: string; url: string; headers: Record<string, string>; body: string }[] = [];
    const echo = new Hono().all('*', async (c) => {
      seen.push({ method: c.req.method, url: c.req.url, headers: Object.fromEntries(c.req.raw.headers), body: await c.req.text() });
      return c.text('ok');
    });
    const post = mcpPost('tools/call', { params: { name: 'test_simple_text', arguments: {} } });
    await invoke(echo, toEvent({ ...post, cookie: 'a=1; b=2' }));

    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(`https://${host}/mcp${query}`);
    expect(request!.headers).toMatchObject({ host, 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'test_simple_text' });
    expect(request!.headers.cookie).toBe('a=1; b=2');
    expect(JSON.parse(request!.body)).toEqual(JSON.parse(post.body));
  });

  it('answers an MCP call with the result shape of its service', async () => {
    const result = await invoke(createMcpApp(createConformanceServer()), toEvent(mcpPost('server/discover')));
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(false);
    expect(JSON.parse(result.body).result.supportedVersions).toContain('2026-07-28');
    expect(header(result, 'content-type')).toMatch(/^application\/json/);
    // Payload 1.0 and multi-value ALB answer in multiValueHeaders, the others in headers.
    expect(Object.keys(multiValue ? result.multiValueHeaders! : result.headers!)).toContain('content-type');
  });

  it.each([
    ['SSE', 'application/json, text/event-stream', /^text\/event-stream/, 'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress"'],
    ['JSON Lines', 'application/json, application/jsonl', /^application\/jsonl/, '{"jsonrpc":"2.0","method":"notifications/progress"'],
  ])('buffers a streamed call as %s text, not base64', async (_mode, accept, contentType, start) => {
    const post = mcpPost('tools/call', { params: { name: 'test_tool_with_progress', arguments: {} }, meta: { progressToken: 't' }, headers: { accept } });
    const result = await invoke(createMcpApp(createConformanceServer()), toEvent(post));
    expect(result.statusCode).toBe(200);
    expect(header(result, 'content-type')).toMatch(contentType);
    expect(result.isBase64Encoded).toBe(false);
    expect(result.body.startsWith(start)).toBe(true);
    expect(result.body).toContain('Progress test completed');
  });

  it('refuses a Host outside allowedHosts with 403', async () => {
    const result = await invoke(createMcpApp(createConformanceServer(), { allowedHosts: ['mcp.example.com'] }), toEvent(mcpPost('server/discover')));
    expect(result.statusCode).toBe(403);
  });
});

describe('the Lambda deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const deadlineSeen = async (remainingMs: number, options?: LambdaOptions) => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const seen: unknown[] = [];
    const echo = new Hono<{ Bindings: { mcpDeadline?: number } }>().all('*', (c) => (seen.push(c.env.mcpDeadline), c.text('ok')));
    await handle(echo, options)(functionUrlEvent(mcpPost('server/discover')) as never, context(remainingMs));
    return seen;
  };

  it('hands the app the invocation deadline less 1 s as the mcpDeadline binding (epoch ms)', async () => {
    expect(await deadlineSeen(30_000)).toEqual([1_000_000 + 29_000]);
  });

  it('takes another margin from deadlineMarginMs, and never sets the deadline in the past', async () => {
    expect(await deadlineSeen(30_000, { deadlineMarginMs: 5_000 })).toEqual([1_000_000 + 25_000]);
    expect(await deadlineSeen(500)).toEqual([1_000_000]);
  });

  it('ends a call before the invocation deadline with a timeout error, instead of Lambda killing it', { timeout: 10_000 }, async () => {
    const server = createServer({ name: 'deadline', version: '1.0.0' });
    server.registerTool('wait_for_abort', { inputSchema: jsonSchema({ type: 'object', properties: {} }) }, (_args, ctx) =>
      new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ content: [{ type: 'text', text: 'stopped' }] }))),
    );
    // Fake timers: 1.2 s remaining and a 1 s margin end the call at exactly 200 ms, not before.
    vi.useFakeTimers();
    try {
      let settled = false;
      const result = invoke(createMcpApp(server), functionUrlEvent(mcpPost('tools/call', { params: { name: 'wait_for_abort', arguments: {} } })), 1_200).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(199);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(JSON.parse((await result).body).error.message).toMatch(/^Request timed out/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('isContentTypeBinary', () => {
  it.each([
    ['text/event-stream', false],
    ['text/event-stream; charset=utf-8', false],
    ['application/jsonl', false],
    ['application/json-lines', false],
    ['application/x-ndjson', false],
    ['application/json; charset=UTF-8', false],
    ['text/plain', false],
    ['image/png', true],
    ['application/octet-stream', true],
  ])('%s → %s', (contentType, binary) => {
    expect(isContentTypeBinary(contentType)).toBe(binary);
  });
});

describe('streamHandle', () => {
  const global = globalThis as { awslambda?: unknown };
  afterEach(() => {
    delete global.awslambda;
  });

  it('names the fix when it runs outside the Lambda Node.js runtime', () => {
    expect(() => streamHandle(new Hono())).toThrow(/awslambda.*use handle\(\) elsewhere/);
  });

  it('hands the app the invocation deadline less the margin as mcpDeadline, as handle does', async () => {
    global.awslambda = { streamifyResponse: <T>(handler: T) => handler, HttpResponseStream: { from: (stream: Writable) => stream } };
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const seen: unknown[] = [];
    const echo = new Hono<{ Bindings: { mcpDeadline?: number } }>().all('*', (c) => (seen.push(c.env.mcpDeadline), c.text('ok')));
    const handler = streamHandle(echo, { deadlineMarginMs: 2_000 }) as unknown as (event: unknown, stream: Writable, context: unknown) => Promise<void>;
    await handler(functionUrlEvent(mcpPost('server/discover')), new Writable({ write: (_data, _encoding, done) => done() }), context(30_000));
    vi.useRealTimers();
    expect(seen).toEqual([1_000_000 + 28_000]);
  });

  it('writes no faster than the response stream drains (backpressure)', async () => {
    // The two calls aws-lambda-ric's global provides, reduced to what they do to the stream.
    global.awslambda = {
      streamifyResponse: <T>(handler: T) => handler,
      HttpResponseStream: { from: (stream: Writable, prelude: unknown) => (stream.write(`${JSON.stringify(prelude)}\0\0\0\0\0\0\0\0`), stream) },
    };
    const chunk = new Uint8Array(1024).fill(46);
    const app = new Hono().get('/', () => new Response(new ReadableStream({ start(controller) { for (let i = 0; i < 64; i++) controller.enqueue(chunk); controller.close(); } })));
    let received = 0;
    let mostBuffered = 0;
    const slow = new Writable({
      highWaterMark: 2048,
      write(data: Buffer, _encoding, done) {
        received += data.length;
        setTimeout(done, 1);
      },
    });
    const watch = setInterval(() => (mostBuffered = Math.max(mostBuffered, slow.writableLength)), 0);
    const handler = streamHandle(app) as unknown as (event: unknown, stream: Writable, context: unknown) => Promise<void>;
    await handler({ ...functionUrlEvent(mcpPost('server/discover')), requestContext: { ...functionUrlEvent(mcpPost('server/discover')).requestContext, http: { method: 'GET', path: '/' } }, rawPath: '/', body: null }, slow, context());
    clearInterval(watch);
    expect(received).toBeGreaterThan(64 * 1024);
    // Without waiting for 'drain' all 64 KiB would sit in the stream's buffer at once.
    expect(mostBuffered).toBeLessThanOrEqual(2048 + 1024);
  });
});
