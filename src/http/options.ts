// Options of the HTTP layer, owned here so entries and the auth layer can fit them.
import type { Hono } from 'hono/tiny';
import type { Principal } from '../protocol/principal.ts';
import type { RateLimits } from './rate-limit.ts';
import type { McpServer } from '../server/server.ts';
import type { Platform } from './request-context.ts';
import type { RequestLogger } from './request-log.ts';

export interface McpHttpOptions {
  /** Path of the MCP endpoint for `createMcpApp`. Default "/mcp". `mcp()` and `mcpRoutes()` serve where you mount them. */
  path?: string;
  /**
   * Host names this endpoint answers (DNS-rebinding protection): `mcp.example.com` allows it on any
   * port, `mcp.example.com:8443` on that port only. Unset: any host (the Node, Bun and Deno
   * adapters still answer only loopback names when they listen on loopback).
   */
  allowedHosts?: readonly string[];
  /** Extra browser origins allowed to call. Same-origin, and loopback origins calling a loopback host, always are. */
  allowedOrigins?: readonly string[];
  /** Largest request body, in bytes. Default 4 MiB; larger bodies get 413. */
  maxBodyBytes?: number;
  /**
   * Most messages one JSON-RPC batch may hold (batches exist only for 2025-03-26 clients). Default
   * 16, so one POST costs at most what 16 POSTs would; a longer batch gets 400 -32600 unread.
   */
  maxBatchLength?: number;
  /** Time limit for one request, in ms (match your platform's). A listen stream then ends gracefully. */
  timeoutMs?: number;
  /** Interval of SSE keep-alive comments on open streams, in ms. Default 15000; 0 disables. */
  keepAliveMs?: number;
  /**
   * Most bytes one SSE or JSON Lines response may hold unread by a slow client. Default 1 MiB.
   * Handlers that emit with `ctx.partial` (or yield) wait while min(64 KiB, half of this) is
   * unread; a stream whose other messages (progress, logs, listen events) pile up past it ends
   * with an error saying the client read too slowly, and its call is cancelled.
   */
  maxBufferedBytes?: number;
  /**
   * Verifies every request (e.g. `createBearerAuth` from `stateless-mcp/auth`, or your own), as
   * middleware that puts the caller on the Hono context (`c.var.principal`). `createMcpApp` also
   * serves the gate's RFC 9728 metadata; beside `mcpRoutes()`, mount `protectedResourceMetadata()`.
   */
  auth?: HttpAuth;
  /**
   * One line per POST on the console (`mcp 2026-07-28 tools/call echo 200 json 1.4ms`), or each
   * entry to your function (e.g. `(entry) => logger.info(entry)`); `false` for none. Default true.
   */
  log?: boolean | RequestLogger;
  /**
   * `rateLimit({ windowMs, max, perTool?, key? })`: limits per caller (the principal's subject, else
   * the client address) counted in the server's Store, so every instance sharing it enforces one
   * limit. Past it, 429 with Retry-After. Default: no limit.
   */
  rateLimit?: RateLimits;
  /**
   * For `createMcpApp`: the tools as plain HTTP routes beside the endpoint, with an OpenAPI
   * document: `rest()` from `stateless-mcp` (`POST /tools/<name>`, `GET /openapi.json`). Off by default.
   */
  rest?: RestFace;
}

/** What a face mounted beside the MCP endpoint (such as `rest()`) builds on. */
export interface McpEndpoint {
  server: McpServer;
  /** The endpoint's path, e.g. "/mcp". */
  path: string;
  options: McpHttpOptions;
  /** The endpoint's POST handler: every check and gate of the MCP route, without its request log. */
  handle(request: Request, platform?: Platform): Promise<Response>;
  /** The route's request logger, when it keeps a log. */
  log: RequestLogger | undefined;
}

/** Routes served beside the MCP endpoint, made from it: what `rest()` returns. */
export type RestFace = (endpoint: McpEndpoint) => Hono;

/** An authentication gate: what the endpoint asks of `createBearerAuth` or of a custom verifier. */
export interface HttpAuth {
  /** The caller, or the Response (401, 403, 503) to send instead. */
  authenticate(request: Request): Principal | Response | Promise<Principal | Response>;
  /** The 403 for a caller whose token lacks scopes an operation needs. Default: a plain 403. */
  insufficientScope?(request: Request, scopes: readonly string[]): Response;
  /** Paths of documents to serve beside the endpoint (RFC 9728 protected resource metadata). */
  metadataPaths?(mcpPath: string): string[];
  metadata?(request: Request, mcpPath: string): Response;
}
