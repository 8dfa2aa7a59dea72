// String and number keywords, each group compiled to one closure that is a no-op unless the
// instance has the matching JSON type.
import {
  FORMATS,
  child,
  codePointLength,
  compileRegExp,
  countKeyword,
  guard,
  isMultipleOf,
  numberKeyword,
  plural,
  report,
} from './json-schema-support.ts';
import type { Check, Compiler } from './json-schema-support.ts';

type Schema = Record<string, unknown>;

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
