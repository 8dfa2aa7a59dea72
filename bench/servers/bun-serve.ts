// Serves a fetch-shaped app with Bun.serve on 127.0.0.1:$PORT.
import { portFromEnv, ready } from './shared.ts';

// The little of Bun's global used here, so the bench type-checks without Bun's types.
declare const Bun: { serve(options: { hostname: string; port: number; fetch: (request: Request) => Response | Promise<Response> }): unknown };

export function serveBun(app: { fetch: (request: Request) => Response | Promise<Response> }): void {
  const port = portFromEnv();
  // Bun.serve binds before it returns.
  Bun.serve({ hostname: '127.0.0.1', port, fetch: (request) => app.fetch(request) });
  ready(port);
}
