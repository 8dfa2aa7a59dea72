import { MemoryBus, MemoryStore } from './memory.ts';
import { runBusContract } from './bus.contract.ts';
import { runStoreContract } from './store.contract.ts';

// One store and one bus stand for the shared backend: "another instance" is the same object here.
const store = new MemoryStore();
const bus = new MemoryBus();
runStoreContract('MemoryStore', () => store);
runBusContract('MemoryBus', () => bus);
