// Array keywords (prefixItems/items, contains, length, uniqueItems; draft-07 array-form items),
// compiled to one closure that is a no-op unless the instance is an array.
import {
  child,
  countKeyword,
  deepEqual,
  firstIssue,
  guard,
  isFull,
  noop,
  plural,
  report,
} from './json-schema-support.ts';
import type { Check, Compiler } from './json-schema-support.ts';

type Schema = Record<string, unknown>;

function schemaList(c: Compiler, s: Schema, key: string, ptr: string): Check[] | undefined {
  const list = s[key];
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) c.fail(child(ptr, key), `"${key}" must be an array of schemas`);
  return list.map((item, i) => c.sub(item, child(ptr, key, i)));
}

/** Items past the positional ones: `false` becomes a length cap with a clearer message than "not allowed". */
function restItems(c: Compiler, schema: unknown, ptr: string, positional: number): Check | undefined {
  if (schema === undefined || schema === true) return undefined;
  if (schema === false) {
    return (v, ctx) => {
      if ((v as unknown[]).length > positional) report(ctx, `must have at most ${plural(positional, 'item')}`);
    };
  }
  const check = c.sub(schema, ptr);
  if (check === noop) return undefined;
  return (v, ctx) => {
    const a = v as unknown[];
    for (let i = positional; i < a.length; i++) {
      ctx.path.push(i);
      check(a[i], ctx);
      ctx.path.pop();
      if (isFull(ctx)) return;
    }
  };
}

export function compileArray(c: Compiler, s: Schema, ptr: string): Check | undefined {
  const checks: Check[] = [];
  // Draft-07's array-form "items" is 2020-12's "prefixItems", with "additionalItems" for the rest.
  const legacy = Array.isArray(s.items);
  const prefix = legacy ? schemaList(c, s, 'items', ptr) : schemaList(c, s, 'prefixItems', ptr);
  if (prefix && prefix.length > 0) {
    checks.push((v, ctx) => {
      const a = v as unknown[];
      const n = Math.min(a.length, prefix.length);
      for (let i = 0; i < n; i++) {
        ctx.path.push(i);
        (prefix[i] as Check)(a[i], ctx);
        ctx.path.pop();
        if (isFull(ctx)) return;
      }
    });
  }
  const restKey = legacy ? 'additionalItems' : 'items';
  const rest = restItems(c, s[restKey], child(ptr, restKey), prefix?.length ?? 0);
  if (rest) checks.push(rest);

  const min = countKeyword(c, s, 'minItems', ptr);
  if (min) {
    checks.push((v, ctx) => {
      if ((v as unknown[]).length < min) report(ctx, `must have at least ${plural(min, 'item')}`);
    });
  }
  const max = countKeyword(c, s, 'maxItems', ptr);
  if (max !== undefined) {
    checks.push((v, ctx) => {
      if ((v as unknown[]).length > max) report(ctx, `must have at most ${plural(max, 'item')}`);
    });
  }
  if (s.uniqueItems === true) checks.push(uniqueItems);

  if (s.contains !== undefined) {
    const contains = c.sub(s.contains, child(ptr, 'contains'));
    const least = countKeyword(c, s, 'minContains', ptr) ?? 1;
    const most = countKeyword(c, s, 'maxContains', ptr);
    checks.push((v, ctx) => {
      const a = v as unknown[];
      let matches = 0;
      for (let i = 0; i < a.length; i++) {
        ctx.path.push(i);
        if (!firstIssue(contains, a[i], ctx)) matches++;
        ctx.path.pop();
      }
      if (matches < least) report(ctx, `must contain at least ${plural(least, 'item')} matching "contains"`);
      if (most !== undefined && matches > most) {
        report(ctx, `must contain at most ${plural(most, 'item')} matching "contains", found ${matches}`);
      }
    });
  }
  return guard(Array.isArray, checks);
}

// Primitives go through a Map (O(n)); only object/array items pay for pairwise deep equality.
const uniqueItems: Check = (v, ctx) => {
  const a = v as unknown[];
  const seen = new Map<unknown, number>();
  const composite: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const item = a[i];
    if (typeof item === 'object' && item !== null) {
      for (const j of composite) {
        if (deepEqual(a[j], item)) return report(ctx, `must NOT have duplicate items (items ${j} and ${i} are equal)`);
      }
      composite.push(i);
    } else {
      const j = seen.get(item);
      if (j !== undefined) return report(ctx, `must NOT have duplicate items (items ${j} and ${i} are equal)`);
      seen.set(item, i);
    }
  }
};
