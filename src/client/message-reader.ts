// Incremental readers for the three body formats a Streamable HTTP server may answer with:
// `application/json`, `text/event-stream` and JSON Lines. Each message is yielded as soon as its
// bytes have arrived, so progress shows while the handler still runs.
import { McpClientError } from './errors.ts';

export const JSON_LINES_TYPES = ['application/jsonl', 'application/json-lines', 'application/x-ndjson'];

/** What an SSE stream said about resuming it (2025-11-25 polling; gone in 2026-07-28). */
export interface StreamCursor {
  lastEventId?: string;
  retryMs?: number;
}

export interface SseEvent {
  type: string;
  data: string;
  id: string | undefined;
}

export function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Splits a byte stream into lines (LF, CRLF or CR), holding back a CR that may precede an LF in the next chunk. */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // stream: true keeps a multi-byte character split across chunks intact.
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        if (char === '\r' && i === buffer.length - 1) break;
        yield buffer.slice(start, i);
        if (char === '\r' && buffer[i + 1] === '\n') i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
    }
    buffer += decoder.decode();
    if (buffer.endsWith('\r')) buffer = buffer.slice(0, -1);
    if (buffer !== '') yield buffer;
  } finally {
    // Leaving early (the result arrived, or the caller aborted) must release the connection.
    await reader.cancel().catch(() => undefined);
  }
}

/** The WHATWG event-stream grammar: fields, comments, multi-line data, id and retry. */
export async function* readSse(body: ReadableStream<Uint8Array>, cursor: StreamCursor = {}): AsyncGenerator<SseEvent> {
  let data: string[] = [];
  let type = '';
  let first = true;
  for await (let line of lines(body)) {
    if (first && line.startsWith('\ufeff')) line = line.slice(1);
    first = false;
    if (line === '') {
      if (data.length > 0) yield { type: type || 'message', data: data.join('\n'), id: cursor.lastEventId };
      data = [];
      type = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) cursor.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) cursor.retryMs = Number(value);
  }
  // An event without its terminating blank line is incomplete and is dropped, as browsers do.
}

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new McpClientError('INVALID_RESPONSE', `The server sent ${where} that is not valid JSON: ${text.slice(0, 200)}`, { cause });
  }
}

/**
 * Every JSON value in a response body, in arrival order. SSE events whose data is empty (the
 * 2025-11-25 priming event) carry no message.
 */
export async function* readMessages(response: Response, cursor: StreamCursor = {}): AsyncGenerator<unknown> {
  const type = mediaType(response);
  if (!response.body) return;
  if (type === 'text/event-stream') {
    for await (const event of readSse(response.body, cursor)) {
      if (event.type !== 'message' || event.data.trim() === '') continue;
      yield parse(event.data, 'an SSE event');
    }
  } else if (JSON_LINES_TYPES.includes(type)) {
    for await (const line of lines(response.body)) {
      if (line.trim() === '') continue;
      yield parse(line, 'a JSON Lines record');
    }
  } else if (type === 'application/json') {
    const text = await response.text();
    if (text.trim() === '') return;
    const value = parse(text, 'a body');
    if (Array.isArray(value)) yield* value;
    else yield value;
  } else {
    await response.body.cancel().catch(() => undefined);
    throw new McpClientError(
      'INVALID_RESPONSE',
      `The server answered with Content-Type "${type || 'none'}"; MCP servers answer with application/json or text/event-stream. Check that the URL points at the MCP endpoint.`,
      { status: response.status },
    );
  }
}
