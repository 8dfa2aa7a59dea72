// The tasks extension over HTTP beyond what the conformance referee checks: task status pushed to
// subscriptions/listen, capability and header rules for tasks/*, input through tasks/update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { post, readMessages, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const TASKS = { extensions: { 'io.modelcontextprotocol/tasks': {} }, elicitation: {} };
let served: Served;

beforeAll(async () => {
  served = await serveApp((options) => createMcpApp(createConformanceServer(), options));
});
afterAll(() => served.close());

async function start(name: string, args: Record<string, unknown> = {}) {
  const body = await (await post(served.url, 'tools/call', { params: { name, arguments: args }, capabilities: TASKS })).json();
  expect(body.result.resultType).toBe('task');
  return body.result.taskId as string;
}

const taskCall = (method: string, taskId: string, extra: Record<string, unknown> = {}, capabilities: Record<string, unknown> = TASKS) =>
  post(served.url, method, { params: { taskId, ...extra }, capabilities, headers: { 'mcp-name': taskId } });

describe('tasks over HTTP', () => {
  it('pushes each state of a task to a listen stream that asked for its id', async () => {
    const taskId = await start('confirm_delete');
    const controller = new AbortController();
    const response = await post(served.url, 'subscriptions/listen', { id: 'tasks-listen', params: { notifications: { taskIds: [taskId] } }, capabilities: TASKS, signal: controller.signal });
    const messages = readMessages(response);
    expect((await messages.next()).value.params.notifications).toEqual({ taskIds: [taskId] });

    const pending = await (await taskCall('tasks/get', taskId)).json();
    expect(pending.result.status).toBe('input_required');
    const [key] = Object.keys(pending.result.inputRequests);
    const ack = await (await taskCall('tasks/update', taskId, { inputResponses: { [key!]: { action: 'accept', content: { confirm: true } } } })).json();
    expect(ack.result).toMatchObject({ resultType: 'complete' });

    const seen: string[] = [];
    for await (const message of messages) {
      expect(message.method).toBe('notifications/tasks');
      expect(message.params.taskId).toBe(taskId);
      expect(message.params._meta['io.modelcontextprotocol/subscriptionId']).toBe('tasks-listen');
      seen.push(message.params.status);
      if (message.params.status === 'completed') {
        expect(message.params.result.content[0].text).toBe('deleted');
        break;
      }
    }
    controller.abort();
    expect(seen).toContain('working');
    expect(seen.at(-1)).toBe('completed');
  });

  it('refuses task notifications to a client that did not declare the extension', async () => {
    const response = await post(served.url, 'subscriptions/listen', { params: { notifications: { taskIds: ['x'] } }, capabilities: {} });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(-32021);
  });

  it('answers 400 -32021 to tasks/get from a client that did not declare the extension', async () => {
    const taskId = await start('slow_compute', { seconds: 1 });
    const response = await taskCall('tasks/get', taskId, {}, {});
    expect(response.status).toBe(400);
    expect((await response.json()).error.data).toEqual({ requiredCapabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } });
  });

  it('answers 400 -32020 when Mcp-Name is not the taskId', async () => {
    const taskId = await start('slow_compute', { seconds: 1 });
    const response = await post(served.url, 'tasks/get', { params: { taskId }, capabilities: TASKS, headers: { 'mcp-name': 'another' } });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(-32020);
  });

  it('answers -32602 for an unknown task', async () => {
    const body = await (await taskCall('tasks/get', 'no-such-task')).json();
    expect(body.error.code).toBe(-32602);
  });

  it('cancels a running task, and acknowledges a second cancel the same way', async () => {
    const taskId = await start('slow_compute', { seconds: 30 });
    expect((await (await taskCall('tasks/cancel', taskId)).json()).result).toMatchObject({ resultType: 'complete' });
    await expect.poll(async () => (await (await taskCall('tasks/get', taskId)).json()).result.status, { timeout: 3000 }).toBe('cancelled');
    expect((await (await taskCall('tasks/cancel', taskId)).json()).result).toMatchObject({ resultType: 'complete' });
  });
});

it('emitted only messages valid under the official schema of their revision', () => expectAllValid(wire, { atLeast: 5 }));
