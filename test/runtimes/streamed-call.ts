// One streamed tools/call against any deployment: the conformance fixture's
// `test_tool_with_progress` (progress 0, 50, 100, 50 ms apart, then its result), read as SSE or
// JSON Lines with the arrival time of each message.
import { expect } from 'vitest';
import { modernRequest, readMessages } from '../support/raw-client.ts';

export const STREAM_ACCEPT = {
  sse: 'application/json, text/event-stream',
  jsonl: 'application/json, application/jsonl',
} as const;

export interface TimedMessage {
  message: Record<string, any>;
  /** ms since the request was sent. */
  at: number;
}

export async function callStreamed(url: string, mode: keyof typeof STREAM_ACCEPT, tool = 'test_tool_with_progress', args: Record<string, unknown> = {}) {
  const { headers, body } = modernRequest('tools/call', { params: { name: tool, arguments: args }, meta: { progressToken: 'p1' }, headers: { accept: STREAM_ACCEPT[mode] } });
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body });
  const messages: TimedMessage[] = [];
  if (response.ok && response.body && !(response.headers.get('content-type') ?? '').startsWith('application/json;')) {
    for await (const message of readMessages(response)) messages.push({ message, at: performance.now() - started });
  }
  return { response, messages };
}

/**
 * The first notification reaches the client while the tool still runs: well before the result,
 * which the tool sends 150 ms after its first report. A buffering hop delivers all at once.
 */
export async function expectFirstNotificationBeforeResult(url: string, mode: keyof typeof STREAM_ACCEPT): Promise<TimedMessage[]> {
  const { response, messages } = await callStreamed(url, mode);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(mode === 'sse' ? /^text\/event-stream/ : /^application\/jsonl/);
  expect(messages.map((m) => m.message.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'notifications/progress', 'result']);
  expect(messages.at(-1)!.message.result?.content[0]?.text).toBe('Progress test completed');
  expect(messages.at(-1)!.at - messages[0]!.at).toBeGreaterThan(75);
  return messages;
}
