// AWS Lambda entry: Hono's own adapter (`hono/aws-lambda`: API Gateway REST v1 and HTTP API v2
// events, ALB, Function URLs), plus the two things MCP needs that it lacks: stream bodies sent as
// text, and an end to each call before Lambda's own deadline cuts it off.
import type { Hono } from 'hono';
import { defaultIsContentTypeBinary, handle as handleWithHono, streamHandle as streamHandleWithHono } from 'hono/aws-lambda';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';

// The global that Lambda's Node.js runtime (and aws-lambda-ric) installs before loading a handler.
declare const awslambda: { streamifyResponse<T extends Function>(handler: T, options?: { highWaterMark?: number }): T } | undefined;

export interface LambdaOptions {
  /**
   * How long before the invocation's deadline (`context.getRemainingTimeInMillis()`) the request's
   * signal aborts, in ms. The handler then answers with its timeout error while Lambda still
   * delivers it, instead of the function being killed mid-stream. Default 1000.
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
export function handle(app: Hono, options: LambdaOptions = {}) {
  const deadlines = new Deadlines(app, options);
  const handler = handleWithHono(deadlines.app, { isContentTypeBinary });
  return async (event: LambdaEvent, context: LambdaContext) => {
    try {
      return await handler(event, context);
    } finally {
      deadlines.settle(context);
    }
  };
}

/**
 * A response-streaming Lambda handler (`awslambda.streamifyResponse`) for Function URLs with
 * `InvokeMode: RESPONSE_STREAM`: each SSE event or JSON line reaches the client as it is written.
 * Hono's loop pipes the body with `stream.pipeline`, which waits for `drain`.
 *
 * @example
 * export const handler = streamHandle(createMcpApp(server));
 */
export function streamHandle(app: Hono, options: LambdaOptions = {}) {
  if (typeof awslambda === 'undefined') {
    throw new TypeError('streamHandle needs the `awslambda` global of the AWS Lambda Node.js runtime (or aws-lambda-ric); use handle() elsewhere.');
  }
  const deadlines = new Deadlines(app, options);
  // Hono's streamHandle is itself a streamified handler; wrapping it lets the timer end with the stream.
  const handler = streamHandleWithHono(deadlines.app) as unknown as StreamingHandler;
  return awslambda.streamifyResponse(async (event: LambdaEvent, responseStream: unknown, context: LambdaContext) => {
    try {
      await handler(event, responseStream, context);
    } finally {
      deadlines.settle(context);
    }
  });
}

type StreamingHandler = (event: LambdaEvent, responseStream: unknown, context: LambdaContext) => Promise<void>;

/** Aborts each invocation's request `deadlineMarginMs` before Lambda's deadline, until the invocation settles. */
class Deadlines {
  readonly app: Hono;
  #running = new WeakMap<LambdaContext, { timer: ReturnType<typeof setTimeout>; request: Request }>();

  constructor(app: Hono, { deadlineMarginMs = 1_000 }: LambdaOptions) {
    const fetch = (request: Request, env: LambdaBindings) => {
      const context = env.lambdaContext ?? env.context;
      if (!context) return app.fetch(request, env);
      const controller = new AbortController();
      const deadlined = new Request(request, { signal: controller.signal });
      // A timeout reason makes the handler answer "Request timed out" rather than "cancelled".
      const abort = () => controller.abort(new DOMException('The Lambda invocation is about to reach its deadline.', 'TimeoutError'));
      const timer = setTimeout(abort, Math.max(0, context.getRemainingTimeInMillis() - deadlineMarginMs));
      // Held until the invocation settles: the Request follows `controller` through a weak
      // reference only, and a collected Request would never pass the abort on.
      this.#running.set(context, { timer, request: deadlined });
      // The handler bounds the call by this deadline itself (the `mcpDeadline` binding).
      return app.fetch(deadlined, { ...env, mcpDeadline: Date.now() + context.getRemainingTimeInMillis() - deadlineMarginMs });
    };
    // Hono's adapters call nothing on the app but `fetch`.
    this.app = { fetch } as unknown as Hono;
  }

  settle(context: LambdaContext): void {
    const running = this.#running.get(context);
    if (running) clearTimeout(running.timer);
    this.#running.delete(context);
  }
}
