// The official 1.x client on the stateless 2025 lane: initialize answered with a sealed session id,
// progress and logs on the POST's SSE stream, server-to-client requests answered by a second POST
// routed back in-process, and every server message checked against the negotiated revision.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../src/demo/app.ts';
import { createMcpApp } from '../../src/http/index.ts';
import type { McpHttpOptions } from '../../src/http/options.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { createRecorder, expectAllValid } from '../support/recording-fetch.ts';
import type { FetchRecorder } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { answerForm, exchangesFor, freshProblems, notificationsOf, offerVersion, responseOf } from './peer-helpers.ts';

const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
const ACCEPT = 'application/json, text/event-stream';

interface Peer {
  served: Served;
  recorder: FetchRecorder;
  client: Client;
  transport: StreamableHTTPClientTransport;
  asked: { method: string; message?: string }[];
}

async function connect(createApp: (options: McpHttpOptions) => ReturnType<typeof createDemoApp>, version: string, recorder = createRecorder()): Promise<Peer> {
  const served = await serveApp(createApp);
  const asked: Peer['asked'] = [];
  const client = new Client({ name: 'legacy-peer-test', version: '1.0.0' }, { capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    const params = request.params as { message: string; requestedSchema?: { properties?: Record<string, unknown>; required?: string[] } };
    asked.push({ method: request.method, message: params.message });
    // Forms that need more than strings are declined: the server's request is what is under test.
    const simple = Object.values(params.requestedSchema?.properties ?? {}).every((p) => (p as { type?: string }).type === 'string' && !('enum' in (p as object)));
    return simple ? { action: 'accept', content: answerForm(params.requestedSchema) } : { action: 'decline' };
  });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    asked.push({ method: request.method });
    return { role: 'assistant', content: { type: 'text', text: 'Paris' }, model: 'peer-test-model' };
  });
  // The 1.x client always offers its latest revision; older ones are offered by rewriting initialize.
  const fetch = version === LATEST_PROTOCOL_VERSION ? recorder.fetch : offerVersion(version, recorder.fetch);
  const transport = new StreamableHTTPClientTransport(new URL(served.url), { fetch });
  await client.connect(transport);
  return { served, recorder, client, transport, asked };
}

async function disconnect(peer: Peer | undefined): Promise<void> {
  await peer?.client.close();
  await peer?.served.close();
}

const textOf = (result: unknown) => ((result as { content: { text?: string }[] }).content).map((block) => block.text).join('');
const demoApp = (options: McpHttpOptions) => createDemoApp(options);

describe.each(LEGACY_VERSIONS)('1.x client on the stateless 2025 lane at %s', (version) => {
  let peer: Peer;
  let problems: () => Promise<string[]>;

  beforeAll(async () => {
    peer = await connect(demoApp, version);
    problems = freshProblems(peer.recorder);
  });
  afterAll(() => disconnect(peer));
  afterEach(async () => expect(await problems()).toEqual([]));

  it('negotiates the offered revision through initialize and sends it on every later POST', async () => {
    expect(peer.transport.protocolVersion).toBe(version);
    expect(peer.client.getServerVersion()).toEqual({ name: 'stateless-mcp-demo', title: 'stateless-mcp demo', version: '0.1.0' });
    // No listChanged: the 2025 lane has no GET stream to carry it.
    expect(peer.client.getServerCapabilities()).toEqual({ tools: { listChanged: false }, prompts: { listChanged: false }, resources: { subscribe: true, listChanged: false }, completions: {}, logging: {} });
    await peer.client.listTools();
    await peer.recorder.settled();
    const [init] = exchangesFor(peer.recorder, 'initialize');
    expect((init!.body as { params: { protocolVersion: string } }).params.protocolVersion).toBe(version);
    expect((responseOf(init!).message.result as { protocolVersion: string }).protocolVersion).toBe(version);
    const later = peer.recorder.exchanges.filter((e) => e.index > init!.index);
    expect(later.length).toBeGreaterThan(0);
    for (const exchange of later) expect(exchange.requestHeaders.get('mcp-protocol-version')).toBe(version);
  });

  it('lists tools, each with an object inputSchema', async () => {
    const { tools } = await peer.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['echo', 'add', 'slow_stream', 'query_rows', 'greet']);
    for (const tool of tools) expect(tool.inputSchema.type, tool.name).toBe('object');
  });

  it('calls echo and add', async () => {
    expect(textOf(await peer.client.callTool({ name: 'echo', arguments: { text: `hello from ${version}` } }))).toBe(`hello from ${version}`);
    const sum = await peer.client.callTool({ name: 'add', arguments: { a: 19, b: 23 } });
    expect(textOf(sum)).toBe('42');
    expect(sum.structuredContent).toEqual({ sum: 42 });
  });

  it('streams progress and log notifications on the POST before the result', async () => {
    const progress: number[] = [];
    const result = await peer.client.callTool({ name: 'slow_stream', arguments: { steps: 4, intervalMs: 25 } }, undefined, { onprogress: ({ progress: value }) => void progress.push(value) });
    const beforeResolve = [...progress];
    expect(textOf(result)).toBe('done after 4 steps');
    expect(beforeResolve).toEqual([1, 2, 3, 4]);
    await peer.recorder.settled();
    const [exchange] = exchangesFor(peer.recorder, 'tools/call', 'slow_stream');
    const resultSeq = responseOf(exchange!).seq;
    const progressFrames = notificationsOf(exchange!, 'notifications/progress');
    const logFrames = notificationsOf(exchange!, 'notifications/message');
    expect(progressFrames).toHaveLength(4);
    // logging/setLevel was session-scoped; without a session every level is sent.
    expect(logFrames.map((m) => (m.message.params as { data: unknown }).data)).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }, { step: 4 }]);
    for (const frame of [...progressFrames, ...logFrames]) expect(frame.seq).toBeLessThan(resultSeq);
  });

  it('receives a streamed query_rows call with a partialResultToken, and without one, getting the complete result each time', async () => {
    const delivered: string[] = [];
    // The SDK knows no partial results: it hands them to its fallback handler and goes on.
    peer.client.fallbackNotificationHandler = async (notification) => void delivered.push(notification.method);
    const rows = { name: 'query_rows', arguments: { rows: 3, intervalMs: 1 } };
    const streamed = await peer.client.callTool({ ...rows, _meta: { partialResultToken: `legacy-${version}` } });
    const plain = await peer.client.callTool(rows);
    expect(streamed.content).toEqual(plain.content);
    expect(textOf(streamed)).toContain('"id":3');
    expect(delivered).toEqual(Array(3).fill('notifications/tools/partial_result'));
    await peer.recorder.settled();
    const [opted, quiet] = exchangesFor(peer.recorder, 'tools/call', 'query_rows');
    const partials = notificationsOf(opted!, 'notifications/tools/partial_result');
    expect(partials.map((m) => (m.message.params as { seq: number }).seq)).toEqual([0, 1, 2]);
    for (const partial of partials) expect(partial.seq).toBeLessThan(responseOf(opted!).seq);
    expect(notificationsOf(quiet!, 'notifications/tools/partial_result')).toEqual([]);
  });

  it('reads the readme and a note through the template', async () => {
    const readme = await peer.client.readResource({ uri: 'demo://readme' });
    expect(readme.contents).toEqual([{ uri: 'demo://readme', mimeType: 'text/markdown', text: '# stateless-mcp demo\nEvery POST stands alone.' }]);
    const note = await peer.client.readResource({ uri: 'demo://notes/3' });
    expect(note.contents).toEqual([{ uri: 'demo://notes/3', mimeType: 'text/plain', text: 'Note 3' }]);
  });

  it('gets the summarize prompt and completes its style argument', async () => {
    const prompt = await peer.client.getPrompt({ name: 'summarize', arguments: { text: 'Stateless servers scale.', style: 'one sentence' } });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Summarize as one sentence:\n\nStateless servers scale.' } }]);
    const { completion } = await peer.client.complete({ ref: { type: 'ref/prompt', name: 'summarize' }, argument: { name: 'style', value: 't' } });
    expect(completion.values).toEqual(['tweet']);
  });

  it('lists resources, templates and prompts', async () => {
    expect((await peer.client.listResources()).resources.map((r) => r.uri)).toEqual(['demo://readme']);
    expect((await peer.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual(['demo://notes/{id}']);
    expect((await peer.client.listPrompts()).prompts.map((p) => p.name)).toEqual(['summarize']);
  });

  // 2025-03-26 has no elicitation; see the separate test below.
  it.skipIf(version === '2025-03-26')('answers greet’s elicitation/create on a second POST routed back to the waiting tool', async () => {
    const result = await peer.client.callTool({ name: 'greet', arguments: {} });
    expect(textOf(result)).toBe('Hello, Ada!');
    expect(peer.asked).toContainEqual({ method: 'elicitation/create', message: 'What is your name?' });
    await peer.recorder.settled();
    const [call] = exchangesFor(peer.recorder, 'tools/call', 'greet');
    const [request] = call!.messages.filter((m) => m.message.method === 'elicitation/create');
    const answer = peer.recorder.exchanges.find((e) => (e.body as { id?: unknown; result?: unknown })?.result !== undefined && (e.body as { id: unknown }).id === request!.message.id);
    expect(answer?.status).toBe(202);
    expect(request!.seq).toBeLessThan(responseOf(call!).seq);
  });

  it('returns a sealed Mcp-Session-Id with InitializeResult only, and the client sends it on every later request', async () => {
    await peer.recorder.settled();
    expect(peer.recorder.exchanges.length).toBeGreaterThan(10);
    const [init] = exchangesFor(peer.recorder, 'initialize');
    const id = init!.responseHeaders?.get('mcp-session-id');
    expect(id).toMatch(/^v1\./);
    expect(peer.transport.sessionId).toBe(id);
    for (const exchange of peer.recorder.exchanges.filter((e) => e !== init)) {
      expect(exchange.requestHeaders.get('mcp-session-id'), `#${exchange.index}`).toBe(id);
      expect(exchange.responseHeaders?.get('mcp-session-id') ?? null, `#${exchange.index}`).toBeNull();
    }
  });

  it(`sent only messages valid under the ${version} schema`, async () => {
    await expectAllValid(peer.recorder, { atLeast: 20, version });
  });
});

describe('2025-03-26 has no elicitation', () => {
  let peer: Peer;
  beforeAll(async () => (peer = await connect(demoApp, '2025-03-26')));
  afterAll(() => disconnect(peer));

  it('does not send elicitation/create to a client that negotiated 2025-03-26, and says why', async () => {
    const result = await peer.client.callTool({ name: 'greet', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('needs 2025-06-18 or later');
    await peer.recorder.settled();
    expect(peer.recorder.messages.filter((m) => m.message.method === 'elicitation/create')).toEqual([]);
    expect(peer.recorder.problems).toEqual([]);
  });
});

describe('1.x client and the conformance fixture at 2025-11-25: server-to-client requests', () => {
  let peer: Peer;
  beforeAll(async () => (peer = await connect((options) => createMcpApp(createConformanceServer(), options), '2025-11-25')));
  afterAll(() => disconnect(peer));

  it('answers sampling/createMessage and the tool reports the sampled text', async () => {
    const result = await peer.client.callTool({ name: 'test_sampling', arguments: { prompt: 'Capital of France?' } });
    expect(textOf(result)).toBe('LLM response: {"type":"text","text":"Paris"}');
    expect(peer.asked).toContainEqual({ method: 'sampling/createMessage' });
  });

  it('receives the SEP-1330 enum form and SEP-1034 defaults form as schema-valid requests', async () => {
    const enums = await peer.client.callTool({ name: 'test_elicitation_sep1330_enums', arguments: {} });
    expect(textOf(enums)).toBe('Elicitation completed: action=decline, content={}');
    const defaults = await peer.client.callTool({ name: 'test_elicitation_sep1034_defaults', arguments: {} });
    expect(textOf(defaults)).toBe('Elicitation completed: action=decline, content={}');
    await peer.recorder.settled();
    expect(peer.recorder.messages.filter((m) => m.message.method === 'elicitation/create')).toHaveLength(2);
  });

  it('elicits username and email and echoes the answer', async () => {
    const result = await peer.client.callTool({ name: 'test_elicitation', arguments: { message: 'Who are you?' } });
    expect(textOf(result)).toBe('User response: action=accept, content={"username":"ada","email":"ada@example.com"}');
  });

  it('sent only messages valid under the 2025-11-25 schema', async () => {
    await expectAllValid(peer.recorder, { atLeast: 8, version: '2025-11-25' });
  });
});

describe('raw initialize on the stateless 2025 lane', () => {
  let served: Served;
  const recorder = createRecorder();
  beforeAll(async () => (served = await serveApp(demoApp)));
  afterAll(() => served?.close());

  async function initialize(protocolVersion: string) {
    const body = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
    const response = await recorder.fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT }, body: JSON.stringify(body) });
    return { response, json: (await response.json()) as { result: { protocolVersion: string; serverInfo: { name: string } } } };
  }

  it.each(LEGACY_VERSIONS)('answers initialize at %s with that revision and a session id', async (version) => {
    const { response, json } = await initialize(version);
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toMatch(/^v1\./);
    expect(json.result.protocolVersion).toBe(version);
    expect(json.result.serverInfo.name).toBe('stateless-mcp-demo');
  });

  it('answers an unknown offered revision with its latest 2025 revision', async () => {
    const { json } = await initialize('2024-01-01');
    expect(json.result.protocolVersion).toBe('2025-11-25');
  });

  it('answers ping and logging/setLevel with empty results, and GET with 405', async () => {
    const headers = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2025-06-18' };
    const ping = await recorder.fetch(served.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }) });
    expect(await ping.json()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    const level = await recorder.fetch(served.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'logging/setLevel', params: { level: 'debug' } }) });
    expect(await level.json()).toEqual({ jsonrpc: '2.0', id: 3, result: {} });
    const get = await recorder.fetch(served.url, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-06-18' } });
    expect(get.status).toBe(405);
    await get.body?.cancel();
  });

  it('sent only messages valid under the revision each exchange spoke', async () => {
    await expectAllValid(recorder, { atLeast: 7 });
    expect(recorder.messages.map((m) => m.version)).toEqual(['2025-11-25', '2025-06-18', '2025-03-26', '2025-11-25', '2025-06-18', '2025-06-18', '2025-06-18']);
  });
});
