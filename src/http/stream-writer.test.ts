import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResponseMode } from './checks.ts';
import { StreamWriter } from './stream-writer.ts';

const SSE: ResponseMode = { framing: 'sse', contentType: 'text/event-stream', alwaysStream: false };
const JSONL: ResponseMode = { framing: 'jsonl', contentType: 'application/jsonl', alwaysStream: false };

const note = { jsonrpc: '2.0' as const, method: 'notifications/progress', params: { progressToken: 't', progress: 1 } };
const result = { jsonrpc: '2.0' as const, id: 1, result: {} };
const noCancel = { abort() {} };

async function textOf(writer: StreamWriter): Promise<string> {
  return new Response(writer.readable).text();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('StreamWriter.until', () => {
  it("gives done's value when nothing was sent", async () => {
    const writer = new StreamWriter(SSE, 0, noCancel);
    await expect(writer.until(Promise.resolve(result))).resolves.toBe(result);
    expect(writer.isOpen).toBe(false);
  });

  it('gives undefined at the first message, while the call still runs', async () => {
    const writer = new StreamWriter(JSONL, 0, noCancel);
    const first = writer.until(new Promise(() => {}));
    writer.send(note);
    await expect(first).resolves.toBeUndefined();
    writer.finish(result);
    expect(await textOf(writer)).toBe(`${JSON.stringify(note)}\n${JSON.stringify(result)}\n`);
  });

  it('gives undefined when a message went out before it was asked', async () => {
    const writer = new StreamWriter(SSE, 0, noCancel);
    writer.send(note);
    await expect(writer.until(Promise.resolve(result))).resolves.toBeUndefined();
  });
});

describe('StreamWriter keep-alive', () => {
  it('opens a silent SSE call with a comment once keepAliveMs pass', async () => {
    vi.useFakeTimers();
    const writer = new StreamWriter(SSE, 1000, noCancel);
    const first = writer.until(new Promise(() => {}));
    vi.advanceTimersByTime(1000);
    await expect(first).resolves.toBeUndefined();
    writer.finish(result);
    expect(await textOf(writer)).toBe(`: keep-alive\n\nevent: message\ndata: ${JSON.stringify(result)}\n\n`);
  });

  it('sends nothing once closed', () => {
    vi.useFakeTimers();
    const writer = new StreamWriter(SSE, 1000, noCancel);
    writer.close();
    vi.advanceTimersByTime(5000);
    writer.send(note);
    expect(writer.isOpen).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

it('aborts its cancellation when the client closes the stream', async () => {
  const cancellation = new AbortController();
  const writer = new StreamWriter(SSE, 0, cancellation);
  writer.send(note);
  await writer.readable.cancel(new Error('gone'));
  expect(cancellation.signal.aborted).toBe(true);
  expect((cancellation.signal.reason as Error).message).toBe('gone');
});
