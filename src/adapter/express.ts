// Express entry: the MCP app as an Express request handler, for apps that already run Express.
// @hono/node-server's request listener converts req/res (streaming, drain, disconnect → abort).
// The adapter shape, as for every host that calls us per request: `handle(app)` takes the finished
// app and returns what the host expects (Hono's own idiom, so there is one rule to learn).
import { getRequestListener } from '@hono/node-server';
import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchApp } from './listen.ts';

/** Express's `req` as far as used here: Node's request, with what Express and its body parsers add. */
interface ExpressRequest extends IncomingMessage {
  originalUrl?: string;
  body?: unknown;
  /** Where @hono/node-server reads a body already consumed, as a Buffer only. */
  rawBody?: unknown;
}

/**
 * An Express handler serving the MCP app: `expressApp.all('/mcp', handle(mcpApp))`, or
 * `expressApp.use('/mcp', handle(mcpApp))`. Body parsers may run before it.
 *
 * @example
 * const app = express();
 * app.use(express.json());
 * app.all('/mcp', handle(createMcpApp(server)));
 */
export function handle(app: FetchApp) {
  const listener = getRequestListener((request, env) => app.fetch(request, env));
  return (req: ExpressRequest, res: ServerResponse): Promise<void> => {
    // `app.use('/mcp', …)` strips the mount path from req.url; the MCP app routes on the full path.
    if (req.originalUrl !== undefined) req.url = req.originalUrl;
    // A body parser that ran first consumed the stream: hand over what it kept. express.json()
    // kept only the parsed value, and JSON-RPC means the same values once re-encoded.
    if (req.readableEnded && req.body !== undefined && req.rawBody === undefined) {
      req.rawBody = req.body instanceof Uint8Array ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    }
    return listener(req, res);
  };
}
