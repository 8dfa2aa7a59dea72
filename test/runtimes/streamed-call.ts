// One streamed tools/call against any deployment, read as SSE or JSON Lines, and the two orders of
// events that tell a streamed response from a buffered one. The conformance fixture's
// `test_tool_with_latch` reports progress, then waits at a latch (test/support/latch.ts) the test
// opens: nothing here measures time.
import { expect, onTestFinished } from 'vitest';
import { modernRequest, readMessages } from '../support/raw-client.ts';
import { openLatch } from '../support/latch.ts';

export const STREAM_ACCEPT = {
  sse: 'application/json, text/event-stream',
  jsonl: 'application/json, application/jsonl',
} as const;

export interface StreamedMessage {
  message: Record<string, any>;
}

/** `onMessage` runs as each message is read, before the next one is awaited. */
export async function callStreamed(
  url: string,
  mode: keyof typeof STREAM_ACCEPT,
  tool = 'test_tool_with_progress',
  args: Record<string, unknown> = {},
  onMessage: (message: Record<string, any>, index: number) => void = () => undefined,
) {
  const { headers, body } = modernRequest('tools/call', { params: { name: tool, arguments: args }, meta: { progressToken: 'p1' }, headers: { accept: STREAM_ACCEPT[mode] } });
  const response = await fetch(url, { method: 'POST', headers, body });
  const messages: StreamedMessage[] = [];
  if (response.ok && response.body && !(response.headers.get('content-type') ?? '').startsWith('application/json;')) {
    for await (const message of readMessages(response)) {
      onMessage(message, messages.length);
      messages.push({ message });
    }
  }
  return { response, messages };
}

/** The latched call; `order` is filled in as things happen, on either side. */
async function latchedCall(url: string, mode: keyof typeof STREAM_ACCEPT, releaseWhen: 'client-read' | 'tool-waits') {
  const latch = await openLatch();
  // Released and closed however the test ends, a time-out included, so no tool waits on.
  onTestFinished(() => latch.close());
  const order: string[] = [];
  const release = () => {
    order.push('latch released');
    latch.release();
  };
  void latch.reached.then(async () => {
    order.push('tool waits at the latch');
    if (releaseWhen !== 'tool-waits') return;
    // One whole exchange through the same hop first: a hop that passes the stream on has
    // delivered the report, written before the tool even asked the latch, by the time it ends.
    const { headers, body } = modernRequest('server/discover');
    await (await fetch(url, { method: 'POST', headers, body })).arrayBuffer();
    release();
  });
  const { response, messages } = await callStreamed(url, mode, 'test_tool_with_latch', { latch: latch.url }, (_message, index) => {
    if (index !== 0) return;
    order.push('client read the first report');
    if (releaseWhen === 'client-read') release();
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(mode === 'sse' ? /^text\/event-stream/ : /^application\/jsonl/);
  expect(messages.map((m) => m.message.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'result']);
  return { messages, order };
}

/**
 * The first notification reaches the client while the tool still runs: the tool reports, then
 * waits until this client has read that report. A hop that buffered would hold the report until
 * the tool finished, which it then never does: the call hangs into the test's time-out, or, on a
 * host with a deadline, ends in its time-out error instead of the tool's answer.
 */
export async function expectFirstNotificationBeforeResult(url: string, mode: keyof typeof STREAM_ACCEPT): Promise<StreamedMessage[]> {
  const { messages } = await latchedCall(url, mode, 'client-read');
  expect(messages.at(-1)!.message.result?.content[0]?.text).toBe('Released by the client');
  return messages;
}

/**
 * The opposite, for a hop that buffers: the tool is let go as soon as it waits at the latch, its
 * first report already written, and still the client reads that report only after the tool went on.
 */
export async function expectHeldUntilFinished(url: string, mode: keyof typeof STREAM_ACCEPT): Promise<void> {
  const { order } = await latchedCall(url, mode, 'tool-waits');
  expect(order).toEqual(['tool waits at the latch', 'latch released', 'client read the first report']);
}

/**
 * For a server without the latch tool (the demo): a subscriptions/listen stream stays open until
 * the client leaves (on a host whose deadline is far off), so its acknowledgement reaching the
 * client shows every hop passes the stream on as it comes. A buffering hop would deliver nothing:
 * the read hangs into the test's time-out.
 */
export async function expectListenAcknowledged(url: string): Promise<void> {
  const controller = new AbortController();
  onTestFinished(() => controller.abort());
  const { headers, body } = modernRequest('subscriptions/listen', { params: { notifications: { toolsListChanged: true } } });
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await readMessages(response).next();
    expect(first.value?.method).toBe('notifications/subscriptions/acknowledged');
  } finally {
    controller.abort();
  }
}
