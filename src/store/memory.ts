// In-process Store and Bus: the defaults for one instance, and the reference the contract tests pin.
import type { Bus, Hit, ServerEvent, Store } from './store.ts';
import { requireTtlMs } from './ttl.ts';

export class MemoryStore implements Store {
  readonly #claims = new Map<string, number>();
  readonly #values = new Map<string, { value: string; expiresAt: number }>();
  readonly #counters = new Map<string, Hit>();
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

  async get(key: string): Promise<string | undefined> {
    return this.#read(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = requireTtlMs(ttlMs);
    const now = this.#now();
    this.#sweep(now);
    this.#values.set(key, { value, expiresAt: now + ttl });
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  async compareAndSet(key: string, expected: string | undefined, value: string, ttlMs: number): Promise<boolean> {
    const ttl = requireTtlMs(ttlMs);
    // Read and write with no await in between: nothing else in this process can run there.
    if (this.#read(key) !== expected) return false;
    const now = this.#now();
    this.#sweep(now);
    this.#values.set(key, { value, expiresAt: now + ttl });
    return true;
  }

  #read(key: string): string | undefined {
    const entry = this.#values.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#now()) return entry.value;
    this.#values.delete(key);
    return undefined;
  }

  async hit(key: string, windowMs: number): Promise<Hit> {
    const window = requireTtlMs(windowMs, 'windowMs');
    const now = this.#now();
    this.#sweep(now);
    const counter = this.#counters.get(key);
    if (counter !== undefined && counter.resetAt > now) {
      counter.count++;
      return { ...counter };
    }
    this.#counters.set(key, { count: 1, resetAt: now + window });
    return { count: 1, resetAt: now + window };
  }

  // Amortised expiry: a sweep at most once a second keeps each call O(1) while bounding memory.
  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 1000;
    for (const [key, expiresAt] of this.#claims) if (expiresAt <= now) this.#claims.delete(key);
    for (const [key, entry] of this.#values) if (entry.expiresAt <= now) this.#values.delete(key);
    for (const [key, counter] of this.#counters) if (counter.resetAt <= now) this.#counters.delete(key);
  }
}

export class MemoryBus implements Bus {
  readonly #listeners = new Set<(event: ServerEvent) => void>();
  readonly #channels = new Map<string, Set<(message: string) => void>>();

  async publish(event: ServerEvent): Promise<void> {
    for (const listener of [...this.#listeners]) listener(event);
  }

  subscribe(listener: (event: ServerEvent) => void): () => void {
    // Wrap so the same function may subscribe twice and unsubscribe independently.
    const entry = (event: ServerEvent) => listener(event);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  async publishTo(channel: string, message: string): Promise<boolean> {
    const listeners = this.#channels.get(channel);
    if (!listeners || listeners.size === 0) return false;
    for (const listener of [...listeners]) listener(message);
    return true;
  }

  async subscribeTo(channel: string, listener: (message: string) => void): Promise<() => void> {
    const entry = (message: string) => listener(message);
    let listeners = this.#channels.get(channel);
    if (!listeners) this.#channels.set(channel, (listeners = new Set()));
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
      // Rendezvous channels are one per request id: drop empty sets so they do not pile up.
      if (listeners.size === 0 && this.#channels.get(channel) === listeners) this.#channels.delete(channel);
    };
  }
}
