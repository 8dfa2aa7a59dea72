// Workers entry: the demo app as the module's fetch handler (`wrangler deploy`). A Worker answers
// on public hostnames, so no Host allow-list unless the ALLOWED_HOSTS binding sets one.
import type { ExecutionContext, Hono } from 'hono';
import { createDemoApp } from '../demo/app.ts';

interface Env {
  /** Comma-separated Host header values to answer, e.g. "mcp.example.com". */
  ALLOWED_HOSTS?: string;
  /** Comma-separated extra browser origins allowed to call. */
  ALLOWED_ORIGINS?: string;
  /** "id:secret,…" (a secret): isolates sharing it can finish each other's MRTR rounds. */
  REQUEST_STATE_KEYS?: string;
}

const list = (value: string | undefined) => value?.split(',').map((item) => item.trim()).filter(Boolean);

// Built on the first request, not at module scope: bindings only arrive with a request, and
// Workers forbid randomness at global scope.
let app: Hono | undefined;

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    app ??= createDemoApp({ allowedHosts: list(env.ALLOWED_HOSTS), allowedOrigins: list(env.ALLOWED_ORIGINS), requestStateKeys: env.REQUEST_STATE_KEYS });
    return app.fetch(request, env, ctx);
  },
};
