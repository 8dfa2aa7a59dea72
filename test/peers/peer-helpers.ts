// Shared by the SDK-client peer suites: canned user answers, and lookups into what the recorder
// saw on the wire (the clients hide MRTR rounds and SSE framing, the recorder does not).
import type { Exchange, FetchLike, FetchRecorder, RecordedMessage } from '../support/recording-fetch.ts';

export const USER_ANSWERS: Record<string, string> = { name: 'Ada', color: 'green', context: 'peer tests', username: 'ada', email: 'ada@example.com' };

/** What a user would type into an elicitation form: a canned value per requested string field. */
export function answerForm(requestedSchema: { properties?: Record<string, unknown> } | undefined): Record<string, string> {
  const content: Record<string, string> = {};
  for (const field of Object.keys(requestedSchema?.properties ?? {})) content[field] = USER_ANSWERS[field] ?? `value of ${field}`;
  return content;
}

/** POSTs whose JSON-RPC request has `method` (and, when given, params.name or params.uri `name`). */
export function exchangesFor(recorder: FetchRecorder, method: string, name?: string): Exchange[] {
  return recorder.exchanges.filter((e) => {
    const body = e.body as { method?: string; params?: { name?: string; uri?: string } } | undefined;
    return body?.method === method && (name === undefined || body.params?.name === name || body.params?.uri === name);
  });
}

/** The JSON-RPC response message of an exchange (the last message carrying result or error). */
export function responseOf(exchange: Exchange): RecordedMessage {
  const response = exchange.messages.filter((m) => 'result' in m.message || 'error' in m.message).at(-1);
  if (!response) throw new Error(`exchange #${exchange.index} has no JSON-RPC response (messages: ${JSON.stringify(exchange.messages.map((m) => m.message))})`);
  return response;
}

export function notificationsOf(exchange: Exchange, method: string): RecordedMessage[] {
  return exchange.messages.filter((m) => m.message.method === method && !('id' in m.message));
}

/** Problems the recorder found since the previous call, so each test reports only its own. */
export function freshProblems(recorder: FetchRecorder): () => Promise<string[]> {
  let seen = 0;
  return async () => {
    await recorder.settled();
    const all = recorder.problems;
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  };
}

/**
 * The 1.x client always offers its latest revision at initialize; rewriting the offered version
 * on the wire makes the server pick an older one, which the client then speaks (header included).
 */
export function offerVersion(version: string, next: FetchLike): FetchLike {
  return (url, init) => {
    if (typeof init?.body === 'string') {
      const body = JSON.parse(init.body) as { method?: string; params?: { protocolVersion?: string } };
      if (body.method === 'initialize' && body.params) {
        body.params.protocolVersion = version;
        return next(url, { ...init, body: JSON.stringify(body) });
      }
    }
    return next(url, init);
  };
}
