// subscriptions/listen: acknowledgement first, only what was asked for, every message tagged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import type { McpServer } from '../../src/index.ts';
import { createBehaviourServer, createProbe } from '../fixtures/behaviour-server.ts';
import { post, readMessages, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

let server: McpServer;
let served: Served;

beforeAll(async () => {
  server = createBehaviourServer(createProbe());
  served = await serveApp((options) => createMcpApp(server, options));
});
afterAll(() => served.close());

async function open(id: string, notifications: Record<string, unknown>) {
  const controller = new AbortController();
  const response = await post(served.url, 'subscriptions/listen', { id, params: { notifications }, signal: controller.signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  return { messages: readMessages(response), close: () => controller.abort() };
}

describe('subscriptions/listen', () => {
  it('acknowledges the honoured subset first, then forwards matching changes tagged with the subscription id', async () => {
    const tools = await open('sub-tools', { toolsListChanged: true, resourceSubscriptions: ['test://doc'], unknownFlag: true });
    const prompts = await open('sub-prompts', { promptsListChanged: true });
    const ack = (await tools.messages.next()).value;
    expect(ack).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-tools' }, notifications: { toolsListChanged: true, resourceSubscriptions: ['test://doc'] } },
    });
    expect((await prompts.messages.next()).value.params.notifications).toEqual({ promptsListChanged: true });

    await server.notify({ type: 'tools/list_changed' });
    await server.notify({ type: 'resources/updated', uri: 'test://other' });
    await server.notify({ type: 'resources/updated', uri: 'test://doc' });
    await server.notify({ type: 'prompts/list_changed' });

    const toolEvents = [(await tools.messages.next()).value, (await tools.messages.next()).value];
    expect(toolEvents.map((m) => m.method)).toEqual(['notifications/tools/list_changed', 'notifications/resources/updated']);
    expect(toolEvents[1].params.uri).toBe('test://doc');
    for (const m of toolEvents) expect(m.params._meta['io.modelcontextprotocol/subscriptionId']).toBe('sub-tools');
    // The prompts-only stream sees its own event and nothing about tools.
    expect((await prompts.messages.next()).value.method).toBe('notifications/prompts/list_changed');
    tools.close();
    prompts.close();
  });

  it('answers -32602 when params.notifications is missing', async () => {
    const response = await post(served.url, 'subscriptions/listen', { params: {} });
    expect((await response.json()).error.code).toBe(-32602);
  });

  it('ends with the subscriptions/listen result when the host time limit passes', async () => {
    const limited = await serveApp((options) => createMcpApp(server, { ...options, timeoutMs: 100 }));
    try {
      const response = await post(limited.url, 'subscriptions/listen', { id: 'short', params: { notifications: { toolsListChanged: true } } });
      const all: Record<string, any>[] = [];
      for await (const message of readMessages(response)) all.push(message);
      expect(all.map((m) => m.method ?? 'result')).toEqual(['notifications/subscriptions/acknowledged', 'result']);
      expect(all[1]!.result.resultType).toBe('complete');
      expect(all[1]!.result._meta['io.modelcontextprotocol/subscriptionId']).toBe('short');
    } finally {
      await limited.close();
    }
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));
