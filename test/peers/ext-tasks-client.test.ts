// The official tasks client (`@modelcontextprotocol/ext-tasks`) as a real peer: on top of the 2.x
// SDK client it runs task-augmented tool calls against the conformance fixture, polls tasks/get,
// answers task input through tasks/update, and parses every task payload with its own schemas.
// Every server message on the wire is also checked against the official schemas.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createApplicationInputHandler, createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import type { JsonRpcResponse, RawClientDispatch, TaskEnabledSession } from '@modelcontextprotocol/ext-tasks/client';
import type { JsonValue } from '@modelcontextprotocol/ext-tasks/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { createRecorder, expectAllValid } from '../support/recording-fetch.ts';
import type { FetchLike, FetchRecorder } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { freshProblems } from './peer-helpers.ts';

const MODERN = '2026-07-28';
const CLIENT_INFO = { name: 'ext-tasks-peer', version: '1.0.0' };
const CAPABILITIES = { elicitation: {} };

// 2026-07-28 (basic/transports) names the method and its target in headers; the tasks extension
// names tasks/* by taskId.
const NAME_FIELD: Record<string, string> = { 'tools/call': 'name', 'tasks/get': 'taskId', 'tasks/update': 'taskId', 'tasks/cancel': 'taskId' };

/**
 * The host's own request path, which ext-tasks asks for on 2026-07-28 (the SDK client's codecs do
 * not carry task results): one POST per request, ids owned here, a JSON or SSE answer matched by id.
 */
function rawDispatcher(url: string, fetch: FetchLike): RawClientDispatch {
  let nextId = 1;
  return async (request, options) => {
    const { method, params = {} } = request as { method: string; params?: Record<string, unknown> };
    const message = { jsonrpc: '2.0', id: `ext-tasks-${nextId++}`, method, params };
    const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': method });
    const field = NAME_FIELD[method];
    if (field !== undefined && typeof params[field] === 'string') headers.set('mcp-name', params[field]);
    // ext-tasks sends its own routing headers (Mcp-Name on tasks/*): they replace ours.
    for (const [name, value] of Object.entries(options?.context?.headers ?? {})) headers.set(name, value);
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(message), signal: options?.signal });
    const text = await response.text();
    const bodies = (response.headers.get('content-type') ?? '').startsWith('text/event-stream')
      ? text.split(/\r?\n\r?\n/).map((event) => event.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n')).filter(Boolean)
      : [text];
    for (const body of bodies) {
      const reply = JSON.parse(body) as { id?: unknown } & ({ result: JsonValue } | { error: Extract<JsonRpcResponse, { kind: 'error' }>['error'] });
      if (reply.id !== message.id) continue;
      return 'error' in reply ? { kind: 'error', error: reply.error } : { kind: 'result', result: reply.result };
    }
    throw new Error(`No JSON-RPC response to ${method} (HTTP ${response.status}): ${text.slice(0, 200)}`);
  };
}

interface Peer {
  served: Served;
  recorder: FetchRecorder;
  client: Client;
  session: TaskEnabledSession;
  inputs: string[];
}

async function connect(): Promise<Peer> {
  const served = await serveApp((options) => createMcpApp(createConformanceServer(), options));
  const recorder = createRecorder();
  const client = new Client(CLIENT_INFO, { capabilities: CAPABILITIES, versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(served.url), { fetch: recorder.fetch }));
  const inputs: string[] = [];
  const session = createTaskSessionFromClient(client, {
    endpointId: served.url,
    rawDispatch: rawDispatcher(served.url, recorder.fetch),
    v2RequestFraming: { protocolVersion: MODERN, clientInfo: CLIENT_INFO, clientCapabilities: CAPABILITIES },
    // What the user answers when a call asks for input: recorded with the scope it arrived in.
    onInputRequest: createApplicationInputHandler({
      elicitation: (request, context) => {
        inputs.push(`${context.scope}: ${String(request.params.message)}`);
        return { action: 'accept', content: { confirm: true } };
      },
      sampling: () => Promise.reject(new Error('this peer declares no sampling')),
      roots: () => Promise.reject(new Error('this peer declares no roots')),
    }),
  });
  return { served, recorder, client, session, inputs };
}

const textOf = (result: unknown) => (result as { content: { text?: string }[] }).content.map((block) => block.text).join('');

describe('the ext-tasks client against the conformance fixture', () => {
  let peer: Peer;
  let problems: () => Promise<string[]>;

  beforeAll(async () => {
    peer = await connect();
    problems = freshProblems(peer.recorder);
  });
  afterAll(async () => {
    await peer?.session.close();
    await peer?.client.close();
    await peer?.served.close();
  });
  afterEach(async () => expect(await problems()).toEqual([]));

  it('sees the server offer tasks on 2026-07-28', () => {
    expect(peer.client.getProtocolEra()).toBe('modern');
    expect(peer.session.capabilities).toMatchObject({ execution: true, cancellation: true, inputResponses: true });
  });

  it('runs a task-augmented call to completion and gets the result', async () => {
    const execution = await peer.session.callTool('slow_compute', { seconds: 1, label: 'ext' });
    expect(execution.kind).toBe('task');
    const { outcome } = await execution.settle();
    // A failed outcome carries the client's reason (e.g. a payload that failed its schema).
    expect(outcome.status === 'failed' ? outcome.error.message : outcome.status).toBe('completed');
    expect(textOf(resultFromTaskOutcome(outcome))).toBe('computed ext after 1s');
  });

  it('answers a task that asks for input through tasks/update, then gets the result', async () => {
    const execution = await peer.session.callTool('confirm_delete', {});
    expect(execution.kind).toBe('task');
    const { outcome } = await execution.settle();
    // A failed outcome carries the client's reason (e.g. a payload that failed its schema).
    expect(outcome.status === 'failed' ? outcome.error.message : outcome.status).toBe('completed');
    expect(textOf(resultFromTaskOutcome(outcome))).toBe('deleted');
    expect(peer.inputs).toEqual(['task: Delete everything?']);
  });

  it('sent only messages valid under the official schemas', () => expectAllValid(peer.recorder, { atLeast: 6, version: MODERN }));
});
