// The response to dispatched requests: plain JSON (or one frame, for a client that reads only
// streams) when the answer comes before anything else was sent, else the stream the writer has
// opened. A refused single request gets its status from the refusal table (status.ts).
import { ErrorCode, errorResponse } from '../protocol/jsonrpc.ts';
import type { JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import type { Dispatched, Refusal } from '../server/outcome.ts';
import type { McpServer } from '../server/server.ts';
import type { ResponseMode } from './checks.ts';
import type { HttpAuth } from './options.ts';
import { RequestContext, timeLimit } from './request-context.ts';
import type { Lane, Platform } from './request-context.ts';
import type { RequestNotes } from './request-notes.ts';
import { refusalResponse, statusForError } from './status.ts';
import { StreamWriter, frame } from './stream-writer.ts';
import type { StreamLimits } from './stream-writer.ts';

/** Requests of one POST, ready to dispatch: one, or the requests of a 2025-03-26 batch. */
export interface Job {
  messages: JsonRpcRequest[];
  batch: boolean;
  lane: Lane;
  mode: ResponseMode;
  request: Request;
  platform: Platform;
  /** A batch's answers known before dispatch (its invalid members), sent after the others. */
  extra?: JsonRpcResponse[];
}

export interface ResponderOptions {
  limits: StreamLimits;
  timeoutMs?: number;
  auth?: HttpAuth;
}

export function createResponder(server: McpServer, { limits, timeoutMs, auth }: ResponderOptions): (job: Job) => Promise<Response> {
  /** Only a time limit (ours, or the host's deadline) needs the race: a request its client cancelled has no one left to answer. */
  function handle(message: JsonRpcRequest, context: RequestContext): Promise<Dispatched> {
    return context.bounded ? withDeadline(message, server.dispatch(message, context), context.signal) : server.dispatch(message, context);
  }

  /** Through the observer that asked to be around each dispatch (telemetry), when one did. */
  function observed(message: JsonRpcRequest, context: RequestContext, observe: RequestNotes['dispatch']): Promise<Dispatched> {
    if (!observe) return handle(message, context);
    let dispatched: Dispatched | undefined;
    return observe(message, context.protocolVersion, () => handle(message, context).then((d) => (dispatched = d).response)).then((response) => dispatched ?? { response });
  }

  return async function respond({ messages, batch, lane, mode, request, platform, extra = [] }: Job): Promise<Response> {
    const writer = new StreamWriter(mode, limits);
    const context = new RequestContext({ lane, request, outbox: writer, principal: platform.principal, waitUntil: platform.waitUntil, timeLimitMs: timeLimit(timeoutMs, platform.deadline) });
    const notes = platform.notes;
    const observe = notes?.dispatch;
    // A batch's refusals stay in its responses: one status cannot speak for several requests.
    let refusal: Refusal | undefined;
    const done: Promise<JsonRpcResponse | JsonRpcResponse[]> = batch
      ? Promise.all(messages.map((m) => observed(m, context, observe))).then((answers) => answers.map((a) => a.response).concat(extra))
      : observed(messages[0]!, context, observe).then((answered) => ((refusal = answered.refusal), answered.response));

    let first: JsonRpcResponse | JsonRpcResponse[] | undefined;
    try {
      first = await writer.until(done);
    } catch (error) {
      context.end();
      throw error;
    }
    if (first !== undefined && !writer.isOpen) {
      context.end();
      const single = batch ? undefined : (first as JsonRpcResponse);
      if (refusal) return refusalResponse(refusal, { request, auth, reply: (status, headers) => answer(mode, first, status, headers) });
      const status = single && 'error' in single ? statusForError(single.error.code, lane.era) : 200;
      if (notes && single && 'error' in single) notes.errorCode = single.error.code;
      // 2025 lane: the session id that carries what this client negotiated (src/server/client-session.ts).
      if (single && 'result' in single && lane.era === 'legacy' && messages[0]!.method === 'initialize') {
        return answer(mode, first, status, { 'mcp-session-id': await server.issueSession(messages[0]!.params ?? {}, single.result, platform.principal) });
      }
      return answer(mode, first, status);
    }
    // From here the response streams: the stream ending early cancels the call.
    context.follow(writer.closed);
    if (notes) notes.finished = done.then((responses) => {
      if (!Array.isArray(responses) && 'error' in responses) notes.errorCode = responses.error.code;
    });
    done.then(
      (responses) => {
        writer.finish(responses);
        context.end();
      },
      // dispatch never rejects; a failure here is a bug that must still end the stream.
      () => {
        writer.finish(errorResponse(undefined, { code: ErrorCode.InternalError, message: 'Internal error' }));
        context.end();
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
  };
}

/** A response known before anything streamed: plain JSON, or one frame for a client that reads only streams. */
function answer(mode: ResponseMode, message: JsonRpcResponse | JsonRpcResponse[], status: number, headers?: Record<string, string>): Response {
  const contentType = mode.alwaysStream ? mode.contentType : 'application/json';
  // Plain header records: Response.json would build a Headers object for any `headers` given, and
  // on @hono/node-server a record is written straight to the socket.
  return new Response(mode.alwaysStream ? frame(mode.framing, message) : JSON.stringify(message), { status, headers: { ...headers, 'content-type': contentType } });
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
