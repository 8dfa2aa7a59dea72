// Options of the HTTP layer, owned here so entries and the auth layer can fit them.
import type { Principal } from '../server/outbox.ts';

export interface McpHttpOptions {
  /** Path of the MCP endpoint. Default "/mcp". */
  path?: string;
  /**
   * Host header values this endpoint answers (DNS-rebinding protection). The Node, Bun and Deno
   * entries set the loopback names when they bind to loopback. Unset: any host.
   */
  allowedHosts?: readonly string[];
  /** Extra browser origins allowed to call. Same-origin, and loopback origins calling a loopback host, always are. */
  allowedOrigins?: readonly string[];
  /** Largest request body, in bytes. Default 4 MiB; larger bodies get 413. */
  maxBodyBytes?: number;
  /** Time limit for one request, in ms (match your platform's). A listen stream then ends gracefully. */
  timeoutMs?: number;
  /** Interval of SSE keep-alive comments on open streams, in ms. Default 15000; 0 disables. */
  keepAliveMs?: number;
  /** Verifies the caller. Return a Principal, or a Response (e.g. 401) to send instead. */
  authenticate?: (request: Request) => Principal | Response | undefined | Promise<Principal | Response | undefined>;
}
