// The official 2.x client on the 2026-07-28 lane, against the demo app and the conformance
// fixture: discovery instead of initialize, streamed progress, MRTR elicitation, and every message
// the server sent checked against the 2026-07-28 schema.
import { Client, LOG_LEVEL_META_KEY, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../src/demo/app.ts';
import { createMcpApp } from '../../src/http/index.ts';
import type { McpHttpOptions } from '../../src/http/options.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { createRecorder, expectAllValid } from '../support/recording-fetch.ts';
import type { FetchRecorder } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { answerForm, exchangesFor, freshProblems, notificationsOf, responseOf } from './peer-helpers.ts';

const MODERN = '2026-07-28';

/** What each server offers for the behaviours both must show; the cases are the same. */
interface Target {
  label: string;
  createApp: (options: McpHttpOptions) => ReturnType<typeof createDemoApp>;
  tools: string[];
  text: { name: string; arguments: Record<string, unknown>; expected: string };
  progress: { name: string; arguments: Record<string, unknown>; values: number[]; text: string };
  resource: { uri: string; mimeType: string; text: RegExp };
  template: { uriTemplate: string; uri: string; text: RegExp };
  prompt: { name: string; arguments: Record<string, string>; text: string };
  completion: { prompt: string; argument: string; value: string; values: string[] };
  elicit: { name: string; text: string };
  resources: string[];
  prompts: string[];
}

const demo: Target = {
  label: 'demo app',
  createApp: (options) => createDemoApp(options),
  tools: ['echo', 'add', 'slow_stream', 'query_rows', 'greet'],
  text: { name: 'echo', arguments: { text: 'hello, stateless world' }, expected: 'hello, stateless world' },
  progress: { name: 'slow_stream', arguments: { steps: 4, intervalMs: 25 }, values: [1, 2, 3, 4], text: 'done after 4 steps' },
  resource: { uri: 'demo://readme', mimeType: 'text/markdown', text: /^# stateless-mcp demo\nEvery POST stands alone\.$/ },
  template: { uriTemplate: 'demo://notes/{id}', uri: 'demo://notes/2', text: /^Note 2$/ },
  prompt: { name: 'summarize', arguments: { text: 'MCP is a protocol.', style: 'tweet' }, text: 'Summarize as tweet:\n\nMCP is a protocol.' },
  completion: { prompt: 'summarize', argument: 'style', value: 'b', values: ['bullet points'] },
  elicit: { name: 'greet', text: 'Hello, Ada!' },
  resources: ['demo://readme'],
  prompts: ['summarize'],
};

const fixture: Target = {
  label: 'conformance fixture',
  createApp: (options) => createMcpApp(createConformanceServer(), options),
  tools: ['test_simple_text', 'test_tool_with_progress', 'test_error_handling', 'test_input_required_result_elicitation', 'test_input_required_result_multi_round'],
  text: { name: 'test_simple_text', arguments: {}, expected: 'This is a simple text response for testing.' },
  progress: { name: 'test_tool_with_progress', arguments: {}, values: [0, 50, 100], text: 'Progress test completed' },
  resource: { uri: 'test://static-text', mimeType: 'text/plain', text: /^This is the content of the static text resource\.$/ },
  template: { uriTemplate: 'test://template/{id}/data', uri: 'test://template/123/data', text: /"id":"123"/ },
  prompt: { name: 'test_prompt_with_arguments', arguments: { arg1: 'one', arg2: 'two' }, text: "Prompt with arguments: arg1='one', arg2='two'" },
  completion: { prompt: 'test_prompt_with_arguments', argument: 'arg1', value: 'pa', values: ['paris', 'park', 'party'] },
  elicit: { name: 'test_input_required_result_elicitation', text: 'Hello, Ada!' },
  resources: ['test://static-text', 'test://static-binary', 'test://watched-resource'],
  prompts: ['test_simple_prompt', 'test_prompt_with_arguments', 'test_prompt_with_embedded_resource', 'test_prompt_with_image', 'test_input_required_result_prompt'],
};

interface Peer {
  served: Served;
  recorder: FetchRecorder;
  client: Client;
  elicitations: { message: string }[];
}

/** `capabilities`: declared beside elicitation, e.g. the partial-results extension's `partialResults`. */
async function connect(target: Target, capabilities: Record<string, unknown> = {}): Promise<Peer> {
  const served = await serveApp(target.createApp);
  const recorder = createRecorder();
  const elicitations: { message: string }[] = [];
  const client = new Client({ name: 'peer-test', version: '1.0.0' }, { capabilities: { elicitation: {}, ...capabilities }, versionNegotiation: { mode: 'auto' } });
  // MRTR input requests are fulfilled through the same handler a 2025 server request would use.
  client.setRequestHandler('elicitation/create', async (request) => {
    const params = request.params as { message: string; requestedSchema?: { properties?: Record<string, unknown> } };
    elicitations.push({ message: params.message });
    return { action: 'accept', content: answerForm(params.requestedSchema) };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(served.url), { fetch: recorder.fetch }));
  return { served, recorder, client, elicitations };
}

const textOf = (result: unknown) => ((result as { content: { text?: string }[] }).content).map((block) => block.text).join('');

describe.each([demo, fixture])('2.x client on the 2026-07-28 lane: $label', (target) => {
  let peer: Peer;
  let problems: () => Promise<string[]>;

  beforeAll(async () => {
    peer = await connect(target);
    problems = freshProblems(peer.recorder);
  });
  afterAll(async () => {
    await peer?.client.close();
    await peer?.served.close();
  });
  // Each test answers for the messages its own calls drew from the server.
  afterEach(async () => expect(await problems()).toEqual([]));

  it('connects by server/discover, never initialize, and negotiates 2026-07-28', () => {
    expect(peer.client.getProtocolEra()).toBe('modern');
    expect(peer.client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect(peer.client.getDiscoverResult()?.supportedVersions).toContain(MODERN);
    expect((peer.recorder.exchanges[0]?.body as { method: string }).method).toBe('server/discover');
    expect(exchangesFor(peer.recorder, 'initialize')).toEqual([]);
  });

  it('lists the tools, each with an object inputSchema', async () => {
    const { tools } = await peer.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(target.tools));
    for (const tool of tools) expect(tool.inputSchema.type, tool.name).toBe('object');
  });

  it('calls a text tool and gets its text back', async () => {
    const result = await peer.client.callTool({ name: target.text.name, arguments: target.text.arguments });
    expect(result.isError ?? false).toBe(false);
    expect(textOf(result)).toBe(target.text.expected);
  });

  it('streams increasing progress notifications before the call resolves', async () => {
    const progress: number[] = [];
    const call = peer.client.callTool({ name: target.progress.name, arguments: target.progress.arguments }, { onprogress: ({ progress: value }) => void progress.push(value) });
    const result = await call;
    // Snapshot at resolution: a notification delivered after the result would not be counted.
    const beforeResolve = [...progress];
    expect(textOf(result)).toBe(target.progress.text);
    expect(beforeResolve.length).toBeGreaterThanOrEqual(3);
    expect(beforeResolve).toEqual(target.progress.values);
    // On the wire: one SSE stream, every progress frame ahead of the response.
    await peer.recorder.settled();
    const [exchange] = exchangesFor(peer.recorder, 'tools/call', target.progress.name);
    expect(exchange!.responseHeaders!.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = notificationsOf(exchange!, 'notifications/progress');
    expect(frames.length).toBe(target.progress.values.length);
    expect(Math.max(...frames.map((m) => m.seq))).toBeLessThan(responseOf(exchange!).seq);
  });

  it('reads a static resource', async () => {
    const { contents } = await peer.client.readResource({ uri: target.resource.uri });
    expect(contents).toHaveLength(1);
    expect(contents[0]).toMatchObject({ uri: target.resource.uri, mimeType: target.resource.mimeType });
    expect((contents[0] as { text: string }).text).toMatch(target.resource.text);
  });

  it('lists the template and reads a resource through it', async () => {
    const { resourceTemplates } = await peer.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain(target.template.uriTemplate);
    const { contents } = await peer.client.readResource({ uri: target.template.uri });
    expect(contents[0]!.uri).toBe(target.template.uri);
    expect((contents[0] as { text: string }).text).toMatch(target.template.text);
  });

  it('gets a prompt with its arguments filled in', async () => {
    const { messages } = await peer.client.getPrompt({ name: target.prompt.name, arguments: target.prompt.arguments });
    expect(messages).toEqual([{ role: 'user', content: { type: 'text', text: target.prompt.text } }]);
  });

  it('completes a prompt argument', async () => {
    const { completion } = await peer.client.complete({ ref: { type: 'ref/prompt', name: target.completion.prompt }, argument: { name: target.completion.argument, value: target.completion.value } });
    expect(completion.values).toEqual(target.completion.values);
  });

  it('answers an MRTR elicitation through its handler and gets the greeting', async () => {
    const before = peer.elicitations.length;
    const result = await peer.client.callTool({ name: target.elicit.name, arguments: {} });
    expect(textOf(result)).toBe(target.elicit.text);
    expect(peer.elicitations.slice(before)).toEqual([{ message: 'What is your name?' }]);
    // Two POSTs: input_required with a requestState, then the retry echoing it with the answer.
    await peer.recorder.settled();
    const [first, retry] = exchangesFor(peer.recorder, 'tools/call', target.elicit.name);
    const asked = responseOf(first!).message.result as { resultType: string; requestState: string; inputRequests: Record<string, { method: string }> };
    expect(asked.resultType).toBe('input_required');
    expect(Object.values(asked.inputRequests).map((r) => r.method)).toEqual(['elicitation/create']);
    const retried = (retry!.body as { id: unknown; params: { requestState: string; inputResponses: Record<string, unknown> } });
    expect(retried.params.requestState).toBe(asked.requestState);
    expect(Object.values(retried.params.inputResponses)).toEqual([{ action: 'accept', content: { name: 'Ada' } }]);
    expect(retried.id).not.toEqual((first!.body as { id: unknown }).id);
    expect((responseOf(retry!).message.result as { resultType: string }).resultType).toBe('complete');
  });

  it('lists resources and prompts', async () => {
    const { resources } = await peer.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining(target.resources));
    const { prompts } = await peer.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(target.prompts));
  });

  it('sent only messages valid under the 2026-07-28 schema', async () => {
    await expectAllValid(peer.recorder, { atLeast: 15, version: MODERN });
  });
});

describe('2.x client, demo-only behaviour', () => {
  let peer: Peer;
  beforeAll(async () => (peer = await connect(demo)));
  afterAll(async () => {
    await peer?.client.close();
    await peer?.served.close();
  });

  it('returns add as structuredContent {sum} mirrored in text', async () => {
    const result = await peer.client.callTool({ name: 'add', arguments: { a: 2.5, b: 40 } });
    expect(result.structuredContent).toEqual({ sum: 42.5 });
    expect(textOf(result)).toBe('42.5');
  });

  it('completes a resource template variable', async () => {
    const { completion } = await peer.client.complete({ ref: { type: 'ref/resource', uri: 'demo://notes/{id}' }, argument: { name: 'id', value: '' } });
    expect(completion.values).toEqual(['1', '2', '3']);
  });

  it('streams log messages only when the request names a log level', async () => {
    await peer.client.callTool({ name: 'slow_stream', arguments: { steps: 3, intervalMs: 0 }, _meta: { [LOG_LEVEL_META_KEY]: 'info' } });
    await peer.client.callTool({ name: 'slow_stream', arguments: { steps: 2, intervalMs: 0 } });
    await peer.recorder.settled();
    const [logged, quiet] = exchangesFor(peer.recorder, 'tools/call', 'slow_stream');
    expect(notificationsOf(logged!, 'notifications/message').map((m) => (m.message.params as { data: unknown }).data)).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
    expect(notificationsOf(quiet!, 'notifications/message')).toEqual([]);
  });

  it('sent only messages valid under the 2026-07-28 schema', async () => {
    await expectAllValid(peer.recorder, { atLeast: 5, version: MODERN });
  });
});

describe('2.x client and partial results (extension following the SEP-2998 draft)', () => {
  const rows = { name: 'query_rows', arguments: { rows: 3, intervalMs: 1 } };
  const rowTexts = [1, 2, 3].map((id) => JSON.stringify({ id, name: `row ${id}`, value: (id * 37) % 101 }));

  async function streamedCall(capabilities: Record<string, unknown>, meta: Record<string, unknown>) {
    const peer = await connect(demo, capabilities);
    try {
      const delivered: string[] = [];
      // The SDK knows no partial results: it hands them to its fallback handler and goes on.
      peer.client.fallbackNotificationHandler = async (notification) => void delivered.push(notification.method);
      const result = await peer.client.callTool({ ...rows, _meta: meta });
      await peer.recorder.settled();
      expect(peer.recorder.problems).toEqual([]);
      const [exchange] = exchangesFor(peer.recorder, 'tools/call', 'query_rows');
      const partials = notificationsOf(exchange!, 'notifications/tools/partial_result');
      for (const partial of partials) expect(partial.seq).toBeLessThan(responseOf(exchange!).seq);
      return { result, delivered, seqs: partials.map((m) => (m.message.params as { seq: number }).seq) };
    } finally {
      await peer.client.close();
      await peer.served.close();
    }
  }

  it('receives a streamed call it opted into, one piece per row in seq order, then the complete result', async () => {
    const { result, delivered, seqs } = await streamedCall({ partialResults: {} }, { partialResultToken: 'sdk-2' });
    expect(seqs).toEqual([0, 1, 2]);
    expect(delivered).toEqual(Array(3).fill('notifications/tools/partial_result'));
    expect(result.content.map((block) => (block as { text: string }).text)).toEqual(rowTexts);
  });

  it.each([
    ['a token without the partialResults capability', {}, { partialResultToken: 'sdk-2' }],
    ['the capability without a token', { partialResults: {} }, {}],
  ])('gets no piece, and the same complete result, with %s', async (_row, capabilities, meta) => {
    const { result, delivered, seqs } = await streamedCall(capabilities, meta);
    expect(seqs).toEqual([]);
    expect(delivered).toEqual([]);
    expect(result.content.map((block) => (block as { text: string }).text)).toEqual(rowTexts);
  });
});

describe('2.x client, fixture-only behaviour', () => {
  let peer: Peer;
  beforeAll(async () => (peer = await connect(fixture)));
  afterAll(async () => {
    await peer?.client.close();
    await peer?.served.close();
  });

  it('runs a two-round MRTR exchange, carrying the first answer through requestState', async () => {
    const result = await peer.client.callTool({ name: 'test_input_required_result_multi_round', arguments: {} });
    expect(textOf(result)).toBe('Ada likes green');
    expect(peer.elicitations.map((e) => e.message)).toEqual(['What is your name?', 'Favourite colour?']);
    expect(exchangesFor(peer.recorder, 'tools/call', 'test_input_required_result_multi_round')).toHaveLength(3);
  });

  it('runs MRTR inside prompts/get', async () => {
    const { messages } = await peer.client.getPrompt({ name: 'test_input_required_result_prompt', arguments: {} });
    expect(messages[0]!.content).toEqual({ type: 'text', text: 'Context: peer tests' });
  });

  it('reports a throwing tool as an isError result, not a JSON-RPC error', async () => {
    const result = await peer.client.callTool({ name: 'test_error_handling', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('This tool intentionally returns an error for testing');
  });

  it('returns image, audio, embedded-resource and binary contents intact', async () => {
    const mixed = await peer.client.callTool({ name: 'test_multiple_content_types', arguments: {} });
    expect((mixed.content as { type: string }[]).map((c) => c.type)).toEqual(['text', 'image', 'resource']);
    const audio = await peer.client.callTool({ name: 'test_audio_content', arguments: {} });
    expect(audio.content).toEqual([{ type: 'audio', mimeType: 'audio/wav', data: expect.stringMatching(/^UklGR/) }]);
    const { contents } = await peer.client.readResource({ uri: 'test://static-binary' });
    expect(contents[0]).toMatchObject({ uri: 'test://static-binary', mimeType: 'image/png', blob: expect.stringMatching(/^iVBOR/) });
  });

  it('sent only messages valid under the 2026-07-28 schema', async () => {
    await expectAllValid(peer.recorder, { atLeast: 8, version: MODERN });
  });
});
