// The oracle must reject what a peer would reject, or every "all messages valid" check downstream
// proves nothing: each kind of message gets a valid and an invalid case, on every revision.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSIONS, definitionsFor, loadSchemaFile, schemaDir, validateDefinition, validateServerMessage } from './schema-oracle.ts';
import type { SchemaVersion } from './schema-oracle.ts';

const LEGACY: SchemaVersion[] = ['2025-03-26', '2025-06-18', '2025-11-25'];
const MODERN: SchemaVersion = '2026-07-28';
const complete = (result: Record<string, unknown>, version: SchemaVersion) => (version === MODERN ? { resultType: 'complete', ...result } : result);
const response = (result: unknown) => ({ jsonrpc: '2.0', id: 7, result });
const text = { type: 'text', text: 'hi' };

describe('loading the schemas', () => {
  it('names the missing path and MCP_SCHEMA_DIR when a schema file is absent', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-mcp-schema-'));
    expect(() => loadSchemaFile('2025-06-18', empty)).toThrow(new RegExp(`${join(empty, '2025-06-18', 'schema.json')}.*MCP_SCHEMA_DIR`));
  });

  it('accepts every official 2026-07-28 example under its own definition', () => {
    const root = join(schemaDir(), MODERN, 'examples');
    const checked: string[] = [];
    for (const def of readdirSync(root)) {
      for (const file of readdirSync(join(root, def))) {
        const example = JSON.parse(readFileSync(join(root, def, file), 'utf8'));
        expect(validateDefinition(MODERN, def, example), `${def}/${file}`).toEqual([]);
        checked.push(`${def}/${file}`);
      }
    }
    expect(checked.length).toBeGreaterThan(100);
  });
});

describe('choosing the definition', () => {
  it('reads a response by the method it answers', () => {
    expect(definitionsFor('2025-03-26', response({}), { method: 'initialize' })).toEqual(['JSONRPCResponse', 'InitializeResult']);
    expect(definitionsFor('2025-11-25', response({}), { method: 'tools/call' })).toEqual(['JSONRPCResultResponse', 'CallToolResult']);
    expect(definitionsFor('2025-06-18', response({}), { method: 'ping' })).toEqual(['JSONRPCResponse', 'EmptyResult']);
    expect(definitionsFor('2025-06-18', response({}), { method: 'completion/complete' })).toEqual(['JSONRPCResponse', 'CompleteResult']);
    expect(definitionsFor(MODERN, response({ resultType: 'complete' }), { method: 'tools/call' })).toEqual(['JSONRPCResultResponse', 'CallToolResultResponse', 'CallToolResult']);
    expect(definitionsFor(MODERN, response({ resultType: 'input_required' }), { method: 'tools/call' })).toEqual(['JSONRPCResultResponse', 'InputRequiredResult']);
    expect(definitionsFor(MODERN, response({ resultType: 'complete' }), { method: 'server/discover' })).toEqual(['JSONRPCResultResponse', 'DiscoverResultResponse', 'DiscoverResult']);
    expect(definitionsFor(MODERN, response({ resultType: 'complete' }), { method: 'subscriptions/listen' })).toEqual(['JSONRPCResultResponse', 'SubscriptionsListenResultResponse', 'SubscriptionsListenResult']);
  });

  it('reads errors, notifications and server requests by their shape and method', () => {
    expect(definitionsFor('2025-03-26', { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'x' } })).toEqual(['JSONRPCError']);
    expect(definitionsFor(MODERN, { jsonrpc: '2.0', id: 1, error: { code: -32020, message: 'x' } })).toEqual(['JSONRPCErrorResponse', 'HeaderMismatchError']);
    expect(definitionsFor('2025-06-18', { jsonrpc: '2.0', method: 'notifications/message', params: {} })).toEqual(['JSONRPCNotification', 'LoggingMessageNotification']);
    expect(definitionsFor(MODERN, { jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: {} })).toEqual([
      'JSONRPCNotification',
      'SubscriptionsAcknowledgedNotification',
    ]);
    expect(definitionsFor('2025-11-25', { jsonrpc: '2.0', id: 's1', method: 'elicitation/create', params: {} })).toEqual(['JSONRPCRequest', 'ElicitRequest']);
  });
});

describe.each(SCHEMA_VERSIONS)('messages of %s', (version) => {
  const toolResult = complete({ content: [text] }, version);

  it('accepts a tools/call result and rejects one with an untyped content block', () => {
    expect(validateServerMessage(version, response(toolResult), { method: 'tools/call' })).toEqual([]);
    const bad = validateServerMessage(version, response({ ...toolResult, content: [{ text: 'no type' }] }), { method: 'tools/call' });
    expect(bad.some((line) => line.includes('/result/content/0'))).toBe(true);
  });

  it('accepts a tools/list result and rejects a tool without inputSchema', () => {
    const tool = { name: 'echo', inputSchema: { type: 'object' } };
    const list = complete(version === MODERN ? { tools: [tool], ttlMs: 0, cacheScope: 'public' } : { tools: [tool] }, version);
    expect(validateServerMessage(version, response(list), { method: 'tools/list' })).toEqual([]);
    const bad = validateServerMessage(version, response({ ...list, tools: [{ name: 'echo' }] }), { method: 'tools/list' });
    expect(bad.join('\n')).toMatch(/inputSchema/);
  });

  it('accepts an id-less error only as the body of an HTTP error status', () => {
    const idless = { jsonrpc: '2.0', error: { code: -32600, message: 'Method Not Allowed' } };
    expect(validateServerMessage(version, idless, { httpError: true })).toEqual([]);
    const strict = validateServerMessage(version, idless);
    // 2025-11-25 made the id optional in the schema itself.
    if (version === '2025-03-26' || version === '2025-06-18') expect(strict.join('\n')).toMatch(/'id'/);
    else expect(strict).toEqual([]);
  });

  it('accepts an error response and rejects one whose code is not an integer', () => {
    expect(validateServerMessage(version, { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } })).toEqual([]);
    expect(validateServerMessage(version, { jsonrpc: '2.0', id: 1, error: { code: 'oops', message: 'Method not found' } })).not.toEqual([]);
  });

  it('accepts a progress notification and rejects one without a progress token', () => {
    const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1, total: 3 } };
    expect(validateServerMessage(version, progress)).toEqual([]);
    expect(validateServerMessage(version, { ...progress, params: { progress: 1 } }).join('\n')).toMatch(/progressToken/);
  });

  it('accepts a log message and rejects an unknown level', () => {
    const log = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: { step: 1 } } };
    expect(validateServerMessage(version, log)).toEqual([]);
    expect(validateServerMessage(version, { ...log, params: { level: 'chatty', data: 1 } })).not.toEqual([]);
  });

  it('accepts tools/list_changed and rejects a notification the revision does not define', () => {
    expect(validateServerMessage(version, { jsonrpc: '2.0', method: 'notifications/tools/list_changed' })).toEqual([]);
    expect(validateServerMessage(version, { jsonrpc: '2.0', method: 'notifications/made_up' })).toEqual([`notifications/made_up is not a server notification in ${version}`]);
  });

  it('accepts the partial-results extension notification and rejects a bad shape or content block', () => {
    const partial = { jsonrpc: '2.0', method: 'notifications/tools/partial_result', params: { partialResultToken: 'p', seq: 0, content: [text], structuredContent: { rows: 1 }, final: true } };
    expect(validateServerMessage(version, partial)).toEqual([]);
    expect(validateServerMessage(version, { ...partial, params: { ...partial.params, seq: -1, extra: 1 } }).join('\n')).toMatch(/seq must be.*\n.*unknown field "extra"/);
    expect(validateServerMessage(version, { ...partial, params: { ...partial.params, content: [{ text: 'no type' }] } }).join('\n')).toMatch(/\/params\/content\/0/);
  });

  it('rejects a result for a method no client can call', () => {
    expect(validateServerMessage(version, response({}), { method: 'tools/explode' })).toContain(`tools/explode is not a client request in ${version}, so nothing can answer it`);
  });
});

describe.each(LEGACY)('2025 lane specifics of %s', (version) => {
  const serverInfo = { name: 'demo', version: '1.0.0' };

  it('accepts an initialize result and rejects one without serverInfo', () => {
    const result = { protocolVersion: version, capabilities: { tools: {} }, serverInfo };
    expect(validateServerMessage(version, response(result), { method: 'initialize' })).toEqual([]);
    expect(validateServerMessage(version, response({ protocolVersion: version, capabilities: {} }), { method: 'initialize' }).join('\n')).toMatch(/serverInfo/);
  });

  it('accepts a sampling request and rejects one without maxTokens', () => {
    const request = { jsonrpc: '2.0', id: 's2c-1', method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: text }], maxTokens: 10 } };
    expect(validateServerMessage(version, request)).toEqual([]);
    expect(validateServerMessage(version, { ...request, params: { messages: [] } }).join('\n')).toMatch(/maxTokens/);
  });

  it('rejects the 2026 resultType-less discover as an unknown method', () => {
    expect(validateServerMessage(version, response({}), { method: 'server/discover' })).toEqual([`server/discover is not a client request in ${version}, so nothing can answer it`]);
  });
});

describe('elicitation requests on the 2025 lane', () => {
  const elicit = { jsonrpc: '2.0', id: 's2c-2', method: 'elicitation/create', params: { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } };

  it.each(['2025-06-18', '2025-11-25'] as const)('%s accepts one and rejects one without a message', (version) => {
    expect(validateServerMessage(version, elicit)).toEqual([]);
    expect(validateServerMessage(version, { ...elicit, params: { requestedSchema: elicit.params.requestedSchema } })).not.toEqual([]);
  });

  it('2025-03-26 has no elicitation, so a server must not send it', () => {
    expect(validateServerMessage('2025-03-26', elicit)).toEqual(['elicitation/create is not a server request in 2025-03-26']);
  });
});

describe('2026-07-28 specifics', () => {
  const meta = { 'io.modelcontextprotocol/serverInfo': { name: 'demo', version: '1.0.0' } };
  const askName = { method: 'elicitation/create', params: { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } };

  it('rejects any server-to-client request: MRTR replaces them', () => {
    expect(validateServerMessage(MODERN, { jsonrpc: '2.0', id: 1, ...askName })).toEqual([
      'server sent a JSON-RPC request (elicitation/create); 2026-07-28 servers must not initiate requests',
    ]);
  });

  it('accepts an input_required result and rejects one with neither inputRequests nor requestState', () => {
    const ok = response({ resultType: 'input_required', inputRequests: { name: askName }, requestState: 'abc', _meta: meta });
    expect(validateServerMessage(MODERN, ok, { method: 'tools/call' })).toEqual([]);
    expect(validateServerMessage(MODERN, response({ resultType: 'input_required' }), { method: 'tools/call' })).toEqual(['InputRequiredResult: needs inputRequests or requestState']);
  });

  it('rejects input_required on a method MRTR does not cover, and malformed input requests', () => {
    const asking = response({ resultType: 'input_required', inputRequests: { name: askName } });
    expect(validateServerMessage(MODERN, asking, { method: 'tools/list' })).toContain('tools/list answered input_required; only tools/call, prompts/get and resources/read may');
    const malformed = response({ resultType: 'input_required', inputRequests: { name: { method: 'elicitation/create', params: {} } } });
    expect(validateServerMessage(MODERN, malformed, { method: 'tools/call' }).join('\n')).toMatch(/inputRequests/);
  });

  it('requires resultType, and only the core values or a well-formed tasks-extension task', () => {
    expect(validateServerMessage(MODERN, response({ content: [text] }), { method: 'tools/call' }).join('\n')).toMatch(/resultType/);
    expect(validateServerMessage(MODERN, response({ resultType: 'queued', content: [text] }), { method: 'tools/call' })).toContain('CallToolResult: unknown resultType "queued"');
    expect(validateServerMessage(MODERN, response({ resultType: 'task', content: [text] }), { method: 'tools/call' }).join('\n')).toMatch(/CreateTaskResult: \/result\/taskId/);
    expect(validateServerMessage(MODERN, response(task), { method: 'tools/call' })).toEqual([]);
  });

  it('accepts a cacheable list result and rejects one without ttlMs', () => {
    const list = { resultType: 'complete', prompts: [{ name: 'summarize' }], ttlMs: 0, cacheScope: 'public', _meta: meta };
    expect(validateServerMessage(MODERN, response(list), { method: 'prompts/list' })).toEqual([]);
    expect(validateServerMessage(MODERN, response({ ...list, ttlMs: undefined }), { method: 'prompts/list' }).join('\n')).toMatch(/ttlMs/);
  });

  it('accepts the listen acknowledgement and result, rejecting a result without its subscription _meta', () => {
    const ack = { jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: { toolsListChanged: true }, _meta: { 'io.modelcontextprotocol/subscriptionId': 3 } } };
    expect(validateServerMessage(MODERN, ack)).toEqual([]);
    expect(validateServerMessage(MODERN, { ...ack, params: {} })).not.toEqual([]);
    const done = response({ resultType: 'complete', _meta: { 'io.modelcontextprotocol/subscriptionId': 7 } });
    expect(validateServerMessage(MODERN, done, { method: 'subscriptions/listen' })).toEqual([]);
    expect(validateServerMessage(MODERN, response({ resultType: 'complete' }), { method: 'subscriptions/listen' }).join('\n')).toMatch(/_meta/);
  });

  it('checks the pinned error shapes: -32022 needs data.supported and data.requested', () => {
    const error = { code: -32022, message: 'Unsupported protocol version', data: { supported: [MODERN], requested: '1999-01-01' } };
    expect(validateServerMessage(MODERN, { jsonrpc: '2.0', id: 1, error })).toEqual([]);
    expect(validateServerMessage(MODERN, { jsonrpc: '2.0', id: 1, error: { ...error, data: undefined } }).join('\n')).toMatch(/UnsupportedProtocolVersionError/);
  });
});

// A task's envelope is parsed with the extension's own schemas; what it carries, with the core ones.
const task = { resultType: 'task', taskId: 't1', status: 'working', createdAt: '2026-11-24T10:00:00Z', lastUpdatedAt: '2026-11-24T10:00:00Z', ttlMs: 60000, pollIntervalMs: 500 };
const detailed = (fields: Record<string, unknown>) => ({ ...task, resultType: 'complete', ...fields });
const askName = { method: 'elicitation/create', params: { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } };
const missingResultType = (at: string) => `CallToolResult: ${at} must have required property 'resultType' {"missingProperty":"resultType"}`;

describe('tasks-extension payloads on 2026-07-28', () => {
  it('accepts a completed task whose result is a complete CallToolResult, and rejects one without resultType', () => {
    const done = detailed({ status: 'completed', result: { resultType: 'complete', content: [text] } });
    expect(validateServerMessage(MODERN, response(done), { method: 'tasks/get' })).toEqual([]);
    const bare = validateServerMessage(MODERN, response(detailed({ status: 'completed', result: { content: [text] } })), { method: 'tasks/get' });
    expect(bare).toContain(missingResultType('/result/result'));
    const untyped = validateServerMessage(MODERN, response(detailed({ status: 'completed', result: { resultType: 'complete', content: [{ text: 'no type' }] } })), { method: 'tasks/get' });
    expect(untyped.some((line) => line.startsWith('CallToolResult: /result/result/content/0'))).toBe(true);
  });

  it('checks the input requests of an input_required task and the error of a failed one', () => {
    expect(validateServerMessage(MODERN, response(detailed({ status: 'input_required', inputRequests: { name: askName } })), { method: 'tasks/get' })).toEqual([]);
    const malformed = validateServerMessage(MODERN, response(detailed({ status: 'input_required', inputRequests: { name: { method: 'elicitation/create', params: {} } } })), { method: 'tasks/get' });
    expect(malformed.some((line) => line.startsWith('InputRequests: /result/inputRequests/name'))).toBe(true);
    expect(validateServerMessage(MODERN, response(detailed({ status: 'failed', error: { code: -32603, message: 'x' } })), { method: 'tasks/get' })).toEqual([]);
    expect(validateServerMessage(MODERN, response(detailed({ status: 'failed', error: { message: 'x' } })), { method: 'tasks/get' }).join('\n')).toMatch(/GetTaskResult: \/result\/error\/code/);
  });

  it('requires resultType "complete" on tasks/get, tasks/update and tasks/cancel', () => {
    const { resultType: _, ...untyped } = detailed({ status: 'working' });
    expect(validateServerMessage(MODERN, response(untyped), { method: 'tasks/get' }).join('\n')).toMatch(/GetTaskResult: \/result\/resultType/);
    for (const method of ['tasks/update', 'tasks/cancel']) {
      expect(validateServerMessage(MODERN, response({ resultType: 'complete' }), { method })).toEqual([]);
      expect(validateServerMessage(MODERN, response({}), { method }).join('\n')).toMatch(/resultType/);
    }
  });

  it('checks a task status notification like a tasks/get result', () => {
    const { resultType: _, ...params } = detailed({ status: 'completed', result: { resultType: 'complete', content: [text] } });
    const notification = { jsonrpc: '2.0', method: 'notifications/tasks', params };
    expect(validateServerMessage(MODERN, notification)).toEqual([]);
    expect(validateServerMessage(MODERN, { ...notification, params: { ...params, result: { content: [text] } } })).toContain(missingResultType('/params/result'));
  });
});
