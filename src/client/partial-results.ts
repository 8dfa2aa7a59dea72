// Partial tool results, an opt-in extension following the SEP-2998 draft: the `_meta` a call sends
// to opt in, and the checks every `notifications/tools/partial_result` passes before a caller sees
// it. The final CallToolResult stays authoritative (it holds every piece), so delivery here is best
// effort: a piece that fails a check is dropped and reported, never turned into a failed call.
import type { JsonObject, JsonRpcNotification } from '../protocol/jsonrpc.ts';
import { PARTIAL_RESULT_METHOD } from '../protocol/partial-results.ts';
import type { CallToolResult, ContentBlock } from '../protocol/types.ts';
import { isContentBlock } from './result-shapes.ts';


/** One piece of a tool's result, as the server produced it. */
export interface PartialResult {
  /** 0, 1, 2, … per request; a gap means pieces were lost on the way (the final result has them). */
  seq: number;
  content: ContentBlock[];
  /** An increment of the structured result; how increments combine is the tool's to define. */
  structuredContent?: unknown;
  /** The server marked this as its last piece (the result still follows). */
  final?: boolean;
}

/** What `streamTool` yields: each piece as it arrives, then the complete result. */
export type ToolStreamEvent = ({ type: 'partial' } & PartialResult) | { type: 'result'; result: CallToolResult };

/** Receives each piece in order; the next piece is read only after a returned promise settles. */
export type OnPartial = (piece: PartialResult) => void | Promise<void>;

/**
 * The pieces of one tool call. Each request the call sends (one, or more after MRTR input rounds
 * or a re-issued stream) gets a fresh token and its own seq from 0; a server that runs the handler
 * again from the start repeats the pieces already delivered, and those are skipped.
 */
export class PartialStream {
  readonly #onPartial: OnPartial;
  readonly #warn: (message: string) => void;
  #token: string | undefined;
  #next = 0;
  /** The highest seq delivered by earlier requests of this call. */
  #delivered = -1;

  constructor(onPartial: OnPartial, warn: (message: string) => void) {
    this.#onPartial = onPartial;
    this.#warn = warn;
  }

  /**
   * Starts a request under `token` (its pieces are numbered from 0 again) and returns the request's
   * `_meta` entry; on the 2026-07-28 lane the caller also declares the capability.
   */
  begin(token: string): JsonObject {
    if (this.#token !== undefined) this.#delivered = Math.max(this.#delivered, this.#next - 1);
    this.#token = token;
    this.#next = 0;
    return { partialResultToken: token };
  }

  /**
   * Hands a partial-result notification for this request's token to the caller. Foreign tokens
   * are ignored (the draft says so); a repeated or backward seq is dropped, since showing it would
   * duplicate output; a gap is delivered and reported.
   */
  receive(message: JsonRpcNotification): void | Promise<void> {
    const params = message.params;
    if (message.method !== PARTIAL_RESULT_METHOD || this.#token === undefined || params?.partialResultToken !== this.#token) return;
    const { seq, content } = params;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      return this.#warn(`Ignoring a partial result with seq ${JSON.stringify(seq)}: seq must be 0, 1, 2, … The final result still holds every piece.`);
    }
    if (!Array.isArray(content) || !content.every(isContentBlock)) {
      return this.#warn(`Ignoring partial result ${seq}: its content is not an array of content blocks. The final result still holds every piece.`);
    }
    if (seq < this.#next) {
      return this.#warn(`Ignoring partial result ${seq}: it repeats or goes back (expected ${this.#next}). The final result still holds every piece.`);
    }
    if (seq > this.#next) {
      const missing = seq - 1 > this.#next ? `s ${this.#next}–${seq - 1}` : ` ${this.#next}`;
      this.#warn(`Partial result${missing} never arrived; showing ${seq}. The final result still holds every piece.`);
    }
    this.#next = seq + 1;
    // A request after the first replays the handler from the start: its first pieces were shown already.
    if (seq <= this.#delivered) return;
    const piece: PartialResult = { seq, content };
    if (params.structuredContent !== undefined) piece.structuredContent = params.structuredContent;
    if (params.final === true) piece.final = true;
    return this.#onPartial(piece);
  }
}
