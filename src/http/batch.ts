// 2025-03-26 JSON-RPC batches. A POST without MCP-Protocol-Version is taken to speak 2025-03-26
// (MCP 2025-06-18, basic/transports: backwards compatibility), so it may batch; every later
// revision named in the header may not. Length is capped before anything in the batch runs.
import { ErrorCode, classifyMessage, errorResponse } from '../protocol/jsonrpc.ts';
import type { JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import type { ClientSession } from '../server/client-session.ts';
import type { McpServer } from '../server/server.ts';
import { jsonRpcErrorResponse } from './checks.ts';
import type { ResponseMode } from './checks.ts';
import { BATCH_REVISION, unbatchable } from './lane.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { Platform } from './request-context.ts';
import type { Job } from './respond.ts';

export interface BatchSetup {
  server: McpServer;
  maxBatch: number;
  negotiateStreamMode: (request: Request) => ResponseMode | Response;
  limiter: RateLimiter | undefined;
  respond: (job: Job) => Promise<Response>;
}

export function createBatchHandler({ server, maxBatch, negotiateStreamMode, limiter, respond }: BatchSetup) {
  return async function handleBatch(body: unknown[], headerVersion: string | null, request: Request, session: ClientSession | undefined, platform: Platform): Promise<Response> {
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
    const limited = limiter && requests.length > 0 && (await limiter.refuse(request, platform.principal, requests));
    if (limited) return limited;
    const lane = { era: 'legacy' as const, protocolVersion: BATCH_REVISION, session };
    return respond({ messages: requests, batch: true, lane, mode, request, platform, extra: errors });
  };
}
