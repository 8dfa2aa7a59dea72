// Response modes negotiated per request: JSON when nothing streams, SSE from the first
// notification, JSON Lines on request; each message flushed while the handler still runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { createBehaviourServer, createProbe } from '../fixtures/behaviour-server.ts';
import type { Probe } from '../fixtures/behaviour-server.ts';
import { post, postRaw, readMessages, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

let probe: Probe;
let served: Served;

beforeAll(async () => {
  probe = createProbe();
  served = await serveApp((options) => createMcpApp(createBehaviourServer(probe), { ...options, keepAliveMs: 50 }));
});
afterAll(() => served.close());

const progressMeta = { progressToken: 'tok' };

describe.each([
  ['SSE', 'application/json, text/event-stream', 'text/event-stream'],
  ['JSON Lines', 'application/json, text/event-stream, application/jsonl', 'application/jsonl'],
  ['JSON Lines (x-ndjson spelling)', 'application/json, application/x-ndjson', 'application/x-ndjson'],
  ['JSON Lines (json-lines spelling)', 'application/json, application/json-lines', 'application/json-lines'],
  ['JSON Lines only', 'application/json-lines', 'application/json-lines'],
  ['SSE only', 'text/event-stream', 'text/event-stream'],
])('%s', (_name, accept, contentType) => {
  it('delivers the first notification before the handler finishes, then the result', async () => {
    const gated = createProbe();
    const server = await serveApp((options) => createMcpApp(createBehaviourServer(gated), options));
    try {
      const response = await post(server.url, 'tools/call', { params: { name: 'gated', arguments: {} }, meta: progressMeta, headers: { accept } });
      expect(response.headers.get('content-type')).toBe(contentType);
      expect(response.headers.get('x-accel-buffering')).toBe('no');
      const seen: string[] = [];
      for await (const message of readMessages(response)) {
        seen.push(message.method ?? `result:${message.result?.content?.[0]?.text}`);
        // The handler is parked on the gate: this notification can only have come out mid-call.
        if (seen.length === 1) gated.release();
      }
      expect(seen).toEqual(['notifications/progress', 'notifications/progress', 'result:released']);
    } finally {
      await server.close();
    }
  });
});

describe('mode choice', () => {
  it('answers plain JSON when the handler sends nothing before its result, even if the client asked for JSON Lines', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'stubborn', arguments: {} }, headers: { accept: 'application/json, application/jsonl' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()).result.content[0].text).toBe('finally');
  });

  it('never picks JSON Lines unless the client lists it', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'quiet_wait', arguments: {} }, meta: progressMeta, headers: { accept: '*/*' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    await response.body?.cancel();
  });

  it('opens the stream with a keep-alive comment when a call stays silent, so idle proxies do not cut it', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'stubborn', arguments: {} } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    expect(text.startsWith(': keep-alive')).toBe(true);
    expect(text).toContain('"text":"finally"');
  });

  it('sends SSE keep-alive comments while a streamed call is quiet', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'quiet_wait', arguments: {} }, meta: progressMeta });
    const text = await response.text();
    expect(text).toContain(': keep-alive');
    expect(text.indexOf(': keep-alive')).toBeLessThan(text.indexOf('"result"'));
  });
});

describe('Accept negotiation: what a client that accepts less still gets', () => {
  const rows = { name: 'rows', arguments: { count: 3 } };
  const rowTexts = ['row 1...', 'row 2...', 'row 3...', '3 rows'];
  const textsOf = (result: { content: { text: string }[] }) => result.content.map((block) => block.text);

  it.each(['application/json-lines', 'application/jsonl', 'application/x-ndjson'])('answers Accept: %s alone with that Content-Type and the result as one line, though nothing streamed', async (accept) => {
    const response = await post(served.url, 'tools/list', { headers: { accept } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(accept);
    const body = await response.text();
    expect(body.endsWith('\n')).toBe(true);
    const lines = body.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).result.tools.map((tool: { name: string }) => tool.name)).toContain('rows');
  });

  it('answers a JSON Lines-only client with JSON Lines when the call streams: pieces, then the complete result', async () => {
    const response = await post(served.url, 'tools/call', { params: rows, meta: { partialResultToken: 'r' }, capabilities: { partialResults: {} }, headers: { accept: 'application/json-lines' } });
    expect(response.headers.get('content-type')).toBe('application/json-lines');
    const messages = [];
    for await (const message of readMessages(response)) messages.push(message);
    expect(messages.map((m) => m.params?.seq ?? 'result')).toEqual([0, 1, 2, 'result']);
    expect(textsOf(messages.at(-1)!.result)).toEqual(rowTexts);
  });

  it('keeps the HTTP status of an error for a JSON Lines-only client, its body one line', async () => {
    const response = await post(served.url, 'unknown/method', { headers: { accept: 'application/jsonl' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/jsonl');
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).error.code).toBe(-32601);
  });

  it('answers an SSE-only client with an event stream even for a lone result', async () => {
    const response = await post(served.url, 'tools/list', { headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const messages = [];
    for await (const message of readMessages(response)) messages.push(message);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.result.tools.length).toBeGreaterThan(0);
  });

  it('answers Accept: application/json alone with one JSON body: progress dropped, pieces folded into the result', async () => {
    const gated = createProbe();
    const server = await serveApp((options) => createMcpApp(createBehaviourServer(gated), options));
    try {
      gated.release();
      const progressed = await post(server.url, 'tools/call', { params: { name: 'gated', arguments: {} }, meta: progressMeta, headers: { accept: 'application/json' } });
      expect(progressed.status).toBe(200);
      expect(progressed.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await progressed.json()).result.content[0].text).toBe('released');
      const streamed = await post(server.url, 'tools/call', { params: rows, meta: { partialResultToken: 'r' }, capabilities: { partialResults: {} }, headers: { accept: 'application/json' } });
      expect(streamed.headers.get('content-type')).toMatch(/^application\/json/);
      expect(textsOf((await streamed.json()).result)).toEqual(rowTexts);
    } finally {
      await server.close();
    }
  });

  it('tells a 2025 client that reads only JSON at once that the server cannot ask it anything', async () => {
    // A client that declared elicitation: only the response mode stands in the way.
    const initialize = { jsonrpc: '2.0', id: 8, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'json-only', version: '1' } } };
    const initialized = await postRaw(served.url, initialize, { accept: 'application/json, text/event-stream' });
    const session = initialized.headers.get('mcp-session-id');
    expect(session).toBeTruthy();
    await initialized.body?.cancel();
    const legacy = { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'ask', arguments: {} } };
    const response = await postRaw(served.url, legacy, { accept: 'application/json', 'mcp-protocol-version': '2025-11-25', 'mcp-session-id': session! });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body.error.message).toMatch(/cannot send elicitation\/create.*Accept text\/event-stream/);
  });

  it('weighs q-values: a JSON Lines type with q=0 is not chosen', async () => {
    const response = await post(served.url, 'tools/call', { params: rows, meta: { partialResultToken: 'r' }, capabilities: { partialResults: {} }, headers: { accept: 'application/jsonl;q=0, application/json, text/event-stream' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    await response.body?.cancel();
  });

  it.each(['text/html', 'application/json;q=0, text/event-stream;q=0, application/jsonl;q=0'])('answers 406 only when nothing we write is acceptable: %s', async (accept) => {
    const response = await post(served.url, 'tools/list', { headers: { accept } });
    expect(response.status).toBe(406);
    expect((await response.json()).error.message).toMatch(/^Not Acceptable/);
  });
});

describe('cancellation and limits', () => {
  it('treats a closed response stream as cancellation and aborts the handler signal', async () => {
    const controller = new AbortController();
    const response = await post(served.url, 'tools/call', { params: { name: 'watch_cancel', arguments: {} }, meta: progressMeta, signal: controller.signal });
    const messages = readMessages(response);
    expect((await messages.next()).value.method).toBe('notifications/progress');
    controller.abort();
    await expect.poll(() => probe.cancelled, { timeout: 2000 }).toBe(true);
  });

  it('answers a clear error when a handler outlives timeoutMs, without waiting for it', async () => {
    const limited = await serveApp((options) => createMcpApp(createBehaviourServer(createProbe()), { ...options, timeoutMs: 100 }));
    try {
      const response = await post(limited.url, 'tools/call', { params: { name: 'stubborn', arguments: {} } });
      const body = await response.json();
      expect(body.error.code).toBe(-32603);
      expect(body.error.message).toContain('timed out');
    } finally {
      await limited.close();
    }
  });
});

describe('logging', () => {
  it('emits no notifications/message without a logLevel in _meta', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'logs', arguments: {} } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()).result.content[0].text).toBe('logged');
  });

  it('emits only messages at or above the requested level', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'logs', arguments: {} }, meta: { 'io.modelcontextprotocol/logLevel': 'warning' } });
    const levels: string[] = [];
    for await (const message of readMessages(response)) if (message.method === 'notifications/message') levels.push(message.params.level);
    expect(levels).toEqual(['error']);
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));
