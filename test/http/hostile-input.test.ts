// Requests a fuzzer or a careless client sends: huge batches, objects where names belong, names
// that objects inherit, and JSON nested far deeper than any real call. Each gets the precise
// JSON-RPC error, never a 5xx and never a dispatch to something that was not registered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { ResourceTemplate } from '../../src/index.ts';
import { createBehaviourServer, createProbe } from '../fixtures/behaviour-server.ts';
import { MODERN, post, postRaw, readMessages, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

let served: Served;
let small: Served;

function hostileServer() {
  const server = createBehaviourServer(createProbe(), { clientRequestTimeoutMs: 5_000 });
  server.registerPrompt('greet', { arguments: [{ name: 'who' }], complete: { who: () => ['Ada', 'Grace'] } }, () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }],
  }));
  server.registerResource('user', new ResourceTemplate('users://{id}', { complete: { id: () => ['1', '2'] } }), {}, (uri) => ({ contents: [{ uri: uri.href, text: 'user' }] }));
  server.registerTool('odd_key', { description: 'Asks with an input key objects inherit' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Sure?', requestedSchema: { type: 'object', properties: {} } }, '__proto__');
    return { content: [{ type: 'text', text: `answered ${answer.action}` }] };
  });
  return server;
}

beforeAll(async () => {
  served = await serveApp((options) => createMcpApp(hostileServer(), options));
  small = await serveApp((options) => createMcpApp(hostileServer(), { ...options, maxBatchLength: 2 }));
});
afterAll(async () => {
  await served.close();
  await small.close();
});

const LEGACY = { 'mcp-protocol-version': '2025-11-25' };
const request = (id: number | string, method: string, params?: Record<string, unknown>) => (params ? { jsonrpc: '2.0', id, method, params } : { jsonrpc: '2.0', id, method });

/** `id: null` asserts the error carries no id. */
async function expectError(response: Response, status: number, code: number, id: string | number | null = 1) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body.error.code).toBe(code);
  expect(body.id).toBe(id === null ? undefined : id);
  return body.error as { code: number; message: string; data?: unknown };
}

/**
 * Calls the `ask` tool in a 2025-11-25 session that declared elicitation, answers each
 * elicitation/create with `reply(id)` (a JSON text), and returns the answers' HTTP statuses and
 * the call's final message.
 */
async function askAndReply(reply: (id: string) => string): Promise<{ replies: number[]; final: Record<string, any> | undefined }> {
  const init = await postRaw(served.url, request(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'raw', version: '1' } }), {});
  await init.body?.cancel();
  const session = { ...LEGACY, 'mcp-session-id': init.headers.get('mcp-session-id')! };
  const response = await postRaw(served.url, request(7, 'tools/call', { name: 'ask', arguments: {} }), session);
  const replies: number[] = [];
  let final: Record<string, any> | undefined;
  for await (const message of readMessages(response)) {
    if (message.method === 'elicitation/create') replies.push((await postRaw(served.url, reply(message.id), session)).status);
    else if (message.id === 7) final = message;
  }
  return { replies, final };
}

/** JSON text nesting `depth` objects (built as text: JSON.stringify itself would overflow the stack). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('JSON-RPC batches (2025-03-26 only)', () => {
  // Three-digit ids, so every answer is as long as the single one below.
  const lists = (n: number) => Array.from({ length: n }, (_, i) => request(101 + i, 'tools/list'));

  it('refuses a batch longer than maxBatchLength (default 16) with 400 -32600 saying how to split it', async () => {
    // No MCP-Protocol-Version header: a 2025 client that assumes 2025-03-26, the revision with batches.
    const error = await expectError(await postRaw(served.url, lists(17), {}), 400, -32600, null);
    expect(error.message).toMatch(/17 messages.*at most 16/);
    expect(error.message).toMatch(/smaller batches|one message per POST/);
  });

  it('refuses the 4 MiB batch of tools/list that once made 89,000 calls', async () => {
    const body = `[${Array(80_000).fill(JSON.stringify(request(1, 'tools/list'))).join(',')}]`;
    const response = await postRaw(served.url, body, {});
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await expectError(response, 400, -32600, null);
  });

  it('answers a batch of exactly maxBatchLength, no larger than as many single answers', async () => {
    const single = await (await postRaw(served.url, request(100, 'tools/list'), {})).text();
    const response = await postRaw(served.url, lists(16), {});
    expect(response.status).toBe(200);
    const text = await response.text();
    const body = JSON.parse(text) as { id: number }[];
    expect(body.map((r) => r.id)).toEqual(Array.from({ length: 16 }, (_, i) => 101 + i));
    // Array brackets and commas aside, the bytes are those of 16 separate answers.
    expect(text.length).toBeLessThanOrEqual(16 * (single.length + 1) + 1);
  });

  it('counts notifications and responses toward the limit too, and honours a configured maxBatchLength', async () => {
    const batch = [request(1, 'ping'), { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 's2c-x', result: {} }];
    const error = await expectError(await postRaw(small.url, batch, { 'mcp-protocol-version': '2025-03-26' }), 400, -32600, null);
    expect(error.message).toMatch(/3 messages.*at most 2/);
    expect((await postRaw(small.url, batch.slice(0, 2), { 'mcp-protocol-version': '2025-03-26' })).status).toBe(200);
  });

  it.each(['2024-11-05', '2025-06-18', '2025-11-25', MODERN])('refuses any batch declared as %s', async (version) => {
    const error = await expectError(await postRaw(served.url, [request(1, 'ping')], { 'mcp-protocol-version': version }), 400, -32600, null);
    expect(error.message).toContain('one message per POST');
  });

  it('answers initialize inside a batch with its own -32600 (it must be sent alone) and the rest normally', async () => {
    const response = await postRaw(served.url, [request('i', 'initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'c', version: '1' } }), request('p', 'ping')], {});
    expect(response.status).toBe(200);
    const answers = (await response.json()) as Record<string, any>[];
    const init = answers.find((answer) => answer.id === 'i');
    const ping = answers.find((answer) => answer.id === 'p');
    expect(init).toMatchObject({ id: 'i', error: { code: -32600 } });
    expect(init!.error.message).toContain('initialize');
    expect(ping).toMatchObject({ id: 'p', result: {} });
  });

  it('answers a 2026-07-28 request inside a batch with its own -32600', async () => {
    const modern = request('m', 'tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} } });
    const [answer] = (await (await postRaw(served.url, [modern], {})).json()) as Record<string, any>[];
    expect(answer).toMatchObject({ id: 'm', error: { code: -32600 } });
    expect(answer!.error.message).toContain(MODERN);
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 20 }));
