import { describe, expect, it } from 'vitest';
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

  it('reads a JSON body, and each element of a batch array', async () => {
    expect(await collect(readMessages(response('application/json', '{"id":1}')))).toEqual([{ id: 1 }]);
    expect(await collect(readMessages(response('application/json', '[{"id":1},{"id":2}]')))).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('refuses a content type MCP does not use, naming it', async () => {
    await expect(collect(readMessages(response('text/html', '<html>')))).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringContaining('"text/html"') });
  });

  it('refuses a message that is not JSON, quoting it', async () => {
    await expect(collect(readMessages(response('text/event-stream', 'data: {nope\n\n')))).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringContaining('{nope') });
  });
});
