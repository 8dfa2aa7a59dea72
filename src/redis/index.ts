// `stateless-mcp/redis`: Store and Bus on Redis (ioredis), for several instances behind one load
// balancer. Needs a runtime with TCP sockets (Node, Bun, Deno); imports no `node:` module itself.
export { RedisBus } from './bus.ts';
export { RedisUnavailableError } from './connection.ts';
export type { RedisConnectionOptions } from './connection.ts';
export { RedisStore } from './store.ts';
