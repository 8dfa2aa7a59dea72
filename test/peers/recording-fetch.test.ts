// The recorder is the eyes of the peer suites: it must pass bodies through byte for byte, frame
// SSE and JSON Lines however the chunks fall, pick the right revision, and report what is wrong.
import { describe, expect, it } from 'vitest';
import { createRecorder, expectAllValid } from '../support/recording-fetch.ts';
import type { FetchLike } from '../support/recording-fetch.ts';

const MODERN_META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const serverInfo = { 'io.modelcontextprotocol/serverInfo': { name: 's', version: '1' } };

/** A fake server: each call answers with the next body, delivered chunk by chunk. */
function serving(contentType: string, ...bodies: string[][]): FetchLike {
  return async () => {
    const chunks = [...(bodies.shift() ?? [])];
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = chunks.shift();
        if (next === undefined) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 1));
        controller.enqueue(encoder.encode(next));
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': contentType } });
  };
}

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const callTool = { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'x', _meta: { ...MODERN_META, progressToken: 't' } } };

describe('recording fetch', () => {
  it('passes an SSE body through unchanged while framing it across awkward chunk boundaries', async () => {
    const progress = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: 1 } });
    const result = JSON.stringify({ jsonrpc: '2.0', id: 9, result: { resultType: 'complete', content: [{ type: 'text', text: 'ok' }], _meta: serverInfo } });
    // A CRLF split between chunks, a comment line, and a data field split over two lines.
    const cut = result.indexOf(',"result"') + 1;
    const wire = `: keep-alive\r\n\r\ndata: ${progress}\r`;
    const rest = `\n\r\nevent: message\ndata: ${result.slice(0, cut)}\ndata: ${result.slice(cut)}\n\n`;
    const recorder = createRecorder(serving('text/event-stream', [wire.slice(0, 20), wire.slice(20), rest]));
    const response = await recorder.fetch('http://server/mcp', post(callTool));
    expect(await response.text()).toBe(wire + rest);
    await recorder.settled();
    expect(recorder.messages.map((m) => [m.version, m.method])).toEqual([
      ['2026-07-28', 'notifications/progress'],
      ['2026-07-28', 'tools/call'],
    ]);
    expect(recorder.problems).toEqual([]);
  });

  it('frames JSON Lines and reports a schema violation with the exchange and definition', async () => {
    const bad = JSON.stringify({ jsonrpc: '2.0', id: 9, result: { content: [{ type: 'text', text: 'no resultType' }] } });
    const recorder = createRecorder(serving('application/jsonl', [`${bad.slice(0, 10)}`, `${bad.slice(10)}\n`]));
    await (await recorder.fetch('http://server/mcp', post(callTool))).text();
    await recorder.settled();
    expect(recorder.messages).toHaveLength(1);
    expect(recorder.problems.length).toBeGreaterThan(0);
    expect(recorder.problems.join('\n')).toMatch(/^#0 2026-07-28 tools\/call .*CallToolResult: \/result must have required property 'resultType'/m);
  });

  it('reads an initialize response at the revision its result names', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } };
    const answer = { jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 's', version: '1' } } };
    const recorder = createRecorder(serving('application/json', [JSON.stringify(answer)]));
    await (await recorder.fetch('http://server/mcp', post(init))).json();
    await recorder.settled();
    expect(recorder.messages.map((m) => [m.version, m.method])).toEqual([['2025-06-18', 'initialize']]);
    expect(recorder.problems).toEqual([]);
  });

  it('assumes 2025-03-26 without a header, and uses the header when there is one', async () => {
    const empty = JSON.stringify({ jsonrpc: '2.0', id: 2, result: {} });
    const recorder = createRecorder(serving('application/json', [empty], [empty]));
    await (await recorder.fetch('http://server/mcp', post({ jsonrpc: '2.0', id: 2, method: 'ping' }))).text();
    await (await recorder.fetch('http://server/mcp', post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { 'mcp-protocol-version': '2025-11-25' }))).text();
    await recorder.settled();
    expect(recorder.messages.map((m) => m.version)).toEqual(['2025-03-26', '2025-11-25']);
  });

  it('reports a response to an id the POST never sent, and a frame that is not JSON', async () => {
    const stray = JSON.stringify({ jsonrpc: '2.0', id: 99, result: { resultType: 'complete', content: [] } });
    const recorder = createRecorder(serving('text/event-stream', [`data: ${stray}\n\ndata: {not json\n\n`]));
    await (await recorder.fetch('http://server/mcp', post(callTool))).text();
    await recorder.settled();
    const problems = recorder.problems.join('\n');
    expect(problems).toMatch(/answers id 99, which this POST did not send/);
    expect(problems).toMatch(/an SSE data field is not JSON: \{not json/);
  });

  it('fails expectAllValid when fewer messages than required were checked', async () => {
    const recorder = createRecorder();
    await expect(expectAllValid(recorder, { atLeast: 1 })).rejects.toThrow(/expected 0 to be greater than or equal to 1/);
  });
});
