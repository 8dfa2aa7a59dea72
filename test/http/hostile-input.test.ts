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

  it.each([0, -1, 1.5, Number.NaN])('refuses maxBatchLength %s when the app is built', (maxBatchLength) => {
    expect(() => createMcpApp(hostileServer(), { maxBatchLength })).toThrow(/maxBatchLength must be a positive integer/);
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

describe('objects where a name belongs', () => {
  const object = { toString: 1 };

  it.each([
    ['tools/call', { name: object, arguments: {} }],
    ['prompts/get', { name: object }],
    ['resources/read', { uri: object }],
    ['tools/call', { name: 42, arguments: {} }],
    ['resources/read', { uri: ['users://1'] }],
  ])('answers 400 -32602 (2026-07-28) when %s has %j', async (method, params) => {
    const error = await expectError(await post(served.url, method, { params, headers: { 'mcp-name': 'x' } }), 400, -32602);
    expect(error.message).toMatch(/params\.(name|uri) must be a string/);
  });

  it.each([
    ['tools/call', { name: object, arguments: {} }],
    ['prompts/get', { name: object }],
    ['resources/read', { uri: object }],
    ['completion/complete', { ref: { type: 'ref/prompt', name: object }, argument: { name: 'who', value: '' } }],
    ['completion/complete', { ref: { type: 'ref/resource', uri: object }, argument: { name: 'id', value: '' } }],
    ['tools/list', { cursor: object }],
  ])('answers -32602 (2025) when %s has %j', async (method, params) => {
    const error = await expectError(await postRaw(served.url, request(1, method, params), LEGACY), 200, -32602);
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('answers -32602 to a cursor that is not a string, also once the first page is cached', async () => {
    expect((await (await postRaw(served.url, request(1, 'prompts/list'), LEGACY)).json()).result.prompts.length).toBeGreaterThan(0);
    // String([[[]]]) is "", the first page's cache key.
    await expectError(await postRaw(served.url, request(1, 'prompts/list', { cursor: [[[]]] }), LEGACY), 200, -32602);
  });

  it('answers -32602 when completion context arguments are not strings', async () => {
    const params = { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'who', value: '' }, context: { arguments: { who: object } } };
    const error = await expectError(await postRaw(served.url, request(1, 'completion/complete', params), LEGACY), 200, -32602);
    expect(error.message).toContain('context.arguments');
  });

  it('answers -32602 when prompt arguments are not strings', async () => {
    const error = await expectError(await postRaw(served.url, request(1, 'prompts/get', { name: 'greet', arguments: { who: object } }), LEGACY), 200, -32602);
    expect(error.message).toContain('strings');
  });

  it.each([
    ['an object for a boolean', 'verbose', JSON.stringify(object)],
    ['an object nested 100,000 deep for a string', 'region', nested(100_000)],
  ])('answers 400 -32020 describing an Mcp-Param argument that is %s', async (_row, argument, value) => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"regional","arguments":{"${argument}":${value}},"_meta":{"io.modelcontextprotocol/protocolVersion":"${MODERN}","io.modelcontextprotocol/clientCapabilities":{}}}}`;
    const response = await post(served.url, 'tools/call', { params: { name: 'regional' }, body, headers: { [`mcp-param-${argument}`]: 'true' } });
    const error = await expectError(response, 400, -32020);
    expect(error.message).toContain(`Mcp-Param-${argument}`);
    expect(error.message).toContain('(an object)');
  });

  it('takes a client error answer whose message and code are objects, and ends the waiting call cleanly', async () => {
    const { replies, final } = await askAndReply((id) => JSON.stringify({ jsonrpc: '2.0', id, error: { code: { valueOf: 1 }, message: object } }));
    expect(replies).toEqual([202]);
    expect(final?.error.message).toContain('elicitation/create');
  });
});

describe('names that every object inherits', () => {
  const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupGetter__'];

  // 2026-07-28: also proves the Mcp-Name table does not demand a header for an inherited method name.
  it.each(INHERITED)('answers 404 -32601 to method %s (2026-07-28)', async (method) => {
    const error = await expectError(await post(served.url, method), 404, -32601);
    expect(error.message).toContain(`Method not found: ${method}`);
  });

  it.each(INHERITED)('answers -32601 to method %s (2025)', async (method) => {
    await expectError(await postRaw(served.url, request(1, method), LEGACY), 200, -32601);
  });

  it.each(INHERITED)('answers -32602 "Unknown tool" to tool %s', async (name) => {
    const response = await post(served.url, 'tools/call', { params: { name, arguments: {} } });
    expect((await expectError(response, 200, -32602)).message).toContain(`Unknown tool "${name}"`);
  });

  it.each(INHERITED)('answers -32602 "Unknown prompt" to prompt %s', async (name) => {
    const response = await post(served.url, 'prompts/get', { params: { name } });
    expect((await expectError(response, 200, -32602)).message).toContain(`Unknown prompt "${name}"`);
  });

  it.each(INHERITED)('answers -32602 naming the URI to resource %s', async (uri) => {
    const response = await post(served.url, 'resources/read', { params: { uri } });
    expect((await expectError(response, 200, -32602)).data).toEqual({ uri });
  });

  it.each(INHERITED)('completes no values for argument %s (prompt and template)', async (name) => {
    for (const ref of [{ type: 'ref/prompt', name: 'greet' }, { type: 'ref/resource', uri: 'users://{id}' }]) {
      const response = await post(served.url, 'completion/complete', { params: { ref, argument: { name, value: '' } } });
      expect(response.status).toBe(200);
      expect((await response.json()).result.completion).toEqual({ values: [] });
    }
  });

  it.each(INHERITED)('answers -32602 to prompt %s in a completion ref', async (name) => {
    const response = await post(served.url, 'completion/complete', { params: { ref: { type: 'ref/prompt', name }, argument: { name: 'who', value: '' } } });
    expect((await expectError(response, 200, -32602)).message).toContain(`Unknown prompt "${name}"`);
  });

  it('asks and resumes with an input key objects inherit, as an ordinary key', async () => {
    const first = await (await post(served.url, 'tools/call', { params: { name: 'odd_key', arguments: {} }, capabilities: { elicitation: {} } })).text();
    // A JSON text check: parsing would turn the own "__proto__" key into a prototype.
    expect(first).toMatch(/"inputRequests":\{"__proto__":\{"method":"elicitation\/create"/);
    const requestState = JSON.parse(first).result.requestState as string;
    const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"odd_key","arguments":{},"requestState":${JSON.stringify(requestState)},"inputResponses":{"__proto__":{"action":"accept","content":{}}},"_meta":{"io.modelcontextprotocol/protocolVersion":"${MODERN}","io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}}}}`;
    const second = await post(served.url, 'tools/call', { params: { name: 'odd_key' }, body });
    expect((await second.json()).result.content[0].text).toBe('answered accept');
  });
});

describe('JSON nested deeper than the server reads (128 levels)', () => {
  const meta = `"_meta":{"io.modelcontextprotocol/protocolVersion":"${MODERN}","io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}}`;
  const modern = (method: string, params: string) => `{"jsonrpc":"2.0","id":1,"method":"${method}","params":{${params},${meta}}}`;

  it.each([
    ['MRTR tool arguments', 'tools/call', `"name":"ask","arguments":${nested(100_000)}`, { 'mcp-name': 'ask' }],
    ['arguments digested for an Idempotency-Key', 'tools/call', `"name":"charge","arguments":{"cents":1,"deep":${nested(100_000)}}`, { 'mcp-name': 'charge', 'idempotency-key': 'k-deep' }],
    ['a cursor', 'tools/list', `"cursor":${nested(100_000)}`, {}],
    ['input responses', 'tools/call', `"name":"ask","arguments":{},"inputResponses":{"name":${nested(100_000)}}`, { 'mcp-name': 'ask' }],
  ])('answers -32602 naming the limit for %s nested 100,000 deep (2026-07-28)', async (_row, method, params, headers) => {
    const response = await post(served.url, method, { body: modern(method, params), headers });
    expect(response.status).toBeLessThan(500);
    const error = (await response.json()).error;
    expect(error.code).toBe(-32602);
    expect(error.message).toContain('128 levels');
  });

  it('answers -32602 to deep tool arguments on the 2025 lane', async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ask","arguments":${nested(100_000)}}}`;
    const error = await expectError(await postRaw(served.url, body, LEGACY), 200, -32602);
    expect(error.message).toContain('128 levels');
  });

  it('accepts params 128 levels deep and refuses 129', async () => {
    // params is level 1 and arguments level 2, so `deep` adds levels 3 to depth + 2.
    const call = (depth: number) =>
      post(served.url, 'tools/call', { body: modern('tools/call', `"name":"typed","arguments":{"city":"x","days":1,"deep":${nested(depth)}}`), headers: { 'mcp-name': 'typed' } });
    expect((await (await call(126)).json()).result.content[0].text).toBe('x for 1 days');
    expect((await (await call(127)).json()).error.code).toBe(-32602);
  });

  it('delivers a deep client answer to the waiting handler as an error naming the limit', async () => {
    const { replies, final } = await askAndReply((id) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${nested(100_000)}}`);
    expect(replies).toEqual([202]);
    expect(final?.error.message).toContain('128 levels');
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 20 }));
