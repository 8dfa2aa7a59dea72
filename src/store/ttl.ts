// The one TTL rule every Store implementation applies, so they all refuse the same inputs.

/**
 * Whole milliseconds for a `set` TTL or a `hit` window (`name` says which in the message); a
 * TypeError for zero, negative, NaN or infinite values.
 */
export function requireTtlMs(ttlMs: number, name = 'ttlMs'): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new TypeError(`${name} must be a positive, finite number of milliseconds; got ${String(ttlMs)}.`);
  }
  return Math.ceil(ttlMs);
}
