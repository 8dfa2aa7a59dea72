// The client against a broken or hostile server: a real node:http server on loopback answers
// `tools/call` (or `subscriptions/listen`) with what each scenario names, behind a well-behaved
// `server/discover` and `tools/list`. Every case must end in a clear client error (and CLI exit
// code 3), never a silent success, unbounded memory or a wait without end.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, McpClientError } from '../../src/client/index.ts';
import type { ClientErrorCode } from '../../src/client/index.ts';
import { cli } from '../support/cli.ts';

interface Message {
  id: number;
  method: string;
}

/** What the endless scenarios sent before the client hung up. */
interface Pumped {
  bytes: number;
  closed: boolean;
}

const CHUNK = 'x'.repeat(64 * 1024);
const pumped = new Map<string, Pumped>();
/** Keep-alive comments written on the `keepalive` listen stream before the client left. */
let keepAlivesBeforeClose = -1;
const KEEP_ALIVES = 30;

const reply = (res: ServerResponse, body: string, type = 'application/json', status = 200) => res.writeHead(status, { 'content-type': type }).end(body);
const RESOURCES = '"result":{"resultType":"complete","resources":[{"uri":"demo://a","name":"a"}],"ttlMs":0,"cacheScope":"private"}';
const rpc = (id: number, fields: string) => `{"jsonrpc":"2.0","id":${id},${fields}}`;

/** Writes `opening`, then CHUNK for as long as the client reads, recording how much went out. */
function pump(res: ServerResponse, name: string, type: string, opening: string, status = 200): void {
  const record: Pumped = { bytes: 0, closed: false };
  pumped.set(name, record);
  res.on('close', () => (record.closed = true));
  res.writeHead(status, { 'content-type': type });
  res.write(opening);
  const more = () => {
    while (!record.closed && res.write(CHUNK)) record.bytes += CHUNK.length;
  };
  res.on('drain', more);
  more();
}

const SCENARIOS: Record<string, (res: ServerResponse, message: Message) => void> = {
  'string-result': (res, { id }) => reply(res, rpc(id, '"result":"string"')),
  'array-reply': (res, { id }) => reply(res, `[${rpc(id, '"result":{"content":[]}')}]`),
  'no-content': (res, { id }) => reply(res, rpc(id, '"result":{"resultType":"complete"}')),
  'bad-error': (res, { id }) => reply(res, rpc(id, '"error":{"code":"teapot","message":418}')),
  'result-and-error': (res, { id }) => reply(res, rpc(id, '"result":{"content":[]},"error":{"code":-32603,"message":"both"}')),
  // Well-formed JSON-RPC around results of the wrong MCP shape (each checked before it is typed).
  'text-without-text': (res, { id }) => reply(res, rpc(id, '"result":{"content":[{"type":"text","text":"ok"},{"type":"text"}]}')),
  'unknown-block': (res, { id }) => reply(res, rpc(id, '"result":{"content":[{"type":"video","url":"x"}]}')),
  'is-error-string': (res, { id }) => reply(res, rpc(id, '"result":{"content":[],"isError":"yes"}')),
  'embedded-without-uri': (res, { id }) => reply(res, rpc(id, '"result":{"content":[{"type":"resource","resource":{"text":"x"}}]}')),
  'contents-without-body': (res, { id }) => reply(res, rpc(id, '"result":{"contents":[{"uri":"demo://a"}]}')),
  'prompt-system-role': (res, { id }) => reply(res, rpc(id, '"result":{"messages":[{"role":"system","content":{"type":"text","text":"x"}}]}')),
  'completion-numbers': (res, { id }) => reply(res, rpc(id, '"result":{"completion":{"values":[1,2]}}')),
  'completion-missing': (res, { id }) => reply(res, rpc(id, '"result":{"values":["a"]}')),
  'resource-without-uri': (res, { id }) => reply(res, rpc(id, '"result":{"resources":[{"uri":"demo://a","name":"a"},{"name":"b"}]}')),
  'prompt-list-string': (res, { id }) => reply(res, rpc(id, '"result":{"prompts":["greet"]}')),
  'elicit-without-message': (res, { id }) => reply(res, rpc(id, '"result":{"resultType":"input_required","inputRequests":{"q":{"method":"elicitation/create","params":{"requestedSchema":{"type":"object"}}}}}')),
  'sampling-without-max-tokens': (res, { id }) => reply(res, rpc(id, '"result":{"resultType":"input_required","inputRequests":{"q":{"method":"sampling/createMessage","params":{"messages":[]}}}}')),
  'bad-acknowledgement': (res, { id }) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: {"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"requestId":${id},"notifications":{"toolsListChanged":"yes"}}}\n\n`);
    res.end(`data: ${rpc(id, '"result":{}')}\n\n`);
  },
  'partial-without-text': (res, { id }) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"jsonrpc":"2.0","method":"notifications/tools/partial_result","params":{"partialResultToken":"partial-1","seq":0,"content":[{"type":"text"}]}}\n\n');
    res.end(`data: ${rpc(id, '"result":{"content":[{"type":"text","text":"whole"}]}')}\n\n`);
  },
  'endless-sse': (res) => pump(res, 'endless-sse', 'text/event-stream', 'data: '),
  'endless-json': (res) => pump(res, 'endless-json', 'application/json', '{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"'),
  'endless-error': (res) => pump(res, 'endless-error', 'text/plain', 'oops', 500),
  // `read` without a URI lists resources and templates; only a missing templates method means "no templates".
  'templates-missing': (res, { id, method }) => reply(res, method === 'resources/list' ? rpc(id, RESOURCES) : rpc(id, '"error":{"code":-32601,"message":"Method not found"}')),
  'templates-broken': (res, { id, method }) => reply(res, method === 'resources/list' ? rpc(id, RESOURCES) : rpc(id, '"result":{"resourceTemplates":"none"}')),
  silent: (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
  },
  keepalive: (res, { id }) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: {"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"requestId":${id},"notifications":{"toolsListChanged":true}}}\n\n`);
    let sent = 0;
    const timer = setInterval(() => {
      // KEEP_ALIVES comments 50 ms apart (1.5 s in all), then silence: only the silence may end the stream.
      if (sent === KEEP_ALIVES) return clearInterval(timer);
      res.write(':\n');
      sent++;
    }, 50);
    res.on('close', () => {
      clearInterval(timer);
      keepAlivesBeforeClose = sent;
    });
  },
};

async function readJson(req: IncomingMessage): Promise<Message> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as Message;
}

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    void readJson(req).then(({ id, method }) => {
      const scenario = req.url!.split('/')[1]!;
      if (method === 'server/discover') return reply(res, rpc(id, '"result":{"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{"tools":{}},"ttlMs":0,"cacheScope":"private"}'));
      if (method === 'tools/list') return reply(res, rpc(id, '"result":{"resultType":"complete","tools":[{"name":"t","inputSchema":{"type":"object"}}],"ttlMs":0,"cacheScope":"private"}'));
      SCENARIOS[scenario]!(res, { id, method });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const url = (scenario: string) => `${base}/${scenario}/mcp`;

async function failure(work: Promise<unknown>): Promise<McpClientError> {
  const error = await work.then(
    (value) => new Error(`expected a client error, got success: ${JSON.stringify(value)}`),
    (caught: unknown) => caught,
  );
  if (!(error instanceof McpClientError)) throw error;
  return error;
}

describe('a server that answers a call with a malformed response', () => {
  it.each<[string, ClientErrorCode, string]>([
    ['string-result', 'INVALID_RESPONSE', '"result" must be an object'],
    ['array-reply', 'INVALID_RESPONSE', 'JSON array'],
    ['no-content', 'INVALID_RESPONSE', 'tools/call returned a result that has no array "content"'],
    ['bad-error', 'INVALID_RESPONSE', '"error.code" must be an integer'],
    ['result-and-error', 'INVALID_RESPONSE', 'exactly one of "result" and "error"'],
  ])('%s: the call fails with %s naming the fault', async (scenario, code, fault) => {
    const error = await failure(createClient(url(scenario)).callTool('t'));
    expect(error.code).toBe(code);
    expect(error.message).toContain(fault);
  });

  it.each(['string-result', 'array-reply', 'no-content'])('%s: the CLI exits 3 and says what was wrong', async (scenario) => {
    const { code, stdout, stderr } = await cli(['call', url(scenario), 't']);
    expect({ code, stdout }).toEqual({ code: 3, stdout: '' });
    expect(stderr).toContain('error (INVALID_RESPONSE)');
  });
});

describe('a server whose result has the wrong MCP shape', () => {
  const call = (client: ReturnType<typeof createClient>, scenario: string) => {
    if (scenario.startsWith('contents')) return client.readResource('demo://a');
    if (scenario.startsWith('prompt-system')) return client.getPrompt('p');
    if (scenario.startsWith('completion')) return client.complete({ type: 'ref/prompt', name: 'p' }, { name: 'a', value: '' });
    if (scenario.startsWith('resource-without')) return client.listResources();
    if (scenario.startsWith('prompt-list')) return client.listPrompts();
    return client.callTool('t');
  };

  it.each([
    ['text-without-text', 'tools/call returned a result whose "content[1]" has no string "text"'],
    ['unknown-block', 'tools/call returned a result whose "content[0]" has the type "video", which is no MCP content block'],
    ['is-error-string', 'tools/call returned a result that has a non-boolean "isError"'],
    ['embedded-without-uri', 'tools/call returned a result whose "content[0]" holds a "resource" that has no string "uri"'],
    ['contents-without-body', 'resources/read returned a result whose "contents[0]" has neither the string "text" nor the string "blob"'],
    ['prompt-system-role', 'prompts/get returned a result whose "messages[0]" has the role "system", not "user" or "assistant"'],
    ['completion-numbers', 'completion/complete returned a result whose "completion.values" are not all strings'],
    ['completion-missing', 'completion/complete returned a result that has no object "completion"'],
    ['resource-without-uri', 'resources/list returned a result whose "resources[1]" has no string "uri"'],
    ['prompt-list-string', 'prompts/list returned a result whose "prompts[0]" is not an object'],
  ])('%s: INVALID_RESPONSE says which field is wrong and what to do', async (scenario, fault) => {
    const error = await failure(call(createClient(url(scenario)), scenario));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain(fault);
    expect(error.message).toContain('report it to its operator');
  });

  it.each([
    ['elicit-without-message', 'The server asked for elicitation/create with params that lack the string "message"'],
    ['sampling-without-max-tokens', 'The server asked for sampling/createMessage with params that lack the array "messages" and the number "maxTokens"'],
  ])('%s: a malformed input request never reaches the handler', async (scenario, fault) => {
    const asked: unknown[] = [];
    const handlers = {
      elicitation: (params: unknown) => (asked.push(params), { action: 'decline' as const }),
      sampling: (params: unknown) => (asked.push(params), { role: 'assistant' as const, content: { type: 'text', text: 'x' }, model: 'm' }),
    };
    const error = await failure(createClient(url(scenario), { handlers }).callTool('t'));
    expect({ code: error.code, asked }).toEqual({ code: 'INVALID_RESPONSE', asked: [] });
    expect(error.message).toContain(fault);
  });

  it('the CLI exits 3 on a tool result with a malformed content block', async () => {
    const { code, stdout, stderr } = await cli(['call', url('text-without-text'), 't']);
    expect({ code, stdout }).toEqual({ code: 3, stdout: '' });
    expect(stderr).toContain('"content[1]" has no string "text"');
  });
});

describe('the CLI listing resources', () => {
  it('treats a server without resources/templates/list as having no templates', async () => {
    const { code, stdout } = await cli(['read', url('templates-missing'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ resources: [{ uri: 'demo://a', name: 'a' }], resourceTemplates: [] });
  });

  it('exits 3 when listing templates fails any other way, instead of hiding it', async () => {
    const { code, stderr } = await cli(['read', url('templates-broken')]);
    expect(code).toBe(3);
    expect(stderr).toContain('resources/templates/list returned a result that has a non-array "resourceTemplates"');
  });
});

describe('a server that sends an endless message', () => {
  const maxMessageBytes = 1024 * 1024;

  it.each(['endless-sse', 'endless-json'])('%s: the client stops at maxMessageBytes, hangs up and says which option to raise', async (scenario) => {
    const error = await failure(createClient(url(scenario), { maxMessageBytes }).callTool('t'));
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(error.message).toContain('raise maxMessageBytes');
    const sent = pumped.get(scenario)!;
    await expect.poll(() => sent.closed).toBe(true);
    // What the server got out before the hang-up: the cap plus what loopback sockets buffer (a few MiB).
    expect(sent.bytes).toBeLessThan(maxMessageBytes + 16 * 1024 * 1024);
  });

  it('endless-error: a failed answer whose body never ends is still reported by its status', async () => {
    const error = await failure(createClient(url('endless-error'), { maxMessageBytes }).callTool('t'));
    expect(error).toMatchObject({ code: 'HTTP_ERROR', status: 500 });
    await expect.poll(() => pumped.get('endless-error')!.closed).toBe(true);
  });

  it('the CLI exits 3 on an endless line at the default 16 MiB cap', async () => {
    const { code, stderr } = await cli(['call', url('endless-sse'), 't']);
    expect(code).toBe(3);
    expect(stderr).toContain('error (MESSAGE_TOO_LARGE)');
  });
});

describe('malformed notifications', () => {
  it('bad-acknowledgement: a filter that is not one rejects `acknowledged` with INVALID_RESPONSE', async () => {
    const subscription = createClient(url('bad-acknowledgement')).listen({ toolsListChanged: true });
    const error = await failure(subscription.acknowledged);
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('flags must be booleans');
    subscription.close();
  });

  it('partial-without-text: a piece with a malformed content block is dropped with a warning, the result still arrives', async () => {
    const warnings: string[] = [];
    const pieces: unknown[] = [];
    const client = createClient(url('partial-without-text'), { onWarning: (message) => warnings.push(message) });
    const result = await client.callTool('t', {}, { onPartial: (piece) => void pieces.push(piece) });
    expect({ result, pieces }).toEqual({ result: { content: [{ type: 'text', text: 'whole' }] }, pieces: [] });
    expect(warnings).toEqual([expect.stringContaining('Ignoring partial result 0: its content is not an array of content blocks')]);
  });
});

describe('a listen stream that goes silent', () => {
  it('ends with TIMEOUT after idleTimeoutMs without a byte', async () => {
    const subscription = createClient(url('silent')).listen({ toolsListChanged: true }, { idleTimeoutMs: 200 });
    const error = await failure(subscription.next());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('not even a keep-alive');
    await expect(subscription.finished).rejects.toBe(error);
  });

  it('is kept open by keep-alive comments, and times out only once they stop', async () => {
    // The comments span three times the idle limit: without the reset the client would leave a third of the way in.
    const subscription = createClient(url('keepalive')).listen({ toolsListChanged: true }, { idleTimeoutMs: 500 });
    await expect(subscription.acknowledged).resolves.toEqual({ toolsListChanged: true });
    const error = await failure(subscription.next());
    expect(error.code).toBe('TIMEOUT');
    await expect.poll(() => keepAlivesBeforeClose).toBe(KEEP_ALIVES);
  });
});
