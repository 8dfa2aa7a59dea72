// The seam between dispatch and whatever carries messages to the client (an HTTP stream writer,
// stdio, a test). Dispatch emits here; it never learns what is on the other side.
import type { JsonRpcNotification, JsonRpcRequest } from '../protocol/jsonrpc.ts';
import type { Principal } from '../protocol/principal.ts';
import type { Era } from '../protocol/revisions.ts';
import type { ClientSession } from './client-session.ts';

export interface Outbox {
  /**
   * A message related to the request being handled, sent before its result. False when nothing
   * can reach the client before the result (it reads only plain JSON): notifications are then
   * dropped, and a request could never be answered.
   */
  send(message: JsonRpcNotification | JsonRpcRequest): void | false;
  /**
   * Backpressure: undefined while the client keeps up; otherwise a promise that settles once it
   * has room again or once nothing more will be written. Outboxes without flow control omit it.
   */
  ready?(): Promise<void> | undefined;
}

/** Everything about one incoming request that dispatch needs, with no HTTP types in it. */
export interface RequestEnv {
  era: Era;
  protocolVersion: string;
  /** The request's headers, for handlers (`ctx.headers`); dispatch itself reads none of them. */
  headers: Headers;
  /** What the client sent to make a tool call repeat-safe (HTTP: the `Idempotency-Key` header, trimmed). */
  idempotencyKey?: string;
  signal: AbortSignal;
  outbox: Outbox;
  principal?: Principal;
  /** 2025 lane: what the client negotiated at initialize, from its Mcp-Session-Id; undefined when it sent none. */
  session?: ClientSession;
  /** Keeps the platform alive for work that outlives the response (Workers `ctx.waitUntil`, …). */
  waitUntil?: (work: Promise<unknown>) => void;
}
