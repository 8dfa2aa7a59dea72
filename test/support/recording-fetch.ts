// A `fetch` for SDK clients that records every exchange and checks every server message against
// the official schema of the revision it speaks, without touching what the client reads: the
// response is cloned (a tee) and the copy is parsed as it streams.
import { expect } from 'vitest';
import { PARTIAL_RESULT_METHOD, optedInToken } from './partial-result-shapes.ts';
import { MODERN_SCHEMA, isSchemaVersion, validateServerMessage } from './schema-oracle.ts';
import type { SchemaVersion } from './schema-oracle.ts';

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
/** 2025-06-18: a request without `MCP-Protocol-Version` is assumed to speak 2025-03-26. */
const DEFAULT_LEGACY = '2025-03-26';

export interface RecordedMessage {
  /** Arrival order across all exchanges of this recorder. */
  seq: number;
  exchange: number;
  version: string;
  /** The request method a response answers, or the message's own method. */
  method: string | undefined;
  message: Record<string, unknown>;
  errors: string[];
}

export interface Exchange {
  index: number;
  url: string;
  httpMethod: string;
  requestHeaders: Headers;
  /** The parsed JSON body the client sent (undefined for GET/DELETE or a non-JSON body). */
  body: unknown;
  status?: number;
  responseHeaders?: Headers;
  /** Set once the response is known; for initialize, from the result it carried. */
  version?: string;
  messages: RecordedMessage[];
  /** Transport-level faults: unparseable frames, a response to an id nobody asked for. */
  faults: string[];
  finished: boolean;
  /** Partial results seen so far: the next seq expected. */
  nextPartialSeq: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function requestsOf(body: unknown): Record<string, unknown>[] {
  return (Array.isArray(body) ? body : [body]).filter((m): m is Record<string, unknown> => isObject(m) && typeof m.method === 'string' && 'id' in m);
}

/**
 * The schema a message is checked against. 2024-11-05 has no published JSON Schema and its
 * shapes are a subset of 2025-03-26's; a version the server refused is answered in 2026-07-28 terms.
 */
function schemaFor(version: string): SchemaVersion {
  if (isSchemaVersion(version)) return version;
  return version === '2024-11-05' ? '2025-03-26' : MODERN_SCHEMA;
}

/** The revision a POST speaks, when the request alone can tell (everything but initialize). */
function versionOfRequest(headers: Headers, body: unknown): string | undefined {
  const first = (Array.isArray(body) ? body[0] : body) as Record<string, any> | undefined;
  const metaVersion = first?.params?._meta?.[PROTOCOL_VERSION_META];
  if (typeof metaVersion === 'string') return metaVersion;
  const header = headers.get('mcp-protocol-version');
  if (header === MODERN_SCHEMA) return MODERN_SCHEMA;
  if (first?.method === 'initialize') return undefined;
  return header ?? DEFAULT_LEGACY;
}

/** Splits a byte stream into lines, holding back a trailing `\r` that may start a `\r\n`. */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    let match: RegExpExecArray | null;
    const eol = /\r\n|\n|\r(?=[^\n])/g;
    let start = 0;
    while ((match = eol.exec(buffer))) {
      yield buffer.slice(start, match.index);
      start = match.index + match[0].length;
    }
    buffer = buffer.slice(start);
    if (done) {
      if (buffer.replace(/\r$/, '') !== '') yield buffer.replace(/\r$/, '');
      return;
    }
  }
}

export class FetchRecorder {
  readonly exchanges: Exchange[] = [];
  readonly #base: FetchLike;
  readonly #pending = new Set<Promise<void>>();
  #seq = 0;

  constructor(base: FetchLike = (url, init) => globalThis.fetch(url, init)) {
    this.#base = base;
  }

  /** Hand this to a client transport's `fetch` option. */
  readonly fetch: FetchLike = async (url, init) => {
    const requestHeaders = new Headers(init?.headers);
    const httpMethod = (init?.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (typeof init?.body === 'string') {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    const exchange: Exchange = { index: this.exchanges.length, url: String(url), httpMethod, requestHeaders, body, messages: [], faults: [], finished: false, nextPartialSeq: 0 };
    this.exchanges.push(exchange);
    const response = await this.#base(url, init);
    exchange.status = response.status;
    exchange.responseHeaders = response.headers;
    exchange.version = versionOfRequest(requestHeaders, body);
    if (response.body === null) {
      exchange.finished = true;
      return response;
    }
    const reading = this.#read(exchange, response.clone()).finally(() => {
      exchange.finished = true;
      this.#pending.delete(reading);
    });
    this.#pending.add(reading);
    return response;
  };

  /** Every server message seen so far, in arrival order. */
  get messages(): RecordedMessage[] {
    return this.exchanges.flatMap((e) => e.messages).sort((a, b) => a.seq - b.seq);
  }

  /** Schema violations and transport faults, one line each, naming the exchange and message. */
  get problems(): string[] {
    return this.exchanges.flatMap((e) => [
      ...e.faults.map((fault) => `#${e.index} ${e.httpMethod} ${JSON.stringify(e.body)?.slice(0, 120)}: ${fault}`),
      ...e.messages.flatMap((m) => m.errors.map((error) => `#${e.index} ${m.version} ${m.method ?? '?'} ${JSON.stringify(m.message).slice(0, 200)}: ${error}`)),
    ]);
  }

  /** Waits until every response body has been read to its end. */
  async settled(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const open = this.exchanges.filter((e) => !e.finished).map((e) => `#${e.index} ${JSON.stringify(e.body)?.slice(0, 80)}`);
        throw new Error(`Response bodies still open after ${timeoutMs} ms: ${open.join('; ')}`);
      }
      await Promise.race([Promise.all(this.#pending), new Promise((resolve) => setTimeout(resolve, left))]);
    }
  }

  async #read(exchange: Exchange, response: Response): Promise<void> {
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const held: unknown[] = [];
    // An initialize response speaks the version its result names, so its messages wait for it.
    const take = (message: unknown) => {
      if (exchange.version !== undefined) return this.#record(exchange, message);
      held.push(message);
      const result = isObject(message) && isObject(message.result) ? message.result : undefined;
      if (result && typeof result.protocolVersion === 'string') exchange.version = result.protocolVersion;
    };
    const parse = (text: string, what: string) => {
      try {
        const value = JSON.parse(text);
        for (const message of Array.isArray(value) ? value : [value]) take(message);
      } catch {
        exchange.faults.push(`${what} is not JSON: ${text.slice(0, 120)}`);
      }
    };
    try {
      if (type === 'text/event-stream') {
        let data: string[] = [];
        for await (const line of lines(response.body!)) {
          if (line === '') {
            if (data.length > 0) parse(data.join('\n'), 'an SSE data field');
            data = [];
          } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length > 0) parse(data.join('\n'), 'an SSE data field');
      } else if (type === 'application/jsonl' || type === 'application/json-lines' || type === 'application/x-ndjson') {
        for await (const line of lines(response.body!)) if (line.trim() !== '') parse(line, 'a JSON Lines record');
      } else {
        const text = await response.text();
        if (type === 'application/json' && text !== '') parse(text, 'the JSON body');
        else if (text !== '' && exchange.status !== undefined && exchange.status < 300) exchange.faults.push(`unexpected ${type || 'untyped'} body on ${exchange.status}`);
      }
    } catch (error) {
      // The client aborting its request (cancellation, close) ends our copy too; that is no fault.
      if (!(error instanceof Error && (error.name === 'AbortError' || /terminated|aborted/i.test(error.message)))) exchange.faults.push(`reading the body failed: ${String(error)}`);
    }
    if (exchange.version === undefined) {
      const requested = (requestsOf(exchange.body)[0]?.params as Record<string, unknown> | undefined)?.protocolVersion;
      exchange.version = isSchemaVersion(requested) ? requested : DEFAULT_LEGACY;
    }
    for (const message of held) this.#record(exchange, message);
  }

  #record(exchange: Exchange, message: unknown): void {
    const version = exchange.version!;
    const record: RecordedMessage = { seq: this.#seq++, exchange: exchange.index, version, method: undefined, message: isObject(message) ? message : { value: message }, errors: [] };
    exchange.messages.push(record);
    const context: { method?: string; httpError?: boolean } = { httpError: (exchange.status ?? 200) >= 400 };
    if (isObject(message) && typeof message.method === 'string') {
      record.method = message.method;
      if (message.method === PARTIAL_RESULT_METHOD) record.errors.push(...this.#checkPartial(exchange, message, version));
    }
    else if (isObject(message) && ('result' in message || 'error' in message)) {
      const answered = requestsOf(exchange.body).find((request) => request.id === message.id);
      record.method = answered?.method as string | undefined;
      context.method = record.method;
      // An error may carry no id when the request could not be read; a result never may.
      if (!answered && (message.id !== undefined || 'result' in message)) record.errors.push(`answers id ${JSON.stringify(message.id)}, which this POST did not send`);
    }
    record.errors.push(...validateServerMessage(schemaFor(version), message, context));
  }

  /** Only a call that opted in gets partial results, under its own token, seq counting from 0 by one. */
  #checkPartial(exchange: Exchange, message: Record<string, unknown>, version: string): string[] {
    const params = isObject(message.params) ? message.params : {};
    const request = requestsOf(exchange.body)[0];
    const token = request ? optedInToken(request, version === MODERN_SCHEMA) : undefined;
    if (token === undefined) return ['a partial result for a call that did not opt in'];
    const errors: string[] = [];
    if (params.partialResultToken !== token) errors.push(`partialResultToken ${JSON.stringify(params.partialResultToken)} is not the call's ${JSON.stringify(token)}`);
    if (params.seq !== exchange.nextPartialSeq) errors.push(`seq ${JSON.stringify(params.seq)} where ${exchange.nextPartialSeq} was due`);
    exchange.nextPartialSeq++;
    return errors;
  }
}

export function createRecorder(base?: FetchLike): FetchRecorder {
  return new FetchRecorder(base);
}

/**
 * Asserts that the server sent at least `atLeast` messages, all valid for their revision, and
 * (when given) that every one spoke `version`.
 */
export async function expectAllValid(recorder: FetchRecorder, { atLeast = 1, version }: { atLeast?: number; version?: string } = {}): Promise<void> {
  await recorder.settled();
  expect(recorder.problems).toEqual([]);
  const messages = recorder.messages;
  expect(messages.length).toBeGreaterThanOrEqual(atLeast);
  if (version !== undefined) expect([...new Set(messages.map((m) => m.version))]).toEqual([version]);
}
