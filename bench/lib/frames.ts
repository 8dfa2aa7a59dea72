// Splits a streamed MCP response body into its JSON-RPC message texts as chunks arrive: SSE events
// (the `data:` lines of each event, comments and keep-alives skipped), JSON Lines (one message per
// line), or plain JSON (one message, known only at the end).
export type Framing = 'sse' | 'jsonl' | 'json';

const JSONL_TYPES = ['application/jsonl', 'application/json-lines', 'application/x-ndjson'];

/** The framing a response's Content-Type announces (anything unknown is read as one JSON body). */
export function framingOf(contentType: string): Framing {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/event-stream') return 'sse';
  return JSONL_TYPES.includes(type) ? 'jsonl' : 'json';
}

/** SSE allows CRLF, LF or CR line ends; they are read alike. */
const normalise = (text: string) => text.replace(/\r\n?/g, '\n');

/** The message in one SSE event: its data lines joined, or undefined for an event with none. */
function eventData(event: string): string | undefined {
  const data = event
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
  return data.length > 0 ? data.join('\n') : undefined;
}

export class FrameSplitter {
  readonly #framing: Framing;
  #buffer = '';

  constructor(framing: Framing) {
    this.#framing = framing;
  }

  /** The messages this chunk completes, in order. */
  push(chunk: string): string[] {
    this.#buffer += chunk;
    if (this.#framing === 'json') return [];
    // A chunk may end between the CR and LF of a CRLF: a trailing CR waits for the next chunk.
    const held = this.#buffer.endsWith('\r');
    this.#buffer = normalise(held ? this.#buffer.slice(0, -1) : this.#buffer);
    const separator = this.#framing === 'sse' ? '\n\n' : '\n';
    const out: string[] = [];
    let cut: number;
    while ((cut = this.#buffer.indexOf(separator)) >= 0) {
      const frame = this.#buffer.slice(0, cut);
      this.#buffer = this.#buffer.slice(cut + separator.length);
      const message = this.#framing === 'sse' ? eventData(frame) : frame.trim();
      if (message) out.push(message);
    }
    if (held) this.#buffer += '\r';
    return out;
  }

  /** What is left when the body ends: the JSON body, or a last frame with no terminator. */
  end(): string[] {
    const rest = this.#framing === 'json' ? this.#buffer.trim() : normalise(this.#buffer);
    this.#buffer = '';
    if (this.#framing === 'sse') {
      const message = eventData(rest);
      return message ? [message] : [];
    }
    return rest.trim() ? [rest.trim()] : [];
  }
}
