// Partial tool results on the wire (extension following the SEP-2998 draft), with the demo's
// query_rows: one notification per row as the row is produced, over SSE and JSON Lines, then the
// complete result; nothing of the kind without the opt-in, and the same result.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDemoApp } from '../../src/demo/app.ts';
import { modernRequest, post, postRaw, readMessages, wire } from '../support/raw-client.ts';
import { expectAllValid } from '../support/recording-fetch.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const PARTIAL = 'notifications/tools/partial_result';
const OPT_IN = { meta: { partialResultToken: 'rows' }, capabilities: { partialResults: {} } };
const rowText = (id: number) => JSON.stringify({ id, name: `row ${id}`, value: (id * 37) % 101 });
const query = (rows: number, intervalMs: number) => ({ name: 'query_rows', arguments: { rows, intervalMs } });

const MODES = [
  ['SSE', 'application/json, text/event-stream', 'text/event-stream'],
  ['JSON Lines', 'application/json, application/jsonl', 'application/jsonl'],
] as const;

/** Whether a promise settles while only I/O and immediates run: the fake clock stands still meanwhile. */
async function settlesNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 10 && !settled; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe.each(MODES)('query_rows over %s, its source gated by a fake clock', (_name, accept, contentType) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends each row as a partial before the next row is produced, seq 0, 1, 2, …, then the complete result', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const rows = 4;
    const app = createDemoApp({ keepAliveMs: 0 });
    const { headers, body } = modernRequest('tools/call', { params: query(rows, 400), ...OPT_IN, headers: { accept } });
    const answered = Promise.resolve(app.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', headers, body })));
    // No row yet: nothing to answer with.
    expect(await settlesNow(answered)).toBe(false);
    await vi.advanceTimersByTimeAsync(400);
    expect(await settlesNow(answered)).toBe(true);
    const response = await answered;
    expect(response.headers.get('content-type')).toBe(contentType);

    const messages = readMessages(response);
    let next = messages.next();
    for (let id = 1; id <= rows; id++) {
      // Row `id` is produced and the clock stands still: its partial must be readable now.
      expect(await settlesNow(next), `partial of row ${id}`).toBe(true);
      expect((await next).value).toEqual({ jsonrpc: '2.0', method: PARTIAL, params: { partialResultToken: 'rows', seq: id - 1, content: [{ type: 'text', text: rowText(id) }] } });
      next = messages.next();
      if (id === rows) break;
      // The next row needs the clock: nothing more comes out until it moves.
      expect(await settlesNow(next), `nothing before row ${id + 1}`).toBe(false);
      await vi.advanceTimersByTimeAsync(400);
    }
    const final = (await next).value;
    expect(final.result.content).toEqual([1, 2, 3, 4].map((id) => ({ type: 'text', text: rowText(id) })));
    expect(final.result.resultType).toBe('complete');
    expect((await messages.next()).done).toBe(true);
  });
});

describe('query_rows and its signal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops reading rows when the client closes the stream: the pending read is dropped at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const app = createDemoApp({ keepAliveMs: 0 });
    const { headers, body } = modernRequest('tools/call', { params: query(1000, 400), ...OPT_IN });
    const answered = Promise.resolve(app.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', headers, body })));
    await vi.advanceTimersByTimeAsync(400);
    const reader = (await answered).body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"seq":0');
    // The source is waiting for row 2 on its timer.
    await expect.poll(() => vi.getTimerCount()).toBe(1);
    await reader.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('query_rows over real HTTP', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveApp((options) => createDemoApp(options));
  });
  afterAll(() => served.close());

  it.each(MODES)('over %s: one partial per row in seq order, then a result equal to the one sent without the opt-in', async (_name, accept, contentType) => {
    const streamed = await post(served.url, 'tools/call', { params: query(5, 2), ...OPT_IN, headers: { accept } });
    expect(streamed.headers.get('content-type')).toBe(contentType);
    const messages = [];
    for await (const message of readMessages(streamed)) messages.push(message);
    expect(messages.map((m) => (m.method === PARTIAL ? m.params.seq : 'result'))).toEqual([0, 1, 2, 3, 4, 'result']);

    const plain = await post(served.url, 'tools/call', { params: query(5, 2), headers: { accept } });
    // Nothing streamed before the result, so it is plain JSON: no partial was sent.
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    const { result } = await plain.json();
    expect(result).toEqual(messages.at(-1)!.result);
    expect(result.content.map((block: { text: string }) => block.text)).toEqual([1, 2, 3, 4, 5].map(rowText));
  });

  it('sends partials on a 2025 revision when the call carries a partialResultToken', async () => {
    const call = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { ...query(2, 1), _meta: { partialResultToken: 9 } } };
    const response = await postRaw(served.url, call, { 'mcp-protocol-version': '2025-11-25' });
    const messages = [];
    for await (const message of readMessages(response)) messages.push(message);
    expect(messages.map((m) => m.params?.partialResultToken ?? m.result.content.length)).toEqual([9, 9, 2]);
  });

  it('advertises streamingHint on query_rows', async () => {
    const { result } = await (await post(served.url, 'tools/list')).json();
    expect(result.tools.find((tool: { name: string }) => tool.name === 'query_rows').annotations).toEqual({ readOnlyHint: true, streamingHint: true });
  });

  it('emitted only valid messages, partials only to calls that opted in, each call counting seq from 0', () => expectAllValid(wire, { atLeast: 10 }));
});
