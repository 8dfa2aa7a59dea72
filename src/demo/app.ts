// The deployable demo app: the demo server behind the Hono MCP route. Every entry serves this.
import { createMcpApp } from '../http/index.ts';
import type { McpHttpOptions } from '../http/index.ts';
import { createDemoServer } from './server.ts';

export function createDemoApp(options: McpHttpOptions = {}) {
  return createMcpApp(createDemoServer(), options);
}
