// The 2025 lane served statelessly: initialize negotiation, with a sealed session id that carries
// what the client declared (so nothing is asked that it cannot answer), 202 for notifications and
// responses, batches only for 2025-03-26, server-to-client requests that complete in-process and
// fail fast when their answer cannot be routed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { MemoryBus } from '../../src/index.ts';
import { createBehaviourServer, createProbe } from '../fixtures/behaviour-server.ts';
import { postRaw, readMessages, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

let served: Served;

beforeAll(async () => {
  // The default wait for a client's answer: a short one would fail the answered elicitations below
  // whenever a busy machine delays the client's reply past it.
  served = await serveApp((options) => createMcpApp(createBehaviourServer(createProbe()), options));
});
afterAll(() => served.close());

const initialize = (protocolVersion: string, capabilities: Record<string, unknown> = { elicitation: {} }) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion, capabilities, clientInfo: { name: 'raw', version: '1' } },
});

/** Initializes at 2025-11-25 and returns the headers every later request of that session carries. */
async function startSession(url: string, capabilities?: Record<string, unknown>): Promise<Record<string, string>> {
  const response = await postRaw(url, initialize('2025-11-25', capabilities), {});
  const id = response.headers.get('mcp-session-id');
  await response.body?.cancel();
  if (id === null) throw new Error('initialize returned no Mcp-Session-Id');
  return { 'mcp-protocol-version': '2025-11-25', 'mcp-session-id': id };
}

const callAsk = (id: number, name = 'ask') => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

describe('2025 lane', () => {
  it.each([
    ['2025-11-25', '2025-11-25'],
    ['2025-06-18', '2025-06-18'],
    ['2025-03-26', '2025-03-26'],
    ['2024-11-05', '2024-11-05'],
    ['1999-01-01', '2025-11-25'],
  ])('answers initialize %s with version %s and a sealed session id', async (requested, negotiated) => {
    const response = await postRaw(served.url, initialize(requested), {});
    expect(response.status).toBe(200);
    // Visible ASCII only (MCP 2025-11-25, basic/transports): version, key id, IV, ciphertext.
    expect(response.headers.get('mcp-session-id')).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    const body = await response.json();
    expect(body.result.protocolVersion).toBe(negotiated);
    expect(body.result.serverInfo).toEqual({ name: 'behaviour', version: '1.0.0' });
    expect(body.result.resultType).toBeUndefined();
  });

  it('answers 202 to notifications/initialized', async () => {
    const response = await postRaw(served.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-protocol-version': '2025-11-25' });
    expect(response.status).toBe(202);
  });

  it('answers ping and logging/setLevel', async () => {
    const headers = { 'mcp-protocol-version': '2025-11-25' };
    expect((await (await postRaw(served.url, { jsonrpc: '2.0', id: 2, method: 'ping' }, headers)).json()).result).toEqual({});
    expect((await (await postRaw(served.url, { jsonrpc: '2.0', id: 3, method: 'logging/setLevel', params: { level: 'debug' } }, headers)).json()).result).toEqual({});
  });

  it('answers 400 to an MCP-Protocol-Version it does not know, listing the supported ones', async () => {
    const response = await postRaw(served.url, { jsonrpc: '2.0', id: 4, method: 'tools/list' }, { 'mcp-protocol-version': '2099-01-01' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.data.supported).toContain('2025-06-18');
  });

  it('accepts a JSON-RPC batch from a 2025-03-26 client and answers every request in it', async () => {
    const response = await postRaw(
      served.url,
      [
        { jsonrpc: '2.0', id: 'a', method: 'ping' },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 'b', method: 'tools/list' },
      ],
      { 'mcp-protocol-version': '2025-03-26' },
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.map((r: { id: string }) => r.id)).toEqual(['a', 'b']);
    expect(body[1].result.tools.length).toBeGreaterThan(3);
  });

  it('completes a server-to-client elicitation when the answer reaches this process', async () => {
    const session = await startSession(served.url);
    const response = await postRaw(served.url, callAsk(7), session);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const answers = [{ name: 'Ada' }, { colour: 'blue' }];
    let result: Record<string, any> | undefined;
    for await (const message of readMessages(response)) {
      if (message.method === 'elicitation/create') {
        const reply = await postRaw(served.url, { jsonrpc: '2.0', id: message.id, result: { action: 'accept', content: answers.shift() } }, session);
        expect(reply.status).toBe(202);
      } else if (message.id === 7) {
        result = message.result;
      }
    }
    expect(result?.content[0].text).toBe('Ada likes blue');
  });

  it('routes the answer through the shared bus when it reaches another instance', async () => {
    const bus = new MemoryBus();
    const [a, b] = await Promise.all([1, 2].map(() => serveApp((options) => createMcpApp(createBehaviourServer(createProbe(), { bus }), options))));
    try {
      const session = await startSession(b!.url);
      const response = await postRaw(a!.url, callAsk(9), session);
      const answers = [{ name: 'Grace' }, { colour: 'red' }];
      let text: string | undefined;
      for await (const message of readMessages(response)) {
        if (message.method === 'elicitation/create') {
          // The answer goes to instance B, as a round-robin balancer would send it.
          const reply = await postRaw(b!.url, { jsonrpc: '2.0', id: message.id, result: { action: 'accept', content: answers.shift() } }, session);
          expect(reply.status).toBe(202);
        } else if (message.id === 9) {
          text = message.result.content[0].text;
        }
      }
      expect(text).toBe('Grace likes red');
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('fails fast with a clear error when an answer reaches an instance that is not waiting for it', async () => {
    const reply = await postRaw(served.url, { jsonrpc: '2.0', id: 's2c-unknown', result: {} }, { 'mcp-protocol-version': '2025-11-25' });
    expect(reply.status).toBe(400);
    expect((await reply.json()).error.message).toContain('waiting');
  });

  it('ends the handler with a clear error when no answer comes, instead of hanging', async () => {
    const impatient = await serveApp((options) => createMcpApp(createBehaviourServer(createProbe(), { clientRequestTimeoutMs: 300 }), options));
    try {
      const response = await postRaw(impatient.url, callAsk(8), await startSession(impatient.url));
      const messages: Record<string, any>[] = [];
      for await (const message of readMessages(response)) messages.push(message);
      expect(messages[0]!.method).toBe('elicitation/create');
      expect(messages.at(-1)!.error.message).toContain('did not answer');
    } finally {
      await impatient.close();
    }
  });
});

describe('2025 sessions: a sealed Mcp-Session-Id carries what the client declared', () => {
  /** Every message of the answer, and whether it came as a stream. */
  async function exchange(url: string, body: unknown, headers: Record<string, string>) {
    const response = await postRaw(url, body, headers);
    const streamed = response.headers.get('content-type') === 'text/event-stream';
    const messages: Record<string, any>[] = streamed ? [] : [await response.json()];
    if (streamed) for await (const message of readMessages(response)) messages.push(message);
    return { status: response.status, messages };
  }

  it('asks nothing of a client that declared no elicitation: the ask fails at once with -32021', async () => {
    const { status, messages } = await exchange(served.url, callAsk(20), await startSession(served.url, {}));
    expect(status).toBe(200);
    // One answer, no elicitation/create, and not the time-out a wait for an answer would end in.
    expect(messages).toHaveLength(1);
    expect(messages[0]!.result).toMatchObject({ isError: true });
    expect(messages[0]!.result.content[0].text).toMatch(/requires the elicitation capability.*capabilities of initialize/);
  });

  it('lets the handler catch that error and answer with an isError result of its own', async () => {
    const { messages } = await exchange(served.url, callAsk(21, 'ask_or_explain'), await startSession(served.url, { sampling: {} }));
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 21, result: { content: [{ type: 'text', text: expect.stringMatching(/^Cannot ask: Server requires the elicitation capability/) }], isError: true } }]);
  });

  it('treats a request without a session id as from a client that declared nothing, and says what to send', async () => {
    const { messages } = await exchange(served.url, callAsk(22, 'ask_or_explain'), { 'mcp-protocol-version': '2025-11-25' });
    expect(messages).toHaveLength(1);
    expect(messages[0]!.result.content[0].text).toContain('send the Mcp-Session-Id it returns on every request (this request carried none)');
  });

  it('shows handlers what the client declared, on another instance sharing the keys', async () => {
    const keys = [{ id: 'shared', secret: 'a-test-secret-that-is-at-least-32-bytes-long' }];
    const [a, b] = await Promise.all([1, 2].map(() => serveApp((options) => createMcpApp(createBehaviourServer(createProbe(), { requestState: { keys } }), options))));
    try {
      const session = await startSession(a!.url, { roots: { listChanged: true }, elicitation: { form: {} } });
      const { messages } = await exchange(b!.url, callAsk(23, 'whoami'), session);
      expect(JSON.parse(messages[0]!.result.content[0].text)).toEqual({ clientInfo: { name: 'raw', version: '1' }, capabilities: { roots: { listChanged: true }, elicitation: { form: {} } } });
      // Without the header the same instance knows nothing of the client.
      const { messages: anonymous } = await exchange(b!.url, callAsk(24, 'whoami'), { 'mcp-protocol-version': '2025-11-25' });
      expect(JSON.parse(anonymous[0]!.result.content[0].text)).toEqual({ clientInfo: null, capabilities: null });
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('answers 404 to a session id that was tampered with, forged, or sealed elsewhere, so the client initializes again', async () => {
    const session = await startSession(served.url);
    const id = session['mcp-session-id']!;
    const last = id.at(-1) === 'A' ? 'B' : 'A';
    const elsewhere = await serveApp((options) => createMcpApp(createBehaviourServer(createProbe(), { requestState: { keys: [{ id: 'other', secret: 'another-test-secret-that-is-at-least-32-bytes-long' }] } }), options));
    try {
      const foreign = (await startSession(elsewhere.url))['mcp-session-id']!;
      for (const [bad, why] of [[`${id.slice(0, -1)}${last}`, 'failed its integrity check'], ['1868a90c-made-up', 'was not issued by this server'], [foreign, 'sealed with a key this server does not hold']]) {
        for (const body of [callAsk(25, 'whoami'), { jsonrpc: '2.0', method: 'notifications/initialized' }]) {
          const response = await postRaw(served.url, body, { ...session, 'mcp-session-id': bad! });
          expect(response.status, `${why}: ${JSON.stringify(body)}`).toBe(404);
          expect((await response.json()).error.message).toContain(why);
        }
      }
      // initialize never needs one: a stale header there is ignored and a new session starts.
      const again = await postRaw(served.url, initialize('2025-11-25'), { 'mcp-session-id': 'stale' });
      expect(again.status).toBe(200);
      expect(again.headers.get('mcp-session-id')).not.toBe('stale');
    } finally {
      await elsewhere.close();
    }
  });

  it('answers 404 once the session has expired (sessionTtlMs)', async () => {
    let now = Date.now();
    const clocked = await serveApp((options) => createMcpApp(createBehaviourServer(createProbe(), { sessionTtlMs: 60_000, requestState: { now: () => now } }), options));
    try {
      const session = await startSession(clocked.url);
      now += 60_000;
      expect((await postRaw(clocked.url, callAsk(26, 'whoami'), session)).status).toBe(200);
      now += 1;
      const expired = await postRaw(clocked.url, callAsk(27, 'whoami'), session);
      expect(expired.status).toBe(404);
      expect((await expired.json()).error.message).toContain('has expired. Send initialize again');
    } finally {
      await clocked.close();
    }
  });

  it('refuses capabilities too large to carry in a session id, naming the limit', async () => {
    const response = await postRaw(served.url, initialize('2025-11-25', { experimental: { blob: 'x'.repeat(5000) } }), {});
    const body = await response.json();
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(/take \d+ bytes; the session id that carries them holds at most 4096/);
  });

  it('answers DELETE and GET with a session id with 405: there is no session to end and no stream to open', async () => {
    const session = await startSession(served.url);
    for (const method of ['DELETE', 'GET']) {
      const response = await fetch(served.url, { method, headers: { ...session, accept: 'text/event-stream' } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST, OPTIONS');
      const body = await response.json();
      expect(body.error.message).toMatch(method === 'DELETE' ? /keeps no sessions to end/ : /GET is not served/);
    }
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));
