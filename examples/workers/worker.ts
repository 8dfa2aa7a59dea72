// A Cloudflare Worker serving MCP, with work that must finish after the response. Once a Worker
// has sent its response, the runtime may cancel whatever is still pending: hand such work to
// `waitUntil`. Hono exposes the Worker's ExecutionContext as `c.executionCtx` to any middleware
// mounted before the MCP routes.
import { Hono } from 'hono';
import type { ExecutionContext } from 'hono';
import { createDemoServer } from '../../src/demo/server.ts';
import { mcpRoutes } from '../../src/http/index.ts';

interface Env {
  /** Comma-separated Host header values to answer, e.g. "mcp.example.com". */
  ALLOWED_HOSTS?: string;
}

/** Calls reported after their response; GET /reports shows the count (what the test reads). */
let reported = 0;

async function report(method: string | undefined): Promise<void> {
  // Stands for a write to an analytics or logging service, made after the client has its answer.
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (method) reported++;
}

function createApp(env: Env): Hono<{ Bindings: Env }> {
  const app = new Hono<{ Bindings: Env }>();
  app.use('/mcp', async (c, next) => {
    await next();
    c.executionCtx.waitUntil(report(c.req.header('mcp-method')));
  });
  app.get('/reports', (c) => c.json({ reported }));
  app.route('/mcp', mcpRoutes(createDemoServer(), { allowedHosts: env.ALLOWED_HOSTS?.split(',') }));
  return app;
}

// Built on the first request: bindings arrive with it, and Workers forbid randomness at global scope.
let app: Hono<{ Bindings: Env }> | undefined;

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    app ??= createApp(env);
    return app.fetch(request, env, ctx);
  },
};
