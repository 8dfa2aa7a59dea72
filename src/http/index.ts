// `stateless-mcp/hono`: the endpoint as Hono middleware and routes, and the plain fetch handler under them.
export { createMcpApp, mcp, mcpRoutes, protectedResourceMetadata } from './app.ts';
export type { McpOptions } from './app.ts';
export { mcpAuth, mcpCors, mcpGuard } from './middleware.ts';
export type { McpEnv } from './middleware.ts';
export { loopbackHosts } from './checks.ts';
export { createPostHandler } from './handler.ts';
export { healthRoutes } from './health.ts';
export type { HealthOptions } from './health.ts';
export type { HttpAuth, McpEndpoint, McpHttpOptions, RestFace } from './options.ts';
export { RATE_LIMITED_CODE, RateLimiter, defaultRateLimitKey, rateLimit } from './rate-limit.ts';
export type { RateLimit, RateLimitExceeded, RateLimitOptions, RateLimits } from './rate-limit.ts';
export { formatRequestLog } from './request-log.ts';
export type { RequestLogEntry, RequestLogger } from './request-log.ts';
