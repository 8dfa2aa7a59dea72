// Type-specific JSON Schema keywords (string, number, array, object), each compiled to one
// closure that is a no-op unless the instance has the matching JSON type.
import {
  FORMATS,
  child,
  codePointLength,
  deepEqual,
  firstIssue,
  has,
  isFull,
  isMultipleOf,
  isObject,
  noop,
  plural,
  quote,
  report,
  sequence,
} from './json-schema-support.ts';
import type { Check, Compiler } from './json-schema-support.ts';

type Schema = Record<string, unknown>;

function numberKeyword(c: Compiler, s: Schema, key: string, ptr: string): number | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    c.fail(child(ptr, key), `"${key}" must be a number, got ${quote(v)}`);
  }
  return v;
}

function countKeyword(c: Compiler, s: Schema, key: string, ptr: string): number | undefined {
  const v = numberKeyword(c, s, key, ptr);
  if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
    c.fail(child(ptr, key), `"${key}" must be a non-negative integer, got ${v}`);
  }
  return v;
}

export function compileRegExp(c: Compiler, pattern: unknown, ptr: string): RegExp {
  if (typeof pattern !== 'string') c.fail(ptr, `a pattern must be a string, got ${quote(pattern)}`);
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    c.fail(
      ptr,
      `${quote(pattern)} is not a valid regular expression with the "u" flag (${(e as Error).message}). ` +
        'Fix the pattern so that new RegExp(pattern, "u") accepts it: in Unicode mode escape only ' +
        'syntax characters (e.g. write "-" rather than "\\-" outside a character class) and put "-" ' +
        'last inside a class ("[\\w.-]", not "[\\w-.]").',
    );
  }
}

function guard(test: (v: unknown) => boolean, checks: Check[]): Check | undefined {
  const inner = sequence(checks);
  if (!inner) return undefined;
  return (value, ctx) => {
    if (test(value)) inner(value, ctx);
  };
}

export function compileString(c: Compiler, s: Schema, ptr: string): Check | undefined {
  const checks: Check[] = [];
  const min = countKeyword(c, s, 'minLength', ptr);
  if (min) {
    // Code points never exceed UTF-16 units nor fall below half of them, so counting is rarely needed.
    checks.push((v, ctx) => {
      const str = v as string;
      if (str.length < min || (str.length < 2 * min && codePointLength(str) < min)) {
        report(ctx, `must have at least ${plural(min, 'character')}`);
      }
    });
  }
  const max = countKeyword(c, s, 'maxLength', ptr);
  if (max !== undefined) {
    checks.push((v, ctx) => {
      const str = v as string;
      if (str.length > max && codePointLength(str) > max) {
        report(ctx, `must have at most ${plural(max, 'character')}`);
      }
    });
  }
  if (s.pattern !== undefined) {
    const re = compileRegExp(c, s.pattern, child(ptr, 'pattern'));
    // Shown raw rather than JSON-quoted: doubled backslashes would mislead the model fixing its input.
    const raw = s.pattern as string;
    const message = `must match pattern "${raw.length > 200 ? `${raw.slice(0, 199)}…` : raw}"`;
    checks.push((v, ctx) => {
      if (!re.test(v as string)) report(ctx, message);
    });
  }
  const format = typeof s.format === 'string' ? FORMATS.get(s.format) : undefined;
  if (format) {
    const message = `must be a valid ${s.format as string}`;
    checks.push((v, ctx) => {
      if (!format(v as string)) report(ctx, message);
    });
  }
  return guard((v) => typeof v === 'string', checks);
}

export function compileNumber(c: Compiler, s: Schema, ptr: string): Check | undefined {
  const checks: Check[] = [];
  const bound = (value: number | undefined, exclusive: boolean, lower: boolean): void => {
    if (value === undefined) return;
    const op = `${lower ? '>' : '<'}${exclusive ? '' : '='}`;
    const message = `must be ${op} ${value}`;
    const ok = lower
      ? exclusive ? (v: number) => v > value : (v: number) => v >= value
      : exclusive ? (v: number) => v < value : (v: number) => v <= value;
    checks.push((v, ctx) => {
      if (!ok(v as number)) report(ctx, message);
    });
  };
  // Draft-04 spelled exclusivity as a boolean modifier of minimum/maximum; 2020-12 as its own bound.
  const exMin = typeof s.exclusiveMinimum === 'boolean' ? s.exclusiveMinimum : undefined;
  const exMax = typeof s.exclusiveMaximum === 'boolean' ? s.exclusiveMaximum : undefined;
  bound(numberKeyword(c, s, 'minimum', ptr), exMin === true, true);
  bound(numberKeyword(c, s, 'maximum', ptr), exMax === true, false);
  if (exMin === undefined) bound(numberKeyword(c, s, 'exclusiveMinimum', ptr), true, true);
  if (exMax === undefined) bound(numberKeyword(c, s, 'exclusiveMaximum', ptr), true, false);
  const divisor = numberKeyword(c, s, 'multipleOf', ptr);
  if (divisor !== undefined) {
    if (divisor <= 0) c.fail(child(ptr, 'multipleOf'), `"multipleOf" must be > 0, got ${divisor}`);
    checks.push((v, ctx) => {
      if (!isMultipleOf(v as number, divisor)) report(ctx, `must be a multiple of ${divisor}`);
    });
  }
  return guard((v) => typeof v === 'number', checks);
}

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

export function compileObject(c: Compiler, s: Schema, ptr: string): Check | undefined {
  const checks: Check[] = [];
  const props = s.properties;
  if (props !== undefined && !isObject(props)) c.fail(child(ptr, 'properties'), '"properties" must be an object');
  const known = new Set(props ? Object.keys(props) : []);
  const propChecks = props
    ? Object.entries(props)
        .map(([k, sub]) => [k, c.sub(sub, child(ptr, 'properties', k))] as const)
        .filter(([, check]) => check !== noop)
    : [];
  if (propChecks.length > 0) {
    checks.push((v, ctx) => {
      const o = v as Record<string, unknown>;
      for (const [key, check] of propChecks) {
        if (!has(o, key)) continue;
        ctx.path.push(key);
        check(o[key], ctx);
        ctx.path.pop();
        if (isFull(ctx)) return;
      }
    });
  }

  const required = s.required;
  if (required !== undefined) {
    if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) {
      c.fail(child(ptr, 'required'), '"required" must be an array of property names');
    }
    if (required.length > 0) checks.push(requireAll(required as string[], ''));
  }

  // Draft-07 "dependencies" mixes both forms; 2020-12 split it into the two keywords below.
  for (const key of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
    const d = s[key];
    if (d === undefined) continue;
    if (!isObject(d)) c.fail(child(ptr, key), `"${key}" must be an object`);
    for (const [trigger, dep] of Object.entries(d)) {
      const depPtr = child(ptr, key, trigger);
      const check = Array.isArray(dep)
        ? requireAll(dep.map(String), ` when property ${quote(trigger)} is present`)
        : c.sub(dep, depPtr);
      checks.push((v, ctx) => {
        if (has(v as Record<string, unknown>, trigger)) check(v, ctx);
      });
    }
  }

  const min = countKeyword(c, s, 'minProperties', ptr);
  const max = countKeyword(c, s, 'maxProperties', ptr);
  if (min || max !== undefined) {
    checks.push((v, ctx) => {
      const n = Object.keys(v as object).length;
      if (min && n < min) report(ctx, `must have at least ${plural(min, 'property', 'properties')}`);
      if (max !== undefined && n > max) report(ctx, `must have at most ${plural(max, 'property', 'properties')}`);
    });
  }

  const keys = compileKeyLoop(c, s, ptr, known);
  if (keys) checks.push(keys);
  return guard(isObject, checks);
}

function requireAll(names: string[], suffix: string): Check {
  return (v, ctx) => {
    const o = v as Record<string, unknown>;
    for (const name of names) if (!has(o, name)) report(ctx, `must have required property ${quote(name)}${suffix}`);
  };
}

/** patternProperties, additionalProperties and propertyNames share one pass over the instance's keys. */
function compileKeyLoop(c: Compiler, s: Schema, ptr: string, known: Set<string>): Check | undefined {
  const pp = s.patternProperties;
  if (pp !== undefined && !isObject(pp)) c.fail(child(ptr, 'patternProperties'), '"patternProperties" must be an object');
  const patterns = Object.entries(pp ?? {}).map(
    ([p, sub]) =>
      [
        compileRegExp(c, p, child(ptr, 'patternProperties', p)),
        c.sub(sub, child(ptr, 'patternProperties', p)),
      ] as const,
  );
  const ap = s.additionalProperties;
  const forbid = ap === false;
  const additional = ap === undefined || forbid ? undefined : c.sub(ap, child(ptr, 'additionalProperties'));
  const extra = additional === noop ? undefined : additional;
  const names = s.propertyNames === undefined ? undefined : c.sub(s.propertyNames, child(ptr, 'propertyNames'));
  const nameCheck = names === noop ? undefined : names;
  if (patterns.length === 0 && !forbid && !extra && !nameCheck) return undefined;

  // Naming the allowed keys lets a model fix a typo ("city_name" vs "city") in one retry.
  const hint =
    patterns.length === 0 && known.size > 0 && known.size <= 12
      ? ` (allowed: ${[...known].map((k) => quote(k)).join(', ')})`
      : '';
  return (v, ctx) => {
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const value = o[key];
      if (value === undefined) continue;
      if (nameCheck) {
        const issue = firstIssue(nameCheck, key, ctx);
        if (issue) report(ctx, `property name ${quote(key)} is invalid: ${issue.message}`);
      }
      let matched = known.has(key);
      for (const [re, check] of patterns) {
        if (!re.test(key)) continue;
        matched = true;
        ctx.path.push(key);
        check(value, ctx);
        ctx.path.pop();
      }
      if (!matched) {
        if (forbid) report(ctx, `must NOT have additional property ${quote(key)}${hint}`);
        else if (extra) {
          ctx.path.push(key);
          extra(value, ctx);
          ctx.path.pop();
        }
      }
      if (isFull(ctx)) return;
    }
  };
}
