// Ceiling 2: the same JSON-RPC as one bare Hono route (hono/tiny, the preset stateless-mcp uses),
// so the gap between this and stateless-mcp is what the MCP layer costs on each runtime.
import { Hono } from 'hono/tiny';
import { TOOLS_LIST, answer } from './ceiling-rpc.ts';
import type { RpcMessage } from './ceiling-rpc.ts';

export function createHonoApp(): Hono {
  const app = new Hono();
  app.post('/mcp', async (c) => {
    let message: RpcMessage;
    try {
      message = await c.req.json();
    } catch {
      return c.json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, 400);
    }
    if (message.method === 'tools/list') return c.body(TOOLS_LIST(message.id), 200, { 'content-type': 'application/json' });
    return c.json(answer(message));
  });
  return app;
}
