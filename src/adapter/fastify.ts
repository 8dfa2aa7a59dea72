// Fastify entry: the MCP app as a Fastify plugin, for apps that already run Fastify.
// @hono/node-server's request listener converts the raw req/res (streaming, drain, disconnect → abort).
// The adapter shape, as for every host that calls us per request: `handle(app, options?)` takes the
// finished app and returns what the host expects (Hono's own idiom, so there is one rule to learn).
import { getRequestListener } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchApp } from './listen.ts';

/** The little of a Fastify instance used here, so the package needs no Fastify types. */
interface FastifyScope {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, parser: (request: unknown, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void): void;
  all(path: string, handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }) => Promise<void>): unknown;
}

/**
 * A Fastify plugin serving the MCP app at `path` (default "/mcp", the app's own): register it with
 * `fastify.register(handle(mcpApp))`. Within the plugin the body is left unread, for the MCP app
 * to read and check; Fastify's parsers still serve every other route.
 *
 * @example
 * await fastify.register(handle(createMcpApp(server)));
 */
export function handle(app: FetchApp, { path = '/mcp' }: { path?: string } = {}) {
  const listener = getRequestListener((request, env) => app.fetch(request, env));
  return async function mcp(fastify: FastifyScope): Promise<void> {
    // Encapsulated: these parsers apply to this plugin's route only.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
    fastify.all(path, (request, reply) => {
      // The listener writes the response (and streams it); Fastify must not send one too.
      reply.hijack();
      return listener(request.raw, reply.raw);
    });
  };
}
