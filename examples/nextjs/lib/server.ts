// The MCP server both routes serve, built once per server process (or edge isolate). The demo
// server by default; MCP_FIXTURE=conformance serves the fixture the official conformance suite
// calls, which is how test/runtimes/next.test.ts runs the suite against this very app.
import { createDemoServer } from '../../../src/demo/server.ts';
import type { McpServer } from '../../../src/index.ts';
import { createConformanceServer } from '../../../test/fixtures/conformance-server.ts';

export const server: McpServer = process.env.MCP_FIXTURE === 'conformance' ? createConformanceServer() : createDemoServer();

/** `ALLOWED_HOSTS="mcp.example.com,…"`: the Host values to answer (DNS-rebinding protection). Unset: any. */
export const allowedHosts = process.env.ALLOWED_HOSTS?.split(',').map((host) => host.trim()).filter(Boolean);
