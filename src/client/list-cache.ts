// In-memory cache for cacheable results (2026-07-28 `server/utilities/caching.mdx`): each list page
// for its own `ttlMs`. `private` results never leave the client that fetched them; `public` ones
// may sit in a cache several clients share. A list_changed notification drops the list.

interface Entry {
  value: unknown;
  expiresAt: number;
}

export class ListCache {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get(key: string): unknown {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** `ttlMs` 0 (the default when a server sends none) means "do not reuse". */
  set(key: string, value: unknown, ttlMs: number): void {
    if (!(ttlMs > 0)) return;
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
  }

  /** Drops every entry whose key starts with `prefix` (a method, or a method and endpoint). */
  invalidate(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
