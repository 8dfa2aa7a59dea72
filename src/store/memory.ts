// In-process Store and Bus: the defaults for one instance, and the reference the contract tests pin.
import type { Bus, ServerEvent, Store } from './store.ts';

export class MemoryStore implements Store {
  readonly #claims = new Map<string, number>();
  readonly #now: () => number;
  #nextSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async claim(key: string, expiresAt: number): Promise<boolean> {
    const now = this.#now();
    this.#sweep(now);
    const held = this.#claims.get(key);
    if (held !== undefined && held > now) return false;
    this.#claims.set(key, expiresAt);
    return true;
  }

  // Amortised expiry: a sweep at most once a second keeps claim O(1) while bounding memory.
  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 1000;
    for (const [key, expiresAt] of this.#claims) if (expiresAt <= now) this.#claims.delete(key);
  }
}

export class MemoryBus implements Bus {
  readonly #listeners = new Set<(event: ServerEvent) => void>();

  async publish(event: ServerEvent): Promise<void> {
    for (const listener of [...this.#listeners]) listener(event);
  }

  subscribe(listener: (event: ServerEvent) => void): () => void {
    // Wrap so the same function may subscribe twice and unsubscribe independently.
    const entry = (event: ServerEvent) => listener(event);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }
}
