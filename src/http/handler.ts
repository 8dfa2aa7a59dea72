// POST handling for the MCP endpoint, top to bottom: body, era routing (lane.ts), header checks,
// rate limits, then dispatch and the response (respond.ts), or a batch (batch.ts). Knows no Hono:
// the Hono chain (app.ts) runs the guard and auth middleware first and hands the principal down.
import { ErrorCode, McpError, classifyMessage } from '../protocol/jsonrpc.ts';
import type { JsonRpcResponse } from '../protocol/jsonrpc.ts';
import type { McpServer } from '../server/server.ts';
import { createBatchHandler } from './batch.ts';
import { jsonRpcErrorResponse, postRefusal, readBody, streamModeNegotiator } from './checks.ts';
import { chooseLane, sessionOf } from './lane.ts';
import type { McpHttpOptions } from './options.ts';
import type { Platform } from './request-context.ts';
import { checkMeta, checkModernHeaders } from './request-headers.ts';
import { noteRequest } from './request-notes.ts';
import { createResponder } from './respond.ts';
import { statusForError } from './status.ts';
import type { StreamLimits } from './stream-writer.ts';

export type { Platform } from './request-context.ts';

export const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const DEFAULT_MAX_BUFFERED = 1024 * 1024;
const DEFAULT_MAX_BATCH = 16;

export type PostHandler = (request: Request, platform?: Platform) => Promise<Response>;

/**
 * The endpoint's POST handler as a plain function, every gate included: Host/Origin, Content-Type,
 * auth, then the MCP handler. For hosts that hand over a Request without Hono, and for faces that
 * forward to the endpoint (REST). A principal in `platform` counts as verified.
 */
export function createPostHandler(server: McpServer, options: McpHttpOptions = {}): PostHandler {
  const handle = createMcpHandler(server, options);
  const auth = options.auth;
  return async (request, platform = {}) => {
    const refused = postRefusal(request, options);
    if (refused) return refused;
    if (!auth || platform.principal) return handle(request, platform);
    const verdict = await auth.authenticate(request);
    return verdict instanceof Response ? verdict : handle(request, { ...platform, principal: verdict });
  };
}

/**
 * The MCP handler behind the gates: what the POST says, answered. Its caller has checked Host,
 * Origin and Content-Type, and verified the caller (`platform.principal`) when auth is on.
 */
export function createMcpHandler(server: McpServer, options: McpHttpOptions = {}): PostHandler {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const limits: StreamLimits = { keepAliveMs: options.keepAliveMs ?? 15_000, maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED };
  if (!(limits.maxBufferedBytes > 0)) throw new TypeError(`maxBufferedBytes must be a positive number of bytes (default ${DEFAULT_MAX_BUFFERED}); got ${limits.maxBufferedBytes}.`);
  const negotiateStreamMode = streamModeNegotiator();
  const limiter = options.rateLimit?.(server.store);
  const maxBatch = options.maxBatchLength ?? DEFAULT_MAX_BATCH;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new TypeError(`maxBatchLength must be a positive integer (default ${DEFAULT_MAX_BATCH}); got ${maxBatch}.`);
  const respond = createResponder(server, { limits, timeoutMs: options.timeoutMs, auth: options.auth });
  const handleBatch = createBatchHandler({ server, maxBatch, negotiateStreamMode, limiter, respond });

  return async function handlePost(request, platform = {}) {
    const text = await readBody(request, maxBody);
    if (text instanceof Response) return text;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return jsonRpcErrorResponse(400, ErrorCode.ParseError, 'Parse error: the body is not valid JSON.');
    }

    const headerVersion = request.headers.get('mcp-protocol-version');
    const opening = sessionOf(server, request, headerVersion, body, platform.principal);
    const session = opening && (await opening);
    if (session instanceof Response) return session;
    if (Array.isArray(body)) {
      if (platform.notes) platform.notes.method = 'batch';
      return handleBatch(body, headerVersion, request, session, platform);
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
    if (lane instanceof McpError) return jsonRpcErrorResponse(statusForError(lane.code, 'modern'), lane.code, lane.message, message.id, lane.data);
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
    const limited = limiter && (await limiter.refuse(request, platform.principal, message));
    if (limited) return limited;
    return respond({ messages: [message], batch: false, lane, mode, request, platform });
  };

  async function acceptClientResponse(response: JsonRpcResponse): Promise<Response> {
    if (await server.deliverResponse(response)) return new Response(null, { status: 202 });
    // Fail fast rather than let the waiting handler hang unseen (issue: no shared router yet).
    return jsonRpcErrorResponse(
      400,
      ErrorCode.InvalidRequest,
      `No request with id ${JSON.stringify(response.id)} is waiting for an answer. It may have timed out; behind a load balancer, instances need a shared bus (e.g. RedisBus) or protocol 2026-07-28.`,
    );
  }
}

