// Serves a fetch-shaped app with Deno.serve on 127.0.0.1:$PORT.
import { ready } from './shared.ts';

// The little of the Deno namespace used here, so the bench type-checks without Deno's types.
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(options: { hostname: string; port: number; onListen(address: { port: number }): void }, handler: (request: Request) => Response | Promise<Response>): unknown;
};

export function serveDeno(app: { fetch: (request: Request) => Response | Promise<Response> }): void {
  const port = Number(Deno.env.get('PORT') ?? 3000);
  Deno.serve({ hostname: '127.0.0.1', port, onListen: () => ready(port) }, (request) => app.fetch(request));
}
