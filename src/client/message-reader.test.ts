import { describe, expect, it } from 'vitest';
import { McpClientError } from './errors.ts';
import { readMessages, readSse } from './message-reader.ts';
import type { StreamCursor } from './message-reader.ts';

/** A body delivered in exactly these chunks, so boundaries fall where the test says. */
function chunked(...chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const response = (type: string, ...chunks: (string | Uint8Array)[]) => new Response(chunked(...chunks), { headers: { 'content-type': type } });

describe('readSse', () => {
  it('parses events split anywhere, with CRLF, CR and LF line ends, comments and multi-line data', async () => {
    const events = await collect(readSse(chunked('\ufeff: keep-alive\r\ndata: {"a"', ':1}\r', '\n\r\nevent: custom\ndata: line1\ndata:line2\r\rdata: x\n\n')));
    expect(events).toEqual([
      { type: 'message', data: '{"a":1}', id: undefined },
      { type: 'custom', data: 'line1\nline2', id: undefined },
      { type: 'message', data: 'x', id: undefined },
    ]);
  });

  it('tracks the last event id and the retry interval for resuming, and drops an unterminated event', async () => {
    const cursor: StreamCursor = {};
    const events = await collect(readSse(chunked('id: e1\nretry: 500\ndata: \n\nid: e2\ndata: {}\n\ndata: {"cut":'), cursor));
    expect(events).toEqual([
      { type: 'message', data: '', id: 'e1' },
      { type: 'message', data: '{}', id: 'e2' },
    ]);
    expect(cursor).toEqual({ lastEventId: 'e2', retryMs: 500 });
  });

  it('keeps a multi-byte character that is split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: "世界"\n\n');
    const events = await collect(readSse(chunked(bytes.slice(0, 8), bytes.slice(8))));
    expect(events.map((e) => e.data)).toEqual(['"世界"']);
  });
});

describe('readMessages', () => {
  it('yields SSE messages and skips the empty-data priming event', async () => {
    const messages = await collect(readMessages(response('text/event-stream; charset=utf-8', 'id: 1\ndata:\n\n', 'data: {"jsonrpc":"2.0","method":"n"}\n\n')));
    expect(messages).toEqual([{ jsonrpc: '2.0', method: 'n' }]);
  });

  it.each(['application/jsonl', 'application/json-lines', 'application/x-ndjson'])('reads JSON Lines as %s, skipping blank lines', async (type) => {
    const messages = await collect(readMessages(response(type, '{"n":1}\r\n\n  \n{"n"', ':2}\n{"n":3}')));
    expect(messages).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('reads a JSON body, and refuses a batch array: one message gets one answer', async () => {
    expect(await collect(readMessages(response('application/json', '{"id":1}')))).toEqual([{ id: 1 }]);
    await expect(collect(readMessages(response('application/json', '[{"id":1},{"id":2}]')))).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringContaining('JSON array') });
  });

  it('refuses a content type MCP does not use, naming it', async () => {
    await expect(collect(readMessages(response('text/html', '<html>')))).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringContaining('"text/html"') });
  });

  it('refuses a message that is not JSON, quoting it', async () => {
    await expect(collect(readMessages(response('text/event-stream', 'data: {nope\n\n')))).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringContaining('{nope') });
  });
});

/** A body that sends `opening`, then `chunk` forever (an endless line), counting what was pulled and whether it was cancelled. */
function endless(opening: string, chunk: string) {
  const bytes = new TextEncoder().encode(chunk);
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(opening));
    },
    pull(controller) {
      seen.pulled += bytes.byteLength;
      controller.enqueue(bytes);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

describe('maxMessageBytes', () => {
  const max = 64 * 1024;

  it.each([
    ['an SSE line', 'text/event-stream', 'data: '],
    ['a JSON Lines record', 'application/jsonl', '{"a":"'],
    ['a JSON body', 'application/json', '{"a":"'],
  ])('stops reading %s that passes the cap, cancels the body and says which option to raise', async (_what, type, opening) => {
    const { body, seen } = endless(opening, 'x'.repeat(4096));
    const error = await collect(readMessages(new Response(body, { headers: { 'content-type': type } }), {}, max)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpClientError);
    expect(error).toMatchObject({ code: 'MESSAGE_TOO_LARGE', message: expect.stringContaining('raise maxMessageBytes') });
    expect(seen.cancelled).toBe(true);
    // Bounded: the read stopped within one chunk of the cap.
    expect(seen.pulled).toBeLessThanOrEqual(max + 2 * 4096);
  });

  it('counts every data line of one SSE event towards the cap', async () => {
    const lines = 'data: ' + 'y'.repeat(1000) + '\n';
    await expect(collect(readSse(chunked(lines.repeat(100), '\n'), {}, max))).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    // Each event starts afresh: many events of the same total size pass.
    const events = await collect(readSse(chunked((lines + '\n').repeat(100)), {}, max));
    expect(events).toHaveLength(100);
  });

  it('lets a message of exactly the cap through', async () => {
    const text = `{"a":"${'z'.repeat(max - 8)}"}`;
    expect(new TextEncoder().encode(text).byteLength).toBe(max);
    const [message] = await collect(readMessages(response('application/jsonl', text.slice(0, 1000), text.slice(1000), '\n'), {}, max));
    expect(message).toEqual({ a: 'z'.repeat(max - 8) });
  });
});
