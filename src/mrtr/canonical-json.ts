// Deterministic JSON text for hashing: equal JSON values give equal strings whatever their key order.
// Leaf module with no imports, so any layer can digest request arguments the same way.

/**
 * Serialises `value` like `JSON.stringify` but with object keys sorted by UTF-16 code units and no
 * whitespace. Key order and number/string formatting follow RFC 8785 (JCS), so a digest computed
 * here can be reproduced by another implementation. `toJSON`, omitted `undefined`/function/symbol
 * members and non-finite numbers behave as in `JSON.stringify`.
 *
 * @throws TypeError for a BigInt, a cycle, or a top-level value JSON cannot represent (`undefined`,
 *   a function or a symbol): a digest over such input would not identify anything.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, new Set());
  if (text === undefined) throw new TypeError('canonicalJson: value has no JSON representation');
  return text;
}

function write(value: unknown, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // JSON has no NaN/Infinity; JSON.stringify writes null, and so must we to stay interchangeable.
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt has no JSON representation');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';

  const object = value as { toJSON?: unknown };
  if (typeof object.toJSON === 'function') return write((object.toJSON as () => unknown)(), ancestors);

  if (ancestors.has(object)) throw new TypeError('canonicalJson: value contains a cycle');
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      const items: string[] = new Array<string>(object.length);
      for (let i = 0; i < object.length; i++) items[i] = write(object[i], ancestors) ?? 'null';
      return `[${items.join(',')}]`;
    }
    // Default sort compares UTF-16 code units, which is exactly the JCS key order.
    const keys = Object.keys(object).sort();
    const members: string[] = [];
    for (const key of keys) {
      const member = write((object as Record<string, unknown>)[key], ancestors);
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(object);
  }
}
