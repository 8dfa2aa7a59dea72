// One test per row of the HTTP status and JSON-RPC error tables of the MCP 2026-07-28 specification
// (docs/specification/2026-07-28: basic/transports, Streamable HTTP, and the error codes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { createBehaviourServer, createProbe } from '../fixtures/behaviour-server.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { MODERN, post, postRaw, postWithHost, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

let served: Served;
let conformance: Served;

beforeAll(async () => {
  served = await serveApp((options) => createMcpApp(createBehaviourServer(createProbe()), { ...options, maxBodyBytes: 1024 }));
  conformance = await serveApp((options) => createMcpApp(createConformanceServer(), options));
});
afterAll(async () => {
  await served.close();
  await conformance.close();
});

/** `id: null` asserts the error carries no id (the request's id was unknown or unreadable). */
async function expectError(response: Response, status: number, code: number, id: string | number | null = 1) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(20);
  expect(body.id).toBe(id === null ? undefined : id);
  return body;
}

describe('2026-07-28 status table', () => {
  it('answers a request with 200 application/json when the handler emits nothing first', async () => {
    const response = await post(served.url, 'tools/list');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()).result.resultType).toBe('complete');
  });

  it('answers a tool execution error with 200 and isError, the thrown message for the model', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'fails', arguments: {} } });
    expect(response.status).toBe(200);
    const { result } = await response.json();
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toBe('the weather service is down');
  });

  it('answers invalid tool arguments with an isError result that names the problem', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'typed', arguments: { city: 3, days: 0 } } });
    const { result } = await response.json();
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toContain('arguments.city');
    expect(result.content[0].text).toContain('arguments.days');
  });

  it('answers 202 with no body to a notification', async () => {
    const response = await post(served.url, 'notifications/cancelled', { id: null, params: { requestId: 1 } });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });

  it.each([
    ['MCP-Protocol-Version missing', { headers: { 'mcp-protocol-version': null } }],
    ['MCP-Protocol-Version disagrees with _meta', { headers: { 'mcp-protocol-version': '2025-11-25' } }],
    ['Mcp-Method missing', { headers: { 'mcp-method': null } }],
    ['Mcp-Method disagrees with the body', { headers: { 'mcp-method': 'tools/list' } }],
    ['Mcp-Method differs only in case', { headers: { 'mcp-method': 'TOOLS/CALL' } }],
    ['Mcp-Name missing on tools/call', { headers: { 'mcp-name': null } }],
    ['Mcp-Name disagrees with params.name', { headers: { 'mcp-name': 'other' } }],
    ['Mcp-Name holds a badly padded base64 sentinel', { headers: { 'mcp-name': '=?base64?Zm9v=?=' } }],
  ])('answers 400 -32020 when %s', async (_row, overrides) => {
    await expectError(await post(served.url, 'tools/call', { params: { name: 'fails', arguments: {} }, ...overrides }), 400, -32020);
  });

  it('accepts a base64-sentinel Mcp-Name that decodes to the body value', async () => {
    const encoded = `=?base64?${btoa('fails')}?=`;
    const response = await post(served.url, 'tools/call', { params: { name: 'fails', arguments: {} }, headers: { 'mcp-name': encoded } });
    expect(response.status).toBe(200);
  });

  describe('Mcp-Param-* mirroring of x-mcp-header arguments', () => {
    const call = (args: Record<string, unknown>, headers: Record<string, string | null>) =>
      post(served.url, 'tools/call', { params: { name: 'regional', arguments: args }, headers });

    it('accepts matching headers, integers compared numerically and base64 decoded', async () => {
      const response = await call({ region: 'Zürich', level: 7, verbose: true }, {
        'mcp-param-region': `=?base64?${btoa(String.fromCharCode(...new TextEncoder().encode('Zürich')))}?=`,
        'Mcp-Param-Level': '007',
        'mcp-param-verbose': 'true',
      });
      expect(response.status).toBe(200);
      expect((await response.json()).result.isError).toBeUndefined();
    });

    it.each([
      ['the header is missing while the argument is set', { region: 'eu' }, {}],
      ['the header disagrees with the argument', { region: 'eu' }, { 'mcp-param-region': 'us' }],
      ['the header is set while the argument is absent', {}, { 'mcp-param-region': 'eu' }],
      ['an integer header is not an integer', { level: 3 }, { 'mcp-param-level': '3.0' }],
      ['a boolean header differs', { verbose: false }, { 'mcp-param-verbose': 'False' }],
    ])('answers 400 -32020 when %s', async (_row, args, headers) => {
      await expectError(await call(args, headers), 400, -32020);
    });
  });

  it('answers 400 -32022 with the supported versions when the version is unknown', async () => {
    const response = await post(served.url, 'tools/list', { meta: { 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' }, headers: { 'mcp-protocol-version': 'v999.0.0' } });
    const body = await expectError(response, 400, -32022);
    expect(body.error.data).toEqual({ supported: [MODERN], requested: 'v999.0.0' });
  });

  it.each([
    ['params._meta is missing', { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) }],
    ['the protocolVersion key is missing', { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/clientCapabilities': {} } } }) }],
    ['clientCapabilities is missing', { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN } } }) }],
    ['the logLevel is not a level', { meta: { 'io.modelcontextprotocol/logLevel': 'loud' } }],
  ])('answers 400 -32602 when %s', async (_row, options) => {
    await expectError(await post(served.url, 'tools/list', options), 400, -32602);
  });

  it('answers 400 -32021 naming the capability when a handler needs one the request did not declare', async () => {
    const response = await post(conformance.url, 'tools/call', { params: { name: 'test_missing_capability', arguments: {} } });
    const body = await expectError(response, 400, -32021);
    expect(body.error.data).toEqual({ requiredCapabilities: { sampling: {} } });
  });

  it.each(['unknown/method', 'initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe'])(
    'answers 404 -32601 with a JSON-RPC body to %s',
    async (method) => {
      await expectError(await post(served.url, method), 404, -32601);
    },
  );

  it('answers -32602 (not -32002) with data.uri for an unknown resource (SEP-2164)', async () => {
    const body = await expectError(await post(served.url, 'resources/read', { params: { uri: 'test://missing' } }), 200, -32602);
    expect(body.error.data).toEqual({ uri: 'test://missing' });
  });

  it.each(['GET', 'DELETE'])('answers 405 to %s with Allow: POST', async (method) => {
    const response = await wire.fetch(served.url, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('POST');
  });

  it('answers 403 to a browser Origin that is not allowed', async () => {
    const response = await post(served.url, 'tools/list', { headers: { origin: 'https://evil.example.com' } });
    expect(response.status).toBe(403);
  });

  it('answers 403 to a Host outside the loopback allow-list (DNS rebinding)', async () => {
    expect((await postWithHost(served.url, 'evil.example.com', 'tools/list')).status).toBe(403);
  });

  it('serves a loopback Origin calling a loopback host, with CORS headers', async () => {
    const response = await post(served.url, 'tools/list', { headers: { origin: 'http://localhost:6274' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
  });

  it('ignores Mcp-Session-Id and never mints one', async () => {
    const response = await post(served.url, 'tools/list', { headers: { 'mcp-session-id': 'abc' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
  });
});

describe('transport checks the spec leaves to convention', () => {
  it('answers 406 when Accept lists nothing the server writes (JSON, SSE or JSON Lines)', async () => {
    const response = await post(served.url, 'tools/list', { headers: { accept: 'text/html, image/*' } });
    await expectError(response, 406, -32600, null);
  });

  it('answers 200 with one JSON body when Accept lists only application/json', async () => {
    const response = await post(served.url, 'tools/list', { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()).result.resultType).toBe('complete');
  });

  it('answers 415 when Content-Type is not application/json', async () => {
    const response = await post(served.url, 'tools/list', { headers: { 'content-type': 'text/plain' } });
    await expectError(response, 415, -32600, null);
  });

  it('answers 413 to a body over maxBodyBytes', async () => {
    const response = await post(served.url, 'tools/call', { params: { name: 'fails', arguments: { pad: 'x'.repeat(2000) } } });
    await expectError(response, 413, -32600, null);
  });

  it('answers 400 -32700 to malformed JSON', async () => {
    await expectError(await postRaw(served.url, '{"jsonrpc":', {}), 400, -32700, null);
  });

  it.each([
    ['jsonrpc is not "2.0"', { jsonrpc: '1.0', id: 1, method: 'tools/list' }, 1],
    ['params is not an object', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: [1] }, 1],
    ['the id is neither string nor integer', { jsonrpc: '2.0', id: 1.5, method: 'tools/list' }, null],
    ['the body is a JSON scalar', 42, null],
  ])('answers 400 -32600 when %s', async (_row, body, id) => {
    await expectError(await postRaw(served.url, body, {}), 400, -32600, id);
  });

  it('refuses a JSON-RPC batch for revisions after 2025-03-26', async () => {
    const response = await postRaw(served.url, [{ jsonrpc: '2.0', id: 1, method: 'ping' }], { 'mcp-protocol-version': '2025-06-18' });
    await expectError(response, 400, -32600, null);
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));
