import { MemoryBus, MemoryStore } from './memory.ts';
import { runBusContract, runStoreContract } from './store.contract.ts';

runStoreContract('MemoryStore', () => new MemoryStore());
runBusContract('MemoryBus', () => new MemoryBus());
