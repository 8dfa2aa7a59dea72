// The one TTL rule every Store implementation applies, so they all refuse the same inputs.

/** Whole milliseconds for a `set` TTL; a TypeError for zero, negative, NaN or infinite values. */
export function requireTtlMs(ttlMs: number): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new TypeError(`ttlMs must be a positive, finite number of milliseconds; got ${String(ttlMs)}.`);
  }
  return Math.ceil(ttlMs);
}
