// Public face of the store layer.
export { MemoryBus, MemoryStore } from './memory.ts';
export type { Bus, ServerEvent, Store } from './store.ts';
