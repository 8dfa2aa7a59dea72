import { afterEach, describe, expect, it, vi } from 'vitest';
import { McpServer } from '../server/server.ts';
import { createMcpApp } from './app.ts';
import { createPostHandler } from './handler.ts';

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

function call(name: string, signal: AbortSignal, accept = 'application/json, text/event-stream'): Request {
  return new Request('http://localhost/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {}, _meta: { progressToken: 't' } } }),
    signal,
  });
}

async function answerText(response: Response): Promise<string> {
  return (await response.json()).result.content[0].text;
}

describe('cancellation through the handler signal', () => {
  it('aborts a signal first read after the client left', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = new McpServer({ name: 's', version: '1' });
    server.registerTool('late_look', {}, async (_args, ctx) => {
      await gate;
      return text(`aborted: ${ctx.signal.aborted}`);
    });
    const client = new AbortController();
    const answer = createPostHandler(server)(call('late_look', client.signal));
    await new Promise((resolve) => setTimeout(resolve, 10));
    client.abort();
    release();
    expect(await answerText(await answer)).toBe('aborted: true');
  });

  it('aborts a signal the handler watches when the client leaves', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.registerTool('watcher', {}, async (_args, ctx) => {
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
      return text('cancelled');
    });
    const client = new AbortController();
    const answer = createPostHandler(server)(call('watcher', client.signal));
    await new Promise((resolve) => setTimeout(resolve, 10));
    client.abort();
    expect(await answerText(await answer)).toBe('cancelled');
  });
});

it('streams a notification sent before the handler first awaits, then the result', async () => {
  const server = new McpServer({ name: 's', version: '1' });
  server.registerTool('eager', {}, (_args, ctx) => {
    ctx.progress(1);
    return text('done');
  });
  const response = await createPostHandler(server)(call('eager', new AbortController().signal, 'application/json, application/jsonl'));
  expect(response.headers.get('content-type')).toBe('application/jsonl');
  const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
  expect(lines.map((m) => m.method ?? m.result.content[0].text)).toEqual(['notifications/progress', 'done']);
});

describe("the host's deadline (the mcpDeadline binding)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A tool that never finishes and never looks at its signal: only the time limit can answer. */
  function stuckServer(): McpServer {
    const server = new McpServer({ name: 's', version: '1' });
    server.registerTool('stuck', {}, () => new Promise(() => {}));
    return server;
  }

  /** Resolves `answer` once `ms` of fake time passed, or reports it still pending. */
  async function afterMs(answer: Promise<Response>, ms: number): Promise<Response | 'pending'> {
    let settled: Response | undefined;
    void answer.then((response) => (settled = response));
    await vi.advanceTimersByTimeAsync(ms);
    return settled ?? 'pending';
  }

  it.each([
    ['the deadline, before timeoutMs', { timeoutMs: 60_000 }, 1_000, 1_000],
    ['timeoutMs, before the deadline', { timeoutMs: 500 }, 10_000, 500],
    ['the deadline, with no timeoutMs', {}, 2_000, 2_000],
  ])('ends a call at %s with a timeout error', async (_, options, deadlineInMs, endsAtMs) => {
    vi.useFakeTimers();
    const app = createMcpApp(stuckServer(), { ...options, log: false });
    const answer = Promise.resolve(app.fetch(call('stuck', new AbortController().signal), { mcpDeadline: Date.now() + deadlineInMs }));
    expect(await afterMs(answer, endsAtMs - 1)).toBe('pending');
    const response = await afterMs(answer, 1);
    expect(response).toBeInstanceOf(Response);
    const body = await (response as Response).json();
    expect(body.error).toMatchObject({ code: -32603, message: expect.stringMatching(/^Request timed out/) });
  });
});
