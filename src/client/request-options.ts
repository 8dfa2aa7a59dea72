// The options every client request takes, and those of tools/call and of the client's own listen streams.
import type { JsonObject, JsonRpcNotification } from '../protocol/jsonrpc.ts';
import type { LogLevel } from '../protocol/revisions.ts';
import type { RetryPolicy } from './http-exchange.ts';
import type { IdleWatch } from './idle-watch.ts';
import type { InputHandlers } from './input-handlers.ts';
import type { OnPartial } from './partial-results.ts';
import type { Progress } from './types.ts';

export interface RequestOptions {
  /** Aborting closes the response stream, which a 2026-07-28 server treats as cancellation. */
  signal?: AbortSignal;
  /** Whole-call limit across MRTR rounds; 0 for none. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Sends `_meta.progressToken` and receives `notifications/progress` for it. */
  onProgress?: (progress: Progress) => void;
  /** Every notification on this call's stream (log messages, progress, …). */
  onNotification?: (message: JsonRpcNotification) => void;
  /** Overrides the client's handlers for this call (and with them the declared capabilities). */
  handlers?: InputHandlers;
  /** Asks for `notifications/message` at this level and above (`_meta` logLevel). */
  logLevel?: LogLevel;
  /** Extra `_meta` entries. */
  meta?: JsonObject;
  /** Extra headers on the 2026 lane (the client adds `Mcp-Param-*` here). */
  headers?: Record<string, string>;
}

/** What the client's own `listen()` adds to a request; not a public option. */
export interface StreamRequestOptions extends RequestOptions {
  /** Restarted by every chunk of the response body; its signal must be part of `signal`. */
  idle?: IdleWatch;
}

/** What `tools/call` takes beyond any request's options. */
export interface ToolCallOptions extends RequestOptions {
  /**
   * Opts the call in to partial results (an extension following the SEP-2998 draft): declares
   * `partialResults`, issues a `partialResultToken`, and hands over each piece in order as it
   * arrives. The next piece is read only once a returned promise settles (a slow receiver slows
   * the server rather than filling memory); a throw ends the call. Servers without the extension
   * send no pieces; the final result holds every piece either way.
   */
  onPartial?: OnPartial;
}
