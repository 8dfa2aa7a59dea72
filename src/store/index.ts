// Public face of the store layer.
export { MemoryBus, MemoryStore } from './memory.ts';
export { StoreUnavailableError } from './store.ts';
export type { Bus, Hit, ServerEvent, Store } from './store.ts';
