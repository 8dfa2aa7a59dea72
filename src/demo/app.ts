// The deployable demo app: the demo server behind the Hono MCP route, with /healthz and /readyz.
// Every entry serves this.
import { createMcpApp, healthRoutes } from '../http/index.ts';
import type { McpHttpOptions } from '../http/index.ts';
import { parseRequestStateKeys } from '../mrtr/request-state.ts';
import { rest } from '../rest/index.ts';
import { createDemoServer } from './server.ts';

export interface DemoOptions extends McpHttpOptions {
  /**
   * `REQUEST_STATE_KEYS` ("id:secret,…", first seals): instances that share them can finish each
   * other's MRTR rounds. Unset, each process or isolate seals with a key of its own.
   */
  requestStateKeys?: string;
  /** Items per page of tools/list, prompts/list, …; default 100 (the server's). */
  pageSize?: number;
}

export function createDemoApp({ requestStateKeys, pageSize, ...options }: DemoOptions = {}) {
  const keys = requestStateKeys ? parseRequestStateKeys(requestStateKeys) : undefined;
  const server = createDemoServer({ requestState: keys ? { keys } : undefined, pageSize });
  // The tools as plain HTTP too (POST /tools/<name>, GET /openapi.json), and health checks, beside /mcp.
  return createMcpApp(server, { rest: rest(), ...options }).route('/', healthRoutes(server));
}
