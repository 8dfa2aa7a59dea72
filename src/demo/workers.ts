// `npx wrangler dev` / `npx wrangler deploy` (wrangler.toml's `main`): the demo app as the
// Worker's fetch handler. A Worker answers on public hostnames, so no Host allow-list unless the
// ALLOWED_HOSTS variable sets one. Settings are the same variables the other launchers read.
import type { ExecutionContext, Hono } from 'hono';
import { ErrorCode } from '../protocol/jsonrpc.ts';
import { jsonRpcErrorResponse } from '../http/checks.ts';
import { createDemoApp } from './app.ts';
import { SettingError, readSettings } from './settings.ts';

type Env = Record<string, unknown>;

// Built on the first request, not at module scope: bindings only arrive with a request, and
// Workers forbid randomness at global scope.
let app: Hono | undefined;

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (!app) {
      try {
        app = createDemoApp(readSettings((name) => (typeof env[name] === 'string' ? env[name] : undefined)).app);
      } catch (error) {
        if (!(error instanceof SettingError)) throw error;
        // A Worker cannot refuse to start: every request says what the operator must fix.
        console.error(`stateless-mcp: ${error.message}`);
        return jsonRpcErrorResponse(500, ErrorCode.InternalError, `Server misconfigured: ${error.variable} is not usable. The operator must fix it (see the Worker's logs).`);
      }
    }
    return app.fetch(request, env, ctx);
  },
};
