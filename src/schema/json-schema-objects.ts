// Object keywords (properties, required, dependencies, size, and one pass over the instance's keys
// for patternProperties, additionalProperties and propertyNames), compiled to one closure that is a
// no-op unless the instance is an object.
import {
  child,
  compileRegExp,
  countKeyword,
  firstIssue,
  guard,
  has,
  isFull,
  isObject,
  noop,
  plural,
  quote,
  report,
} from './json-schema-support.ts';
import type { Check, Compiler } from './json-schema-support.ts';

type Schema = Record<string, unknown>;

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
