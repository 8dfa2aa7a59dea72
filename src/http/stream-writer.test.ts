import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResponseMode } from './checks.ts';
import { StreamWriter } from './stream-writer.ts';

const SSE: ResponseMode = { framing: 'sse', contentType: 'text/event-stream', alwaysStream: false };
const JSONL: ResponseMode = { framing: 'jsonl', contentType: 'application/jsonl', alwaysStream: false };

const note = { jsonrpc: '2.0' as const, method: 'notifications/progress', params: { progressToken: 't', progress: 1 } };
const result = { jsonrpc: '2.0' as const, id: 1, result: {} };
const limits = (keepAliveMs: number, maxBufferedBytes = 1024 * 1024) => ({ keepAliveMs, maxBufferedBytes });

async function textOf(writer: StreamWriter): Promise<string> {
  return new Response(writer.readable).text();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('StreamWriter.until', () => {
  it("gives done's value when nothing was sent", async () => {
    const writer = new StreamWriter(SSE, limits(0));
    await expect(writer.until(Promise.resolve(result))).resolves.toBe(result);
    expect(writer.isOpen).toBe(false);
  });

  it('gives undefined at the first message, while the call still runs', async () => {
    const writer = new StreamWriter(JSONL, limits(0));
    const first = writer.until(new Promise(() => {}));
    writer.send(note);
    await expect(first).resolves.toBeUndefined();
    writer.finish(result);
    expect(await textOf(writer)).toBe(`${JSON.stringify(note)}\n${JSON.stringify(result)}\n`);
  });

  it('gives undefined when a message went out before it was asked', async () => {
    const writer = new StreamWriter(SSE, limits(0));
    writer.send(note);
    await expect(writer.until(Promise.resolve(result))).resolves.toBeUndefined();
  });
});

describe('StreamWriter keep-alive', () => {
  it('opens a silent SSE call with a comment once keepAliveMs pass', async () => {
    vi.useFakeTimers();
    const writer = new StreamWriter(SSE, limits(1000));
    const first = writer.until(new Promise(() => {}));
    vi.advanceTimersByTime(1000);
    await expect(first).resolves.toBeUndefined();
    writer.finish(result);
    expect(await textOf(writer)).toBe(`: keep-alive\n\nevent: message\ndata: ${JSON.stringify(result)}\n\n`);
  });

  it('sends nothing once closed', () => {
    vi.useFakeTimers();
    const writer = new StreamWriter(SSE, limits(1000));
    writer.close();
    vi.advanceTimersByTime(5000);
    writer.send(note);
    expect(writer.isOpen).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

it('aborts its closed signal when the client closes the stream', async () => {
  const writer = new StreamWriter(SSE, limits(0));
  const cancellation = { signal: writer.closed };
  writer.send(note);
  await writer.readable.cancel(new Error('gone'));
  expect(cancellation.signal.aborted).toBe(true);
  expect((cancellation.signal.reason as Error).message).toBe('gone');
});

describe('StreamWriter with a client that reads slowly', () => {
  const piece = (n: number) => ({ jsonrpc: '2.0' as const, method: 'notifications/progress', params: { progressToken: 't', progress: n, message: 'x'.repeat(200) } });
  const pieceBytes = new TextEncoder().encode(`${JSON.stringify(piece(1))}\n`).byteLength;

  it('asks producers to wait once half of maxBufferedBytes is unread, and lets them go when the client reads', async () => {
    const writer = new StreamWriter(JSONL, limits(0, 4 * pieceBytes));
    writer.send(piece(1));
    expect(writer.ready()).toBeUndefined();
    writer.send(piece(2));
    const waiting = writer.ready();
    expect(waiting).toBeInstanceOf(Promise);
    let released = false;
    void waiting!.then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    const reader = writer.readable.getReader();
    await reader.read();
    await expect.poll(() => released).toBe(true);
    expect(writer.ready()).toBeUndefined();
  });

  it('lets waiting producers go when the client closes the stream', async () => {
    const writer = new StreamWriter(SSE, limits(0, 2));
    const cancellation = { signal: writer.closed };
    writer.send(note);
    const waiting = writer.ready();
    expect(waiting).toBeInstanceOf(Promise);
    await writer.readable.cancel(new Error('gone'));
    await waiting;
    expect(cancellation.signal.aborted).toBe(true);
  });

  it('holds no more than maxBufferedBytes and one message for a reader that never reads, then ends with an error saying why', async () => {
    const max = 10 * pieceBytes + 5;
    const writer = new StreamWriter(JSONL, limits(0, max));
    const cancellation = { signal: writer.closed };
    for (let n = 1; n <= 1000; n++) writer.send(piece(n));
    expect(cancellation.signal.aborted).toBe(true);
    expect((cancellation.signal.reason as Error).message).toMatch(/read too slowly/);
    expect(writer.ready()).toBeUndefined();
    writer.finish({ jsonrpc: '2.0', id: 1, result: {} });
    const lines = (await textOf(writer)).trimEnd().split('\n').map((line) => JSON.parse(line));
    const last = lines.pop();
    expect(lines).toHaveLength(11);
    expect(lines.map((m) => m.params.progress)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(last).toMatchObject({ id: 1, error: { code: -32603, message: expect.stringMatching(/^Stream ended: the client left more than \d+ bytes of this response unread \(the server's maxBufferedBytes\)/) } });
  });

  it('sends no keep-alive behind unread data', async () => {
    vi.useFakeTimers();
    const writer = new StreamWriter(SSE, limits(1000));
    writer.send(note);
    vi.advanceTimersByTime(10_000);
    writer.finish(result);
    expect(await textOf(writer)).toBe(`event: message\ndata: ${JSON.stringify(note)}\n\nevent: message\ndata: ${JSON.stringify(result)}\n\n`);
  });
});
