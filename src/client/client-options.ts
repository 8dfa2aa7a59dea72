// What a client is configured with, and the options of its list and listen operations.
import type { JsonRpcNotification } from '../protocol/jsonrpc.ts';
import type { LogLevel } from '../protocol/revisions.ts';
import type { Implementation } from '../protocol/types.ts';
import type { RequestOptions } from './request-options.ts';
import type { FetchLike, RetryPolicy } from './http-exchange.ts';
import type { InputHandlers } from './input-handlers.ts';
import type { ListCache } from './list-cache.ts';
import type { OAuthProvider } from './oauth-types.ts';
import type { Era } from './types.ts';

export interface ClientOptions {
  clientInfo?: Implementation;
  /** Sent on every request (names are case-insensitive). */
  headers?: Record<string, string>;
  /** A bearer token, or a function asked before every request (refresh it there). */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  fetch?: FetchLike;
  /** Run the OAuth 2.1 flow on 401 / 403 insufficient_scope and retry once (replaces `token`). */
  oauth?: OAuthProvider;
  /** Ask for JSON Lines (`application/jsonl`) ahead of SSE; servers that do not offer it answer SSE. */
  preferJsonLines?: boolean;
  /** The largest single message read from the server; a larger one fails with MESSAGE_TOO_LARGE. Default 16 MiB. */
  maxMessageBytes?: number;
  /** `auto` (default) probes 2026-07-28 and falls back to 2025 revisions. */
  era?: 'auto' | Era;
  /** Answers to elicitation, sampling and roots requests; declared as client capabilities. */
  handlers?: InputHandlers;
  /** Per-call limit unless a call says otherwise; 0 for none. Default 60 s. */
  timeoutMs?: number;
  /** Default retry policy; it applies only to calls marked `safe` (here or per call). */
  retry?: RetryPolicy;
  logLevel?: LogLevel;
  /** Every notification the client receives, from any call or listen stream. */
  onNotification?: (message: JsonRpcNotification) => void;
  /** Things worth telling a user that no call can report (a tool dropped for an invalid x-mcp-header, a broken 2025 session stream, a partial result dropped as out of order). */
  onWarning?: (message: string) => void;
  maxInputRounds?: number;
  /** A cache shared between clients for `cacheScope: "public"` results; private ones stay per client. */
  sharedCache?: ListCache;
  /** Where the era of each endpoint is remembered; shared by all clients by default. */
  eraMemory?: Map<string, Era>;
}

export interface ListenOptions extends Omit<RequestOptions, 'onNotification' | 'timeoutMs'> {
  /** Longest silence (no bytes at all, keep-alive comments included) before the stream is presumed dead; 0 for none. Default 60 s. */
  idleTimeoutMs?: number;
}

export interface ListOptions extends RequestOptions {
  /** Skip the cache and ask the server. */
  fresh?: boolean;
}
