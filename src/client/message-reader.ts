// Incremental readers for the three body formats a Streamable HTTP server may answer with:
// `application/json`, `text/event-stream` and JSON Lines. Each message is yielded as soon as its
// bytes have arrived, so progress shows while the handler still runs.
import { McpClientError, messageTooLarge } from './errors.ts';
import { LineSplitter } from './line-splitter.ts';

/** The default cap on one message from the server (`maxMessageBytes`): 16 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

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

/** Cancels a body's reader: the connection is released whether the read finished, failed or was left early. */
async function release(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  // Safe to drop: a failing cancel means the stream already errored, and that error (or the
  // caller's reason for leaving) is what the caller gets.
  await reader.cancel().catch(() => undefined);
}

async function* lines(body: ReadableStream<Uint8Array>, maxLineBytes: number): AsyncGenerator<string> {
  const reader = body.getReader();
  const splitter = new LineSplitter(maxLineBytes);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* splitter.push(value);
    }
    const last = splitter.end();
    if (last !== undefined) yield last;
  } finally {
    // Leaving early (the result arrived, or the caller aborted) must release the connection.
    await release(reader);
  }
}

/** A whole body as text, refused (MESSAGE_TOO_LARGE) once it passes `maxBytes`. */
export async function readText(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw messageTooLarge(maxBytes);
      chunks.push(value);
    }
  } finally {
    await release(reader);
  }
  return new Blob(chunks as BlobPart[]).text();
}

/**
 * The WHATWG event-stream grammar: fields, comments, multi-line data, id and retry. An event whose
 * data passes `maxMessageBytes` (UTF-16 code units, never more than its bytes) ends the read.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, cursor: StreamCursor = {}, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES): AsyncGenerator<SseEvent> {
  let data: string[] = [];
  let dataSize = 0;
  let type = '';
  for await (const line of lines(body, maxMessageBytes)) {
    if (line === '') {
      if (data.length > 0) yield { type: type || 'message', data: data.join('\n'), id: cursor.lastEventId };
      data = [];
      dataSize = 0;
      type = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      dataSize += value.length + 1;
      if (dataSize > maxMessageBytes) throw messageTooLarge(maxMessageBytes);
      data.push(value);
    }
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
 * Every JSON-RPC message in the response to one message, in arrival order. SSE events whose data
 * is empty (the 2025-11-25 priming event) carry no message. One message larger than
 * `maxMessageBytes` ends the read with MESSAGE_TOO_LARGE.
 */
export async function* readMessages(response: Response, cursor: StreamCursor = {}, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES): AsyncGenerator<unknown> {
  const type = mediaType(response);
  if (!response.body) return;
  if (type === 'text/event-stream') {
    for await (const event of readSse(response.body, cursor, maxMessageBytes)) {
      if (event.type !== 'message' || event.data.trim() === '') continue;
      yield parse(event.data, 'an SSE event');
    }
  } else if (JSON_LINES_TYPES.includes(type)) {
    for await (const line of lines(response.body, maxMessageBytes)) {
      if (line.trim() === '') continue;
      yield parse(line, 'a JSON Lines record');
    }
  } else if (type === 'application/json') {
    const text = await readText(response.body, maxMessageBytes);
    if (text.trim() === '') return;
    const value = parse(text, 'a body');
    // Batches are gone from MCP (2025-06-18 on), and this client sends one message per POST.
    if (Array.isArray(value)) {
      throw new McpClientError('INVALID_RESPONSE', `The server answered one message with a JSON array (a batch): ${text.slice(0, 200)}. MCP servers answer a request with one JSON object; report this to the server's operator.`);
    }
    yield value;
  } else {
    await release(response.body.getReader());
    throw new McpClientError(
      'INVALID_RESPONSE',
      `The server answered with Content-Type "${type || 'none'}"; MCP servers answer with application/json or text/event-stream. Check that the URL points at the MCP endpoint.`,
      { status: response.status },
    );
  }
}
