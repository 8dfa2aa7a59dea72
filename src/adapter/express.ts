// Express entry: the MCP app as an Express request handler, for apps that already run Express.
// @hono/node-server's request listener converts req/res (streaming, drain, disconnect → abort).
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

/** The little of Express's `req` used here; the core type-check has no Node or Express types. */
interface ExpressRequest {
  url?: string;
  originalUrl?: string;
  body?: unknown;
  rawBody?: unknown;
  readableEnded?: boolean;
}

// Node's Buffer, reached without Node types: @hono/node-server reads a consumed body from `rawBody` only as a Buffer.
const NodeBuffer = (globalThis as unknown as { Buffer: { from(text: string): Uint8Array } }).Buffer;

/**
 * An Express handler serving the MCP app: `expressApp.all('/mcp', handle(mcpApp))`, or
 * `expressApp.use('/mcp', handle(mcpApp))`. Body parsers may run before it.
 *
 * @example
 * const app = express();
 * app.use(express.json());
 * app.all('/mcp', handle(createMcpApp(server)));
 */
export function handle(app: Hono) {
  const listener = getRequestListener(app.fetch);
  return (req: ExpressRequest, res: unknown): Promise<void> => {
    // `app.use('/mcp', …)` strips the mount path from req.url; the MCP app routes on the full path.
    if (req.originalUrl !== undefined) req.url = req.originalUrl;
    // A body parser that ran first consumed the stream: hand over what it kept. express.json()
    // kept only the parsed value, and JSON-RPC means the same values once re-encoded.
    if (req.readableEnded && req.body !== undefined && req.rawBody === undefined) {
      req.rawBody = req.body instanceof Uint8Array ? req.body : NodeBuffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    }
    return listener(req as never, res as never);
  };
}
