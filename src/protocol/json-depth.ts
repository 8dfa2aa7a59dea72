// How deep client JSON may nest. Leaf module: imports nothing.

/**
 * Most levels of nesting the server reads in a message's `params` (or a response's `result` and
 * `error`), the value itself being level 1. Far beyond any real tool argument, and far below what
 * the recursive walks over the value (validation, canonical JSON for `requestState` and
 * idempotency digests, `JSON.stringify`) need in stack: JSON.parse itself does not recurse, so
 * without this bound a 4 MiB body could nest 2 million levels and overflow any of them.
 */
export const MAX_JSON_DEPTH = 128;

/** Whether `value` nests more than `limit` objects or arrays deep. Iterative: it cannot overflow the stack itself. */
export function nestsDeeperThan(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
