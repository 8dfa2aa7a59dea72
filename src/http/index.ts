// `stateless-mcp/hono`: the endpoint as Hono routes, and the plain fetch handler under them.
export { createMcpApp, mcpRoutes } from './app.ts';
export { loopbackHosts } from './checks.ts';
export { createPostHandler } from './handler.ts';
export { healthRoutes } from './health.ts';
export type { HealthOptions } from './health.ts';
export type { HttpAuth, McpEndpoint, McpHttpOptions, RestFace } from './options.ts';
export { RATE_LIMITED_CODE, RateLimiter, defaultRateLimitKey, rateLimit } from './rate-limit.ts';
export type { RateLimit, RateLimitExceeded, RateLimitOptions, RateLimits } from './rate-limit.ts';
export { formatRequestLog } from './request-log.ts';
export type { RequestLogEntry, RequestLogger } from './request-log.ts';
