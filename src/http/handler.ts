// POST handling for the MCP endpoint: transport checks, era routing, dispatch and the response
// mode. Request → checks → server.handle → StreamWriter/JSON → Response. Knows no Hono.
import { ErrorCode, McpError, classifyMessage, errorResponse } from '../protocol/jsonrpc.ts';
import type { JsonRpcId, JsonRpcMessage, JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import { DEFAULT_LEGACY_VERSION, MODERN_VERSION, MetaKey, SUPPORTED_VERSIONS, isLegacyVersion } from '../protocol/revisions.ts';
import type { Era } from '../protocol/revisions.ts';
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { Principal } from '../protocol/principal.ts';
import type { ClientSession, SessionFailure } from '../server/client-session.ts';
import type { RequestEnv } from '../server/outbox.ts';
import type { Dispatched, Refusal } from '../server/outcome.ts';
import type { McpServer } from '../server/server.ts';
import { checkContentType, checkOriginAndHost, jsonRpcErrorResponse, readBody, streamModeNegotiator } from './checks.ts';
import type { ResponseMode } from './checks.ts';
import type { McpHttpOptions } from './options.ts';
import { checkMeta, checkModernHeaders, unsupportedVersion } from './request-headers.ts';
import { statusForError } from './status.ts';
import { hasDeadline } from './deadline.ts';
import { noteRequest } from './request-notes.ts';
import type { RequestNotes } from './request-notes.ts';
import { StreamWriter, frame } from './stream-writer.ts';
import type { StreamLimits } from './stream-writer.ts';

export const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const DEFAULT_MAX_BUFFERED = 1024 * 1024;
const DEFAULT_MAX_BATCH = 16;
/** The one revision with JSON-RPC batches: 2025-06-18 removed them. */
const BATCH_REVISION = '2025-03-26';

interface Lane { era: Era; protocolVersion: string; session?: ClientSession }

/** Why an Mcp-Session-Id did not open, for the 404 that tells the client to initialize again. */
const SESSION_NOT_FOUND: ReadonlyMap<SessionFailure, string> = new Map([
  ['malformed', 'was not issued by this server'],
  ['unknown-key', 'was sealed with a key this server does not hold (another deployment, or a rotated-out key)'],
  ['tampered', 'failed its integrity check'],
  ['expired', 'has expired'],
  ['wrong-request', 'was issued to another caller'],
]);

export interface Platform {
  waitUntil?: (work: Promise<unknown>) => void;
  /** Filled in for the request log and telemetry, when either observes. */
  notes?: RequestNotes;
}

function errorFrom(error: McpError, id: JsonRpcId | undefined, era: Era): Response {
  return jsonRpcErrorResponse(statusForError(error.code, era), error.code, error.message, id, error.data);
}

/**
 * Era per request (the 2026-07-28 specification, basic/versioning: version negotiation): modern `_meta` or a 2026 header selects the stateless 2026 lane;
 * a 2025 header, or none, the legacy lane; any other header version is unsupported.
 */
function chooseLane(message: JsonRpcRequest | undefined, headerVersion: string | null): Lane | McpError {
  const meta = message?.params?._meta;
  const modern = isJsonObject(meta) && meta[MetaKey.protocolVersion] !== undefined;
  if (modern || headerVersion === MODERN_VERSION) return { era: 'modern', protocolVersion: MODERN_VERSION };
  if (headerVersion === null) return { era: 'legacy', protocolVersion: DEFAULT_LEGACY_VERSION };
  if (isLegacyVersion(headerVersion)) return { era: 'legacy', protocolVersion: headerVersion };
  return unsupportedVersion(headerVersion, SUPPORTED_VERSIONS);
}

export function createPostHandler(server: McpServer, options: McpHttpOptions = {}) {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const limits: StreamLimits = { keepAliveMs: options.keepAliveMs ?? 15_000, maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED };
  if (!(limits.maxBufferedBytes > 0)) throw new TypeError(`maxBufferedBytes must be a positive number of bytes (default ${DEFAULT_MAX_BUFFERED}); got ${limits.maxBufferedBytes}.`);
  const negotiateStreamMode = streamModeNegotiator();
  const limiter = options.rateLimit?.(server.store);
  const maxBatch = options.maxBatchLength ?? DEFAULT_MAX_BATCH;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new TypeError(`maxBatchLength must be a positive integer (default ${DEFAULT_MAX_BATCH}); got ${maxBatch}.`);

  /** `platform.waitUntil` keeps serverless hosts alive for tasks that outlive the response. */
  return async function handlePost(request: Request, platform: Platform = {}): Promise<Response> {
    const refused = checkOriginAndHost(request, options.allowedHosts, options.allowedOrigins) ?? checkContentType(request);
    if (refused) return refused;

    let principal: Principal | undefined;
    if (options.auth) {
      const verdict = await options.auth.authenticate(request);
      if (verdict instanceof Response) return verdict;
      principal = verdict;
    }

    const text = await readBody(request, maxBody);
    if (text instanceof Response) return text;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return jsonRpcErrorResponse(400, ErrorCode.ParseError, 'Parse error: the body is not valid JSON.');
    }

    const headerVersion = request.headers.get('mcp-protocol-version');
    const session = await sessionOf(request, headerVersion, body, principal);
    if (session instanceof Response) return session;
    if (Array.isArray(body)) {
      if (platform.notes) platform.notes.method = 'batch';
      return handleBatch(body, headerVersion, request, principal, session, platform);
    }

    const classified = classifyMessage(body);
    switch (classified.kind) {
      case 'invalid':
        return jsonRpcErrorResponse(400, ErrorCode.InvalidRequest, `Invalid Request: ${classified.reason}.`, classified.id);
      case 'notification':
        server.handleNotification(classified.message);
        return new Response(null, { status: 202 });
      case 'response':
        return acceptClientResponse(classified.message);
    }

    const message = classified.message;
    const lane = chooseLane(message, headerVersion);
    if (lane instanceof McpError) return errorFrom(lane, message.id, 'modern');
    noteRequest(platform.notes, message, lane.protocolVersion);
    if (lane.era === 'legacy') lane.session = session;
    const mode = negotiateStreamMode(request);
    if (mode instanceof Response) return mode;
    if (lane.era === 'modern') {
      try {
        checkModernHeaders(message, request.headers, checkMeta(message), server);
      } catch (error) {
        if (error instanceof McpError) {
          if (platform.notes) platform.notes.errorCode = error.code;
          // Missing _meta is -32602, which is 400 only here, before dispatch.
          const status = error.code === ErrorCode.InvalidParams ? 400 : statusForError(error.code, 'modern');
          return jsonRpcErrorResponse(status, error.code, error.message, message.id, error.data);
        }
        throw error;
      }
    }
    const limited = limiter && (await limiter.refuse(request, principal, message));
    if (limited) return limited;
    return respond([message], false, lane, mode, request, principal, platform);
  };

  /**
   * 2025 lane: what the request's Mcp-Session-Id says the client negotiated. One that does not open
   * gets 404, which tells a 2025 client to initialize again (MCP 2025-11-25, basic/transports:
   * session management). initialize starts a new session and 2026-07-28 has none: both ignore it.
   */
  async function sessionOf(request: Request, headerVersion: string | null, body: unknown, principal: Principal | undefined): Promise<ClientSession | Response | undefined> {
    const id = request.headers.get('mcp-session-id');
    if (id === null || headerVersion === MODERN_VERSION || (isJsonObject(body) && body.method === 'initialize')) return undefined;
    const opened = await server.openSession(id, principal);
    if (typeof opened !== 'string') return opened;
    return jsonRpcErrorResponse(404, ErrorCode.InvalidRequest, `Session not found: this Mcp-Session-Id ${SESSION_NOT_FOUND.get(opened)}. Send initialize again, without the header, to start a new session.`);
  }

  function forbidden(request: Request, scopes: readonly string[]): Response {
    if (options.auth?.insufficientScope) return options.auth.insufficientScope(request, scopes);
    return jsonRpcErrorResponse(403, ErrorCode.InvalidRequest, `Forbidden: this operation needs the scopes ${scopes.join(' ')}.`);
  }

  async function acceptClientResponse(response: JsonRpcResponse): Promise<Response> {
    if (await server.deliverResponse(response)) return new Response(null, { status: 202 });
    // Fail fast rather than let the waiting handler hang unseen (issue: no shared router yet).
    return jsonRpcErrorResponse(
      400,
      ErrorCode.InvalidRequest,
      `No request with id ${JSON.stringify(response.id)} is waiting for an answer. It may have timed out; behind a load balancer, instances need a shared bus (e.g. RedisBus) or protocol 2026-07-28.`,
    );
  }

  /**
   * Batches are 2025-03-26 only. A POST without MCP-Protocol-Version is taken to speak 2025-03-26
   * (MCP 2025-06-18, basic/transports: backwards compatibility), so it may batch; every later
   * revision named in the header may not. Length is capped before anything in the batch runs.
   */
  async function handleBatch(body: unknown[], headerVersion: string | null, request: Request, principal: Principal | undefined, session: ClientSession | undefined, platform: Platform): Promise<Response> {
    if (headerVersion !== null && headerVersion !== BATCH_REVISION) {
      return jsonRpcErrorResponse(400, ErrorCode.InvalidRequest, `Invalid Request: JSON-RPC batches are not part of protocol ${headerVersion}; send one message per POST.`);
    }
    if (body.length === 0) return jsonRpcErrorResponse(400, ErrorCode.InvalidRequest, 'Invalid Request: an empty batch.');
    if (body.length > maxBatch) {
      return jsonRpcErrorResponse(
        400,
        ErrorCode.InvalidRequest,
        `Invalid Request: this batch holds ${body.length} messages; this server takes at most ${maxBatch} per POST. Send smaller batches, or one message per POST.`,
      );
    }
    const requests: JsonRpcRequest[] = [];
    const errors: JsonRpcResponse[] = [];
    for (const item of body) {
      const classified = classifyMessage(item);
      if (classified.kind === 'request') {
        const refused = unbatchable(classified.message);
        if (refused) errors.push(errorResponse(classified.message.id, { code: ErrorCode.InvalidRequest, message: refused }));
        else requests.push(classified.message);
      } else if (classified.kind === 'notification') server.handleNotification(classified.message);
      else if (classified.kind === 'response') await server.deliverResponse(classified.message);
      else errors.push(errorResponse(classified.id, { code: ErrorCode.InvalidRequest, message: `Invalid Request: ${classified.reason}.` }));
    }
    if (requests.length === 0 && errors.length === 0) return new Response(null, { status: 202 });
    const mode = negotiateStreamMode(request);
    if (mode instanceof Response) return mode;
    const limited = limiter && requests.length > 0 && (await limiter.refuse(request, principal, requests));
    if (limited) return limited;
    return respond(requests, true, { era: 'legacy', protocolVersion: BATCH_REVISION, session }, mode, request, principal, { notes: platform.notes }, errors);
  }

  /** Only a time limit (ours, or the platform's deadline) needs the race: a request its client cancelled has no one left to answer. */
  function handle(message: JsonRpcRequest, call: Call, bounded: boolean): Promise<Dispatched> {
    return bounded ? withDeadline(message, server.dispatch(message, call), call.signal) : server.dispatch(message, call);
  }

  /** Through the observer that asked to be around each dispatch (telemetry), when one did. */
  function observed(message: JsonRpcRequest, call: Call, bounded: boolean, observe: RequestNotes['dispatch']): Promise<Dispatched> {
    if (!observe) return handle(message, call, bounded);
    let dispatched: Dispatched | undefined;
    return observe(message, call.protocolVersion, () => handle(message, call, bounded).then((d) => (dispatched = d).response)).then((response) => dispatched ?? { response });
  }

  async function respond(
    messages: JsonRpcRequest[],
    batch: boolean,
    lane: Lane,
    mode: ResponseMode,
    request: Request,
    principal: Principal | undefined,
    platform: Platform,
    extra: JsonRpcResponse[] = [],
  ): Promise<Response> {
    const call = new Call(lane, mode, request, principal, platform.waitUntil, limits, options.timeoutMs);
    const bounded = Boolean(options.timeoutMs) || hasDeadline(request);
    const writer = call.outbox;
    const observe = platform.notes?.dispatch;
    // A batch's refusals stay in its responses: one status cannot speak for several requests.
    let refusal: Refusal | undefined;
    const done: Promise<JsonRpcResponse | JsonRpcResponse[]> = batch
      ? Promise.all(messages.map((m) => observed(m, call, bounded, observe))).then((answers) => answers.map((a) => a.response).concat(extra))
      : observed(messages[0]!, call, bounded, observe).then((answered) => ((refusal = answered.refusal), answered.response));

    let first: JsonRpcResponse | JsonRpcResponse[] | undefined;
    try {
      first = await writer.until(done);
    } catch (error) {
      call.end();
      throw error;
    }
    if (first !== undefined && !writer.isOpen) {
      call.end();
      const single = batch ? undefined : (first as JsonRpcResponse);
      if (refusal?.kind === 'insufficient_scope') return forbidden(request, refusal.scopes);
      // A backend outage (the shared store) is worth a retry: 503 tells clients and balancers so.
      if (refusal?.kind === 'unavailable') return answer(mode, first, 503, { 'Retry-After': '1' });
      const status = single && 'error' in single ? statusForError(single.error.code, lane.era) : 200;
      if (platform.notes && single && 'error' in single) platform.notes.errorCode = single.error.code;
      // 2025 lane: the session id that carries what this client negotiated (src/server/client-session.ts).
      if (single && 'result' in single && lane.era === 'legacy' && messages[0]!.method === 'initialize') {
        return answer(mode, first, status, { 'mcp-session-id': await server.issueSession(messages[0]!.params ?? {}, single.result, principal) });
      }
      return answer(mode, first, status);
    }
    if (platform.notes) platform.notes.finished = done.then((responses) => {
      if (platform.notes && !Array.isArray(responses) && 'error' in responses) platform.notes.errorCode = responses.error.code;
    });
    done.then(
      (responses) => {
        writer.finish(responses);
        call.end();
      },
      // server.handle never rejects; a failure here is a bug that must still end the stream.
      () => {
        writer.finish(errorResponse(undefined, { code: ErrorCode.InternalError, message: 'Internal error' }));
        call.end();
      },
    );
    return new Response(writer.readable, {
      status: 200,
      headers: {
        'content-type': mode.contentType,
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      },
    });
  }
}

/**
 * What dispatch sees of one POST. Its signal aborts for every way a request ends early (client
 * gone, stream closed, time limit), and is made on first read, linked to the client's then: most
 * handlers never look, and on @hono/node-server reading request.signal builds a controller too.
 * (AbortSignal.any would link them as well, at several times the cost.)
 */
class Call implements RequestEnv {
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

  constructor(lane: Lane, mode: ResponseMode, request: Request, principal: Principal | undefined, waitUntil: Platform['waitUntil'], limits: StreamLimits, timeoutMs: number | undefined) {
    this.era = lane.era;
    this.protocolVersion = lane.protocolVersion;
    this.session = lane.session;
    this.headers = request.headers;
    this.idempotencyKey = request.headers.get('idempotency-key')?.trim();
    this.outbox = new StreamWriter(mode, limits, this);
    this.principal = principal;
    this.waitUntil = waitUntil;
    this.#request = request;
    if (timeoutMs) this.#timer = setTimeout(() => this.abort(new DOMException('The time limit passed', 'TimeoutError')), timeoutMs);
  }

  get signal(): AbortSignal {
    return (this.#controller ?? this.#link()).signal;
  }

  /** Also when nobody has looked yet: a later look still finds the signal aborted. */
  abort(reason: unknown): void {
    (this.#controller ?? this.#link()).abort(reason);
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

/** A response known before anything streamed: plain JSON, or one frame for a client that reads only streams. */
function answer(mode: ResponseMode, message: JsonRpcResponse | JsonRpcResponse[], status: number, headers: Record<string, string> = {}): Response {
  if (!mode.alwaysStream) return Response.json(message, { status, headers });
  return new Response(frame(mode.framing, message), { status, headers: { ...headers, 'content-type': mode.contentType } });
}

/** Why a request cannot ride in a 2025-03-26 batch, if it cannot. */
function unbatchable(message: JsonRpcRequest): string | undefined {
  // MCP 2025-03-26, basic/lifecycle: the initialize request MUST NOT be part of a batch.
  if (message.method === 'initialize') return 'Invalid Request: initialize must not be part of a JSON-RPC batch; send it alone, then batch the requests that follow.';
  const lane = chooseLane(message, null);
  if (!(lane instanceof McpError) && lane.era === 'modern') return `Invalid Request: protocol ${MODERN_VERSION} has no JSON-RPC batches; send this request in its own POST.`;
  return undefined;
}

/**
 * When the time limit passes, a handler that ignores its signal still gets an answer out; a
 * listen stream resolves by itself with its graceful result.
 */
function withDeadline(message: JsonRpcRequest, handled: Promise<Dispatched>, signal: AbortSignal): Promise<Dispatched> {
  if (message.method === 'subscriptions/listen') return handled;
  return new Promise((resolve) => {
    const onAbort = () => {
      const reason = signal.reason;
      const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
      resolve({
        response: errorResponse(message.id, {
          code: ErrorCode.InternalError,
          message: timedOut
            ? 'Request timed out: the server time limit passed before the handler finished. Run long work as a task, or raise timeoutMs.'
            : 'Request cancelled.',
        }),
      });
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    handled.then((response) => {
      signal.removeEventListener('abort', onAbort);
      resolve(response);
    });
  });
}

export type { JsonRpcMessage };
