// `stateless-mcp/durable`: Store and Bus on Cloudflare Durable Objects, for Workers. Export
// McpCoordinator from the Worker's main module and bind it in wrangler.toml (see the README).
export { DurableBus } from './bus.ts';
export { DurableUnavailableError } from './client.ts';
export type { DurableOptions } from './client.ts';
export { McpCoordinator } from './coordinator.ts';
export { DurableStore } from './store.ts';
export type { DurableObjectNamespace, DurableObjectState } from './types.ts';
