// Partial tool results: an opt-in extension following the SEP-2998 draft ("Partial Tool Results",
// modelcontextprotocol PR #2998), so a client can use a tool's result while it is still produced.
//
// Handler API
//   ctx.partial(content, structuredContent?, { final? }): Promise<void>
//     `content` is a content block or an array of them; `structuredContent` an object. The piece
//     joins the final result and, when the call opted in, goes out at once as a notification. The
//     promise resolves once the piece is written and the client has room for more (backpressure:
//     it waits while the client is not reading), and rejects with the cancellation reason once
//     the call is cancelled (the client closed the stream, the time limit passed).
//   async function* handler(args, ctx) { yield block | block[]; …; return result? }
//     Each yield is a piece, exactly as if passed to ctx.partial; the generator is not resumed
//     until that piece is accepted. On cancellation the generator is closed with return(), so its
//     `finally` blocks run.
//   The final CallToolResult is always complete and self-contained: `content` is every piece in
//   the order emitted, then the content the handler returns; `structuredContent` is what the
//   handler returns, else the latest piece's (a piece's structured content replaces the one
//   before). The outputSchema is checked against that final result. A handler that throws after
//   emitting gets its pieces followed by the error text, as an isError result.
//
// Wire (opt-in per call, never without it)
//   2026-07-28: `_meta["io.modelcontextprotocol/clientCapabilities"].partialResults` (an object)
//   and `_meta.partialResultToken` (string or number). 2025 revisions: `_meta.partialResultToken`.
//   The server then sends, on the call's own SSE or JSON Lines stream, flushed per piece:
//     { "jsonrpc": "2.0", "method": "notifications/tools/partial_result",
//       "params": { "partialResultToken": <token>, "seq": 0, "content": [ContentBlock…],
//                   "structuredContent"?: {…}, "final"?: true } }
//   `seq` counts from 0, one per notification of the call. Without the opt-in (or when the client
//   accepts only application/json) pieces are only folded into the final result. Tools may
//   advertise `annotations.streamingHint: true`.
//
// Tasks: a call that becomes a task (tasks extension) stops sending notifications at that moment
// (its response stream ends with the CreateTaskResult); pieces emitted before and after all stay
// in the task's final result, which tasks/get returns. MRTR: each round is its own request, so
// its pieces, seq and final result start afresh.
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import { MetaKey } from '../protocol/revisions.ts';
import type { Era } from '../protocol/revisions.ts';
import type { CallToolResult, ContentBlock } from '../protocol/types.ts';
import { PARTIAL_RESULT_METHOD, PARTIAL_RESULTS_CAPABILITY } from '../protocol/partial-results.ts';
import type { Outbox } from './outbox.ts';


/** What a streaming tool handler yields: one content block or several. */
export type PartialContent = ContentBlock | readonly ContentBlock[];

export interface PartialOptions {
  /** Marks this piece as the last (a hint; the result still ends the call). */
  final?: boolean;
}

type Token = string | number;

/** The call's partialResultToken when it opted in, else undefined; -32602 for a token of the wrong type. */
export function partialResultToken(meta: JsonObject, era: Era): Token | undefined {
  const token = meta.partialResultToken;
  if (token === undefined) return undefined;
  if (typeof token !== 'string' && !(typeof token === 'number' && Number.isFinite(token))) {
    throw new McpError(ErrorCode.InvalidParams, '_meta.partialResultToken must be a string or a number; send one to receive partial results, or leave it out.');
  }
  if (era === 'legacy') return token;
  const capabilities = meta[MetaKey.clientCapabilities];
  return isJsonObject(capabilities) && isJsonObject(capabilities[PARTIAL_RESULTS_CAPABILITY]) ? token : undefined;
}

function blocksOf(content: unknown): ContentBlock[] {
  const blocks = Array.isArray(content) ? content : [content];
  for (const block of blocks) {
    if (!isJsonObject(block) || typeof block.type !== 'string') {
      throw new TypeError(`A partial result is a content block or an array of them, e.g. { type: 'text', text: 'row 1' }; got ${JSON.stringify(block) ?? typeof block}.`);
    }
  }
  return blocks as ContentBlock[];
}

/** The pieces of one tools/call: sent as they come when the call opted in, always kept for its final result. */
export class PartialResults {
  readonly #outbox: Outbox;
  readonly #token: Token | undefined;
  /** Made on the first piece: most tools emit none. */
  #content: ContentBlock[] | undefined;
  #structured: JsonObject | undefined;
  #seq = 0;
  #detached = false;

  constructor(outbox: Outbox, token: Token | undefined) {
    this.#outbox = outbox;
    this.#token = token;
  }

  emit(content: PartialContent, structuredContent: unknown, options: PartialOptions | undefined, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    let blocks: ContentBlock[];
    try {
      blocks = blocksOf(content);
      if (structuredContent !== undefined && !isJsonObject(structuredContent)) throw new TypeError('structuredContent of a partial result must be a JSON object.');
    } catch (error) {
      return Promise.reject(error);
    }
    (this.#content ??= []).push(...blocks);
    if (structuredContent !== undefined) this.#structured = structuredContent;
    if (this.#token === undefined || this.#detached) return Promise.resolve();
    const params: JsonObject = { partialResultToken: this.#token, seq: this.#seq++, content: blocks };
    if (structuredContent !== undefined) params.structuredContent = structuredContent;
    if (options?.final === true) params.final = true;
    this.#outbox.send({ jsonrpc: '2.0', method: PARTIAL_RESULT_METHOD, params });
    const waiting = this.#outbox.ready?.();
    return waiting === undefined ? Promise.resolve() : untilReady(waiting, signal);
  }

  /** The call became a task: its response stream is gone, so pieces are only kept from now on. */
  detach(): void {
    this.#detached = true;
  }

  /** The final result: every piece in order, then what the handler returned. */
  fold(result: CallToolResult): CallToolResult {
    if ((this.#content === undefined && this.#structured === undefined) || !isJsonObject(result)) return result;
    const returned: readonly ContentBlock[] = Array.isArray(result.content) ? result.content : [];
    const folded: CallToolResult = { ...result, content: [...(this.#content ?? []), ...returned] };
    if (result.structuredContent === undefined && this.#structured !== undefined) folded.structuredContent = this.#structured;
    return folded;
  }
}

/** Waits for room in the stream, but no longer than the call lives. */
function untilReady(waiting: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.then(() => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) reject(signal.reason);
      else resolve();
    });
  });
}

export function isAsyncGenerator(value: unknown): value is AsyncGenerator<unknown, unknown, undefined> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncGenerator)[Symbol.asyncIterator] === 'function' && typeof (value as AsyncGenerator).next === 'function';
}

/**
 * Runs a generator handler to its end: each yield is emitted (and accepted) before the generator
 * resumes. When the call is cancelled while the generator is busy, return() is queued so its
 * `finally` runs at its next yield, and the call ends now rather than whenever the generator looks.
 */
export async function drainGenerator(
  generator: AsyncGenerator<unknown, unknown, undefined>,
  emit: (content: PartialContent) => Promise<void>,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const cancelled = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  // A cancellation after the end has nobody left to tell.
  cancelled.catch(() => undefined);
  try {
    for (;;) {
      const next = generator.next();
      // Its rejection is read through the race below; when cancellation wins the race, the step
      // still pending is dropped with the call.
      next.catch(() => undefined);
      const step = await Promise.race([next, cancelled]);
      if (step.done) return (step.value ?? {}) as CallToolResult;
      await emit(step.value as PartialContent);
    }
  } finally {
    // Left early (cancelled, or a piece refused) the generator is still open: close it so its
    // cleanup runs. On a generator that has ended this does nothing.
    void generator.return(undefined).catch(() => undefined);
  }
}
