// The 2025 lane served statelessly: initialize negotiation without a session, 202 for
// notifications and responses, batches only for 2025-03-26, server-to-client requests that
// complete in-process and fail fast when their answer cannot be routed.
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
  served = await serveApp((options) => createMcpApp(createBehaviourServer(createProbe(), { clientRequestTimeoutMs: 300 }), options));
});
afterAll(() => served.close());

const initialize = (protocolVersion: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion, capabilities: { elicitation: {} }, clientInfo: { name: 'raw', version: '1' } },
});

describe('2025 lane', () => {
  it.each([
    ['2025-11-25', '2025-11-25'],
    ['2025-06-18', '2025-06-18'],
    ['2025-03-26', '2025-03-26'],
    ['2024-11-05', '2024-11-05'],
    ['1999-01-01', '2025-11-25'],
  ])('answers initialize %s with version %s and no session id', async (requested, negotiated) => {
    const response = await postRaw(served.url, initialize(requested), {});
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
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
    const response = await postRaw(
      served.url,
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'ask', arguments: {} } },
      { 'mcp-protocol-version': '2025-11-25' },
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const answers = [{ name: 'Ada' }, { colour: 'blue' }];
    let result: Record<string, any> | undefined;
    for await (const message of readMessages(response)) {
      if (message.method === 'elicitation/create') {
        const reply = await postRaw(served.url, { jsonrpc: '2.0', id: message.id, result: { action: 'accept', content: answers.shift() } }, { 'mcp-protocol-version': '2025-11-25' });
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
      const response = await postRaw(a!.url, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'ask', arguments: {} } }, { 'mcp-protocol-version': '2025-11-25' });
      const answers = [{ name: 'Grace' }, { colour: 'red' }];
      let text: string | undefined;
      for await (const message of readMessages(response)) {
        if (message.method === 'elicitation/create') {
          // The answer goes to instance B, as a round-robin balancer would send it.
          const reply = await postRaw(b!.url, { jsonrpc: '2.0', id: message.id, result: { action: 'accept', content: answers.shift() } }, { 'mcp-protocol-version': '2025-11-25' });
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
    const response = await postRaw(served.url, { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'ask', arguments: {} } }, { 'mcp-protocol-version': '2025-11-25' });
    const messages: Record<string, any>[] = [];
    for await (const message of readMessages(response)) messages.push(message);
    expect(messages[0]!.method).toBe('elicitation/create');
    expect(messages.at(-1)!.error.message).toContain('did not answer');
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));
