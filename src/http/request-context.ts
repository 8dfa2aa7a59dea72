// One POST as dispatch sees it: the one owner of the request's cancellation, its time limit and
// its outbox. Cancellation comes from three places: the client leaving (the request's signal),
// the response stream ending early (the writer's `closed` signal, followed once the response
// streams), and the time limit: the earlier of the endpoint's `timeoutMs` and the host's deadline
// (the `mcpDeadline` binding), ending with a TimeoutError.
import type { Era } from '../protocol/revisions.ts';
import type { Principal } from '../protocol/principal.ts';
import type { ClientSession } from '../server/client-session.ts';
import type { RequestEnv } from '../server/outbox.ts';
import type { RequestNotes } from './request-notes.ts';
import type { StreamWriter } from './stream-writer.ts';

/** What the host and the middleware before the handler give one POST. */
export interface Platform {
  /** Keeps serverless hosts alive for work that outlives the response (Workers `ctx.waitUntil`). */
  waitUntil?: (work: Promise<unknown>) => void;
  /** The verified caller, as the auth middleware (or your own) found it. */
  principal?: Principal;
  /** When the host ends the request (epoch ms): the `mcpDeadline` binding, e.g. Lambda's. */
  deadline?: number;
  /** Filled in for the request log and telemetry, when either observes. */
  notes?: RequestNotes;
}

/** The lane a request is served in (lane.ts), and for 2025 the session its client negotiated. */
export interface Lane {
  era: Era;
  protocolVersion: string;
  session?: ClientSession;
}

export interface RequestSetup {
  lane: Lane;
  request: Request;
  outbox: StreamWriter;
  principal?: Principal;
  waitUntil?: (work: Promise<unknown>) => void;
  /** Milliseconds until the call is cut off with a TimeoutError; undefined for no limit. */
  timeLimitMs?: number;
}

/** Milliseconds the request may run: the earlier of `timeoutMs` and the host's deadline (epoch ms); undefined when neither is set. */
export function timeLimit(timeoutMs: number | undefined, deadline: number | undefined): number | undefined {
  const untilDeadline = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
  if (!timeoutMs) return untilDeadline;
  return untilDeadline === undefined ? timeoutMs : Math.min(timeoutMs, untilDeadline);
}

/**
 * Its signal aborts for every way a request ends early, and is made on first read, linked to the
 * client's then: most handlers never look, and on @hono/node-server reading request.signal builds
 * a controller too. (AbortSignal.any would link them as well, at several times the cost.)
 */
export class RequestContext implements RequestEnv {
  readonly era: Era;
  readonly protocolVersion: string;
  readonly headers: Headers;
  readonly idempotencyKey?: string;
  readonly outbox: StreamWriter;
  readonly principal?: Principal;
  readonly session?: ClientSession;
  readonly waitUntil?: (work: Promise<unknown>) => void;
  readonly #request: Request;
  #controller: AbortController | undefined;
  #onClientGone: (() => void) | undefined;
  #ended = false;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;

  constructor({ lane, request, outbox, principal, waitUntil, timeLimitMs }: RequestSetup) {
    this.era = lane.era;
    this.protocolVersion = lane.protocolVersion;
    this.session = lane.session;
    this.headers = request.headers;
    this.idempotencyKey = request.headers.get('idempotency-key')?.trim();
    this.outbox = outbox;
    this.principal = principal;
    this.waitUntil = waitUntil;
    this.#request = request;
    if (timeLimitMs !== undefined) this.#timer = setTimeout(() => this.abort(new DOMException('The time limit passed', 'TimeoutError')), timeLimitMs);
  }

  /** Whether the call ends at a time limit: only then must an answer race a handler that ignores its signal. */
  get bounded(): boolean {
    return this.#timer !== undefined;
  }

  get signal(): AbortSignal {
    return (this.#controller ?? this.#link()).signal;
  }

  /** Also when nobody has looked yet: a later look still finds the signal aborted. */
  abort(reason: unknown): void {
    (this.#controller ?? this.#link()).abort(reason);
  }

  /** Cancels the call when `signal` aborts (the response stream's end, once the response streams). */
  follow(signal: AbortSignal): void {
    if (signal.aborted) this.abort(signal.reason);
    else signal.addEventListener('abort', () => this.abort(signal.reason), { once: true });
  }

  #link(): AbortController {
    const controller = (this.#controller = new AbortController());
    // Once the call has ended, the client leaving no longer cancels anything.
    if (this.#ended) return controller;
    const client = this.#request.signal;
    if (client.aborted) controller.abort(client.reason);
    else client.addEventListener('abort', (this.#onClientGone = () => controller.abort(client.reason)), { once: true });
    return controller;
  }

  /** Nothing more goes out, and nothing cancels the call any more. */
  end(): void {
    this.#ended = true;
    this.outbox.close();
    clearTimeout(this.#timer);
    if (this.#onClientGone) this.#request.signal.removeEventListener('abort', this.#onClientGone);
  }
}
