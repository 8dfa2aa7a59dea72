// AWS Lambda entry: Hono's own adapter (`hono/aws-lambda`: API Gateway REST v1 and HTTP API v2
// events, ALB, Function URLs), plus the two things MCP needs that it lacks: stream bodies sent as
// text, and the invocation's deadline handed to the app, so a call ends before Lambda cuts it off.
// The adapter shape, as for every host that calls us per request: `handle(app, options?)` takes the
// finished app and returns the host's handler (Hono's own idiom, so there is one rule to learn).
import { Hono } from 'hono/tiny';
import { defaultIsContentTypeBinary, handle as handleWithHono, streamHandle as streamHandleWithHono } from 'hono/aws-lambda';
import type { LambdaContext } from 'hono/aws-lambda';
import type { FetchApp } from './listen.ts';

// The global that Lambda's Node.js runtime (and aws-lambda-ric) installs before loading a handler.
declare const awslambda: object | undefined;

export interface LambdaOptions {
  /**
   * How long before the invocation's deadline (`context.getRemainingTimeInMillis()`) a call must
   * end, in ms. The handler then answers with its timeout error while Lambda still delivers it,
   * instead of the function being killed mid-stream. Default 1000.
   */
  deadlineMarginMs?: number;
}

/** What Hono's Lambda adapters pass as the app's env: `lambdaContext` from `handle`, `context` from `streamHandle`. */
interface LambdaBindings {
  lambdaContext?: LambdaContext;
  context?: LambdaContext;
}

const TEXT_STREAMS = /^(?:text\/event-stream|application\/(?:jsonl|json-lines|x-ndjson))\s*(?:;|$)/i;

/**
 * Whether a buffered result's body must be base64. SSE and JSON Lines are text: Hono's default
 * calls them binary, and a REST API without `binaryMediaTypes` would hand the client base64.
 */
export function isContentTypeBinary(contentType: string): boolean {
  return !TEXT_STREAMS.test(contentType) && defaultIsContentTypeBinary(contentType);
}

/**
 * A buffered Lambda handler for API Gateway REST (v1) and HTTP API (v2) events, ALB and Function
 * URLs in BUFFERED mode. Streamed responses (SSE, JSON Lines) arrive whole, when the call ends.
 *
 * @example
 * export const handler = handle(createMcpApp(server));
 */
export function handle(app: FetchApp, options: LambdaOptions = {}) {
  return handleWithHono(withDeadline(app, options), { isContentTypeBinary });
}

/**
 * A response-streaming Lambda handler (`awslambda.streamifyResponse`) for Function URLs with
 * `InvokeMode: RESPONSE_STREAM`: each SSE event or JSON line reaches the client as it is written.
 * Hono's loop pipes the body with `stream.pipeline`, which waits for `drain`.
 *
 * @example
 * export const handler = streamHandle(createMcpApp(server));
 */
export function streamHandle(app: FetchApp, options: LambdaOptions = {}): ReturnType<typeof streamHandleWithHono> {
  if (typeof awslambda === 'undefined') {
    throw new TypeError('streamHandle needs the `awslambda` global of the AWS Lambda Node.js runtime (or aws-lambda-ric); use handle() elsewhere.');
  }
  return streamHandleWithHono(withDeadline(app, options));
}

/**
 * `app` as Hono's Lambda adapters take it, with the invocation's deadline (epoch ms, less the
 * margin) passed on as the `mcpDeadline` binding: the MCP endpoint ends the call by then.
 */
function withDeadline(app: FetchApp, { deadlineMarginMs = 1_000 }: LambdaOptions): Hono<{ Bindings: LambdaBindings }> {
  return new Hono<{ Bindings: LambdaBindings }>().all('*', (c) => {
    const context = c.env.lambdaContext ?? c.env.context;
    if (!context) return app.fetch(c.req.raw, c.env);
    return app.fetch(c.req.raw, { ...c.env, mcpDeadline: Date.now() + Math.max(0, context.getRemainingTimeInMillis() - deadlineMarginMs) });
  });
}
