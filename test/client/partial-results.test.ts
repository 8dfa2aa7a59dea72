// The client's side of partial tool results. Against a crafted server (a small Hono app on
// loopback whose tools/call answer is a stream each test scripts message by message, SSE or JSON
// Lines), including what a careless or hostile server might send: foreign tokens, repeats, gaps.
// Then against our own server: the demo's query_rows and a tool gated by the test.
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '../../src/client/index.ts';
import type { ClientOptions, PartialResult, ToolStreamEvent } from '../../src/client/index.ts';
import { createDemoApp } from '../../src/demo/app.ts';
import { createMcpApp } from '../../src/http/index.ts';
import { createServer } from '../../src/index.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { createWireLog } from './wire-log.ts';

type Body = { id: number; method: string; params?: Record<string, any> };
type Send = (message: object) => void;
type Script = (request: Body, send: Send) => Promise<void> | void;

const text = (value: string) => ({ type: 'text' as const, text: value });
const token = (request: Body): unknown => request.params?._meta?.partialResultToken;
const partial = (partialResultToken: unknown, seq: number, value = `row ${seq}`) => ({
  jsonrpc: '2.0',
  method: 'notifications/tools/partial_result',
  params: { partialResultToken, seq, content: [text(value)] },
});
const answer = (request: Body, result: object) => ({ jsonrpc: '2.0', id: request.id, result });

/** A gate a server script waits on until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

interface Crafted extends Served {
  calls: Body[];
  /** Set when the client closed a tools/call stream before the script finished. */
  cancelled: boolean;
}

const served: Served[] = [];
afterEach(async () => {
  for (const server of served.splice(0)) await server.close();
});

/**
 * A 2026-07-28 server (or, with `era: 'legacy'`, a sessionless 2025-11-25 one) with one tool whose
 * calls `script` answers on a stream in `format`.
 */
async function craftedServer(script: Script, format: 'sse' | 'jsonl' = 'sse', era: 'modern' | 'legacy' = 'modern'): Promise<Crafted> {
  const state = { calls: [] as Body[], cancelled: false };
  const app = new Hono().post('/mcp', async (c) => {
    const request = (await c.req.json()) as Body;
    if (era === 'legacy' && c.req.header('mcp-method')) return c.text('Method Not Allowed', 405);
    switch (request.method) {
      case 'server/discover':
        return c.json(answer(request, { supportedVersions: ['2026-07-28'], capabilities: { tools: {} } }));
      case 'initialize':
        return c.json(answer(request, { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'crafted', version: '1' } }));
      case 'notifications/initialized':
        return c.body(null, 202);
      case 'tools/list':
        return c.json(answer(request, { tools: [{ name: 'rows', inputSchema: { type: 'object' } }] }));
    }
    state.calls.push(request);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send: Send = (message) => controller.enqueue(encoder.encode(format === 'sse' ? `event: message\ndata: ${JSON.stringify(message)}\n\n` : `${JSON.stringify(message)}\n`));
        try {
          await script(request, send);
          controller.close();
        } catch {
          // The client went away mid-script.
        }
      },
      cancel() {
        state.cancelled = true;
      },
    });
    return new Response(body, { headers: { 'content-type': format === 'sse' ? 'text/event-stream' : 'application/jsonl' } });
  });
  const server = await serveApp(() => app);
  served.push(server);
  return Object.assign(state, server);
}

function client(server: Crafted, options: ClientOptions = {}) {
  const warnings: string[] = [];
  const mcp = createClient(server.url, { eraMemory: new Map(), onWarning: (w) => warnings.push(w), ...options });
  return { mcp, warnings };
}

describe('client partial results against a crafted server', () => {
  it('streamTool yields each piece before the server has sent the result, then the result; the call declared the capability and a token', async () => {
    const secondPiece = gate();
    const result = { content: [text('row 0'), text('row 1'), text('2 rows')] };
    const server = await craftedServer(async (request, send) => {
      send(partial(token(request), 0));
      // The test opens this only after its loop saw piece 0: the result cannot have been read yet.
      await secondPiece.opened;
      send(partial(token(request), 1));
      send(answer(request, result));
    });
    const { mcp, warnings } = client(server);
    const events: ToolStreamEvent[] = [];
    for await (const event of mcp.streamTool('rows', { rows: 2 })) {
      events.push(event);
      if (event.type === 'partial' && event.seq === 0) secondPiece.open();
    }
    expect(events).toEqual([
      { type: 'partial', seq: 0, content: [text('row 0')] },
      { type: 'partial', seq: 1, content: [text('row 1')] },
      { type: 'result', result },
    ]);
    const meta = server.calls[0]!.params!._meta;
    expect(typeof meta.partialResultToken).toBe('string');
    expect(meta['io.modelcontextprotocol/clientCapabilities']).toEqual({ partialResults: {} });
    expect(warnings).toEqual([]);
  });

  it('callTool onPartial over JSON Lines: ignores foreign tokens, drops a repeat, reports a gap, and returns the complete result', async () => {
    const server = await craftedServer((request, send) => {
      const mine = token(request);
      send(partial(mine, 0));
      send(partial('someone-else', 0, 'not yours'));
      send(partial(mine, 0, 'row 0 again'));
      send(partial(mine, 2));
      send(answer(request, { content: [text('row 0'), text('row 1'), text('row 2')] }));
    }, 'jsonl');
    const { mcp, warnings } = client(server, { preferJsonLines: true });
    const pieces: PartialResult[] = [];
    const result = await mcp.callTool('rows', {}, { onPartial: (piece) => void pieces.push(piece) });
    expect(pieces).toEqual([
      { seq: 0, content: [text('row 0')] },
      { seq: 2, content: [text('row 2')] },
    ]);
    expect(result.content).toHaveLength(3);
    expect(warnings).toEqual([
      'Ignoring partial result 0: it repeats or goes back (expected 1). The final result still holds every piece.',
      'Partial result 1 never arrived; showing 2. The final result still holds every piece.',
    ]);
  });

  it('without onPartial the call sends no token and no capability, and pieces a server sends anyway reach only onNotification', async () => {
    const server = await craftedServer((request, send) => {
      send(partial('uninvited', 0));
      send(answer(request, { content: [text('done')] }));
    });
    const seen: string[] = [];
    const { mcp } = client(server, { onNotification: (message) => seen.push(message.method) });
    expect((await mcp.callTool('rows')).content).toEqual([text('done')]);
    const meta = server.calls[0]!.params!._meta;
    expect(meta).not.toHaveProperty('partialResultToken');
    expect(meta['io.modelcontextprotocol/clientCapabilities']).toEqual({});
    expect(seen).toEqual(['notifications/tools/partial_result']);
  });

  it('on a 2025 server the token alone opts in', async () => {
    const server = await craftedServer(
      (request, send) => {
        send(partial(token(request), 0));
        send(answer(request, { content: [text('row 0')] }));
      },
      'sse',
      'legacy',
    );
    const { mcp } = client(server);
    const events = [];
    for await (const event of mcp.streamTool('rows')) events.push(event.type);
    expect(mcp.era).toBe('legacy');
    expect(events).toEqual(['partial', 'result']);
    expect(Object.keys(server.calls[0]!.params!._meta)).toEqual(['partialResultToken']);
  });

  it('leaving the loop early closes the stream, which is how the server learns to cancel', async () => {
    const never = gate();
    const server = await craftedServer(async (request, send) => {
      send(partial(token(request), 0));
      await never.opened;
    });
    const { mcp } = client(server);
    for await (const event of mcp.streamTool('rows')) {
      expect(event).toMatchObject({ type: 'partial', seq: 0 });
      break;
    }
    await expect.poll(() => server.cancelled).toBe(true);
  });

  it('a JSON-RPC error ends the loop with the error after the pieces before it', async () => {
    const server = await craftedServer((request, send) => {
      send(partial(token(request), 0));
      send({ jsonrpc: '2.0', id: request.id, error: { code: -32602, message: 'Unknown tool' } });
    });
    const { mcp } = client(server);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of mcp.streamTool('rows')) seen.push(event.type);
      })(),
    ).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', rpcCode: -32602 });
    expect(seen).toEqual(['partial']);
  });
});

describe('client partial results: flow control', () => {
  it('reads no further than one piece ahead of a streamTool loop that is busy', async () => {
    // In-process, so every read the client makes is a pull on this body and can be counted.
    let pulls = 0;
    const lines = (id: number, token: unknown) => [...[0, 1, 2, 3, 4].map((seq) => partial(token, seq)), answer({ id, method: 'tools/call' }, { content: [] })];
    const fetch = async (_url: unknown, init?: RequestInit): Promise<Response> => {
      const request = JSON.parse(String(init?.body)) as Body;
      if (request.method !== 'tools/call') {
        const result = request.method === 'server/discover' ? { supportedVersions: ['2026-07-28'], capabilities: {} } : { tools: [] };
        return Response.json(answer(request, result));
      }
      const queue = lines(request.id, token(request));
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulls++;
            const next = queue.shift();
            if (next) controller.enqueue(new TextEncoder().encode(`${JSON.stringify(next)}\n`));
            else controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { headers: { 'content-type': 'application/jsonl' } });
    };
    const mcp = createClient('http://127.0.0.1:9/mcp', { fetch, eraMemory: new Map() });
    const iterator = mcp.streamTool('rows')[Symbol.asyncIterator]();
    expect(await iterator.next()).toMatchObject({ value: { type: 'partial', seq: 0 } });
    // The loop body is "busy" now: let the reader run as far as it will.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(pulls).toBe(2);
    const rest: unknown[] = [];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) rest.push(step.value.type === 'partial' ? step.value.seq : step.value.type);
    expect(rest).toEqual([1, 2, 3, 4, 'result']);
  });
});

describe('client partial results against the stateless-mcp server', () => {
  const rows = [1, 2, 3].map((id) => text(JSON.stringify({ id, name: `row ${id}`, value: (id * 37) % 101 })));

  for (const [lane, options, contentType] of [
    ['SSE', {}, 'text/event-stream'],
    ['JSON Lines', { preferJsonLines: true }, 'application/jsonl'],
    ['SSE on the 2025 lane', { era: 'legacy' as const }, 'text/event-stream'],
  ] as const) {
    it(`query_rows over ${lane}: one piece per row, seq 0, 1, 2, then the result holding every row`, async () => {
      const demo = await serveApp((httpOptions) => createDemoApp(httpOptions));
      served.push(demo);
      const wire = createWireLog();
      const mcp = createClient(demo.url, { fetch: wire.fetch, eraMemory: new Map(), ...options });
      const events: ToolStreamEvent[] = [];
      for await (const event of mcp.streamTool('query_rows', { rows: 3, intervalMs: 5 })) events.push(event);
      expect(events).toEqual([...rows.map((row, seq) => ({ type: 'partial', seq, content: [row] })), { type: 'result', result: expect.objectContaining({ content: rows }) }]);
      expect(wire.posts('tools/call').map((e) => e.contentType)).toEqual([contentType]);
      // Without the opt-in: no piece, the same result.
      const seen: string[] = [];
      const plain = await mcp.callTool('query_rows', { rows: 3, intervalMs: 5 }, { onNotification: (m) => seen.push(m.method) });
      expect(events.at(-1)).toEqual({ type: 'result', result: plain });
      expect(seen).toEqual([]);
      await mcp.close();
    });
  }

  it('each piece reaches onPartial while the handler is still running', async () => {
    const next = gate();
    const server = createServer({ name: 'gated', version: '1.0.0' });
    server.registerTool('gated', { inputSchema: z.object({}) }, async function* () {
      yield text('first');
      // Opened by the test's onPartial for the first piece: the handler cannot finish before it.
      await next.opened;
      yield text('second');
    });
    const app = await serveApp((options) => createMcpApp(server, options));
    served.push(app);
    const order: string[] = [];
    const result = await createClient(app.url, { eraMemory: new Map() }).callTool('gated', {}, {
      onPartial: (piece) => {
        order.push(`piece ${piece.seq}`);
        if (piece.seq === 0) next.open();
      },
    });
    order.push('result');
    expect(order).toEqual(['piece 0', 'piece 1', 'result']);
    expect(result.content).toEqual([text('first'), text('second')]);
  });
});
