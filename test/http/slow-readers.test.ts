// A client that stops reading costs the server a bounded amount: a streamed tool call waits for it
// (backpressure), a stream fed regardless (listen events) ends once maxBufferedBytes wait unread.
// Bounds are asserted on what was produced and held, never on timing.
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpApp, createPostHandler } from '../../src/http/index.ts';
import { MemoryBus } from '../../src/index.ts';
import type { McpServer, ServerEvent } from '../../src/index.ts';
import { createBehaviourServer, createProbe } from '../fixtures/behaviour-server.ts';
import type { Probe } from '../fixtures/behaviour-server.ts';
import { modernRequest, readMessages } from '../support/raw-client.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

/** Knows how many listen streams are subscribed, so a test can see one end. */
class CountingBus extends MemoryBus {
  subscribers = 0;
  override subscribe(listener: (event: ServerEvent) => void): () => void {
    this.subscribers++;
    const unsubscribe = super.subscribe(listener);
    return () => {
      this.subscribers--;
      unsubscribe();
    };
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const rows = (count: number, size: number) => ({ name: 'rows', arguments: { count, size } });
const OPT_IN = { meta: { partialResultToken: 'rows' }, capabilities: { partialResults: {} } };

function requestFor(method: string, options: Parameters<typeof modernRequest>[1]): Request {
  const { headers, body } = modernRequest(method, options);
  return new Request('http://127.0.0.1/mcp', { method: 'POST', headers, body });
}

/** A POST through node:http, whose response can stop being read (pause) like a stalled client's. */
function postWithNode(url: string, method: string, options: Parameters<typeof modernRequest>[1]): Promise<IncomingMessage> {
  const { headers, body } = modernRequest(method, options);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

/** Publishes list changes until the server has ended every listen stream, at most `limit`. */
async function publishUntilEnded(server: McpServer, bus: CountingBus, limit: number, event: ServerEvent = { type: 'tools/list_changed' }): Promise<number> {
  let published = 0;
  while (bus.subscribers > 0 && published < limit) {
    await server.notify(event);
    if (++published % 20 === 0) await turn();
  }
  return published;
}

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

describe('a listen stream whose client stops reading', () => {
  it('holds at most maxBufferedBytes and one event, then ends with an error saying the client read too slowly', async () => {
    const bus = new CountingBus();
    const server = createBehaviourServer(createProbe(), { bus });
    const maxBufferedBytes = 16 * 1024;
    const response = await createPostHandler(server, { maxBufferedBytes })(requestFor('subscriptions/listen', { id: 'stalled', params: { notifications: { toolsListChanged: true } } }));
    // Nobody reads the body while events pour in.
    const published = await publishUntilEnded(server, bus, 5000);
    expect(bus.subscribers).toBe(0);

    const body = await response.text();
    const messages = body.split('\n\n').filter(Boolean).map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)));
    const events = messages.filter((m) => m.method === 'notifications/tools/list_changed');
    const eventBytes = new TextEncoder().encode(`event: message\ndata: ${JSON.stringify(events[0])}\n\n`).byteLength;
    expect(messages[0].method).toBe('notifications/subscriptions/acknowledged');
    expect((events.length + 1) * eventBytes).toBeLessThanOrEqual(maxBufferedBytes + 2 * eventBytes);
    expect(events.length).toBeLessThan(published);
    expect(messages.at(-1)).toMatchObject({ id: 'stalled', error: { code: -32603, message: expect.stringMatching(/^Stream ended: the client left more than 16384 bytes of this response unread/) } });
  });

  it('ends over real HTTP too, where a client that stops reading fills the sockets first; resumed, it reads why', async () => {
    const bus = new CountingBus();
    const server = createBehaviourServer(createProbe(), { bus });
    served = await serveApp((options) => createMcpApp(server, { ...options, maxBufferedBytes: 64 * 1024 }));
    const uri = `test://doc/${'x'.repeat(4000)}`;
    const response = await postWithNode(served.url, 'subscriptions/listen', { id: 'paused', params: { notifications: { resourceSubscriptions: [uri] } } });
    // Read the acknowledgement, then stop reading.
    await new Promise<void>((resolve) => response.once('data', () => resolve()));
    response.pause();
    const published = await publishUntilEnded(server, bus, 20_000, { type: 'resources/updated', uri });
    expect(bus.subscribers).toBe(0);

    response.resume();
    let text = '';
    response.setEncoding('utf8');
    for await (const chunk of response) text += chunk;
    const messages = text.split('\n\n').filter((event) => event.includes('data: ')).map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)));
    expect(messages.filter((m) => m.method === 'notifications/resources/updated').length).toBeLessThan(published);
    expect(messages.at(-1)).toMatchObject({ id: 'paused', error: { message: expect.stringMatching(/^Stream ended: the client left more than 65536 bytes/) } });
  });
});

describe('a streamed tool call whose client stops reading', () => {
  it('parks the handler once 64 KiB wait unread, and lets it go on as the client reads', async () => {
    const probe = createProbe();
    const response = await createPostHandler(createBehaviourServer(probe))(requestFor('tools/call', { params: rows(300, 1000), ...OPT_IN }));
    for (let i = 0; i < 20; i++) await turn();
    const stalledAt = probe.produced;
    for (let i = 0; i < 20; i++) await turn();
    // Parked: no progress without a reader, and no more than 64 KiB of 1000-character pieces held.
    expect(probe.produced).toBe(stalledAt);
    expect(stalledAt).toBeGreaterThan(1);
    expect(stalledAt).toBeLessThanOrEqual(Math.ceil((64 * 1024) / 1000) + 1);

    const seqs: number[] = [];
    let result: { content: { text: string }[] } | undefined;
    for await (const message of readMessages(response)) {
      if (message.method) seqs.push(message.params.seq);
      else result = message.result;
    }
    expect(seqs).toEqual([...Array(300).keys()]);
    expect(result!.content).toHaveLength(301);
    expect(result!.content.at(-1)!.text).toBe('300 rows');
  });

  it('parks it over real HTTP as well, once the sockets are full', async () => {
    const probe = createProbe();
    served = await serveApp((options) => createMcpApp(createBehaviourServer(probe), options));
    const count = 40_000;
    const response = await postWithNode(served.url, 'tools/call', { params: rows(count, 1000), ...OPT_IN });
    response.pause();
    // Wait until the handler stops making progress: the sockets and the stream are full.
    let last = -1;
    while (probe.produced !== last) {
      last = probe.produced;
      for (let i = 0; i < 50; i++) await turn();
    }
    expect(probe.produced).toBeLessThan(count);
    expect(probe.rowsClosed).toBe(false);
    response.destroy();
    // Closing the stream cancels the parked handler: its finally runs.
    await expect.poll(() => probe.rowsClosed).toBe(true);
    expect(probe.produced).toBeLessThan(count);
  });
});

describe('closing the stream', () => {
  it('cancels a streaming handler between pieces: its finally runs and it produces no more', async () => {
    const probe: Probe = createProbe();
    served = await serveApp((options) => createMcpApp(createBehaviourServer(probe), options));
    const controller = new AbortController();
    const { headers, body } = modernRequest('tools/call', { params: rows(100_000, 2000), ...OPT_IN });
    const response = await fetch(served.url, { method: 'POST', headers, body, signal: controller.signal });
    const messages = readMessages(response);
    expect((await messages.next()).value.params.seq).toBe(0);
    expect((await messages.next()).value.params.seq).toBe(1);
    controller.abort();
    await expect.poll(() => probe.rowsClosed).toBe(true);
    const stopped = probe.produced;
    for (let i = 0; i < 20; i++) await turn();
    expect(probe.produced).toBe(stopped);
    expect(stopped).toBeLessThan(100_000);
  });
});
