// Shared plumbing for the JSON Schema compiler: the check/context shapes, issue reporting, the
// readers of keyword values that keyword modules share, JSON value helpers (equality, type names,
// message quoting), the JSON types and the few formats we assert.

export type PathSegment = string | number;

export interface SchemaIssue {
  path: PathSegment[];
  message: string;
}

/**
 * Per-call state. `path` is one mutable stack shared by the whole walk (push/pop around
 * children) so the valid case allocates nothing; it is copied only when an issue is recorded.
 */
export interface Ctx {
  readonly path: PathSegment[];
  readonly issues: SchemaIssue[];
  readonly limit: number;
}

export type Check = (value: unknown, ctx: Ctx) => void;

export interface Compiler {
  /** Compile a subschema found at JSON pointer `ptr` (relative to the root). */
  sub(schema: unknown, ptr: string): Check;
  /** Abort registration with a message naming the schema location and the fix. */
  fail(ptr: string, problem: string): never;
}

export function report(ctx: Ctx, message: string): void {
  if (ctx.issues.length < ctx.limit) ctx.issues.push({ path: ctx.path.slice(), message });
}

export function isFull(ctx: Ctx): boolean {
  return ctx.issues.length >= ctx.limit;
}

/** Runs a check for its verdict only; stops at the first issue. */
export function firstIssue(check: Check, value: unknown, ctx: Ctx): SchemaIssue | undefined {
  const probe: Ctx = { path: ctx.path, issues: [], limit: 1 };
  check(value, probe);
  return probe.issues[0];
}

export const noop: Check = () => {};

/** Folds a list of checks into one, so a schema with a single keyword costs a single call. */
export function sequence(checks: Check[]): Check | undefined {
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (value, ctx) => {
    for (const check of checks) {
      check(value, ctx);
      if (isFull(ctx)) return;
    }
  };
}

export function numberKeyword(c: Compiler, s: Record<string, unknown>, key: string, ptr: string): number | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    c.fail(child(ptr, key), `"${key}" must be a number, got ${quote(v)}`);
  }
  return v;
}

export function countKeyword(c: Compiler, s: Record<string, unknown>, key: string, ptr: string): number | undefined {
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

/** A keyword group that applies only to one JSON type: a no-op for instances of any other. */
export function guard(test: (v: unknown) => boolean, checks: Check[]): Check | undefined {
  const inner = sequence(checks);
  if (!inner) return undefined;
  return (value, ctx) => {
    if (test(value)) inner(value, ctx);
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own, defined property: JSON input never has `undefined`, and JS callers mean "absent" by it. */
export function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(obj, key) && obj[key] !== undefined;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) {
    if (!Object.hasOwn(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** JSON text of a value for messages, cut short so one huge enum cannot flood the model's context. */
export function quote(value: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // A BigInt or a cycle, which only schemas written in code hold (parsed JSON has neither): String() still names it.
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

// Code points, not UTF-16 units, as the spec requires: an emoji counts as one character.
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// Binary floats make 0.07 / 0.01 = 7.000000000000001; a few ULPs of slack accepts what the
// author meant without admitting genuine non-multiples.
export function isMultipleOf(value: number, divisor: number): boolean {
  const q = value / divisor;
  if (!Number.isFinite(q)) return false;
  return Math.abs(q - Math.round(q)) <= Number.EPSILON * Math.max(1, Math.abs(q)) * 4;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m || !isDate(m[1] ?? '')) return false;
  const [h, min, sec] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (h > 23 || min > 59 || sec > 60) return false;
  return m[5] === undefined || (Number(m[5]) <= 23 && Number(m[6]) <= 59);
}

/**
 * Loose checks for the formats models most often get wrong. Every other format (hostname, ipv4,
 * regex, json-pointer, ...) stays an annotation, as 2020-12 makes it by default.
 */
export const FORMATS: ReadonlyMap<string, (s: string) => boolean> = new Map([
  ['date-time', isDateTime],
  ['date', isDate],
  ['email', (s: string) => EMAIL.test(s)],
  ['uri', (s: string) => URI.test(s)],
  ['uuid', (s: string) => UUID.test(s)],
]);

/** The JSON types "type" names, each with its test. */
export const JSON_TYPES: Readonly<Record<string, (v: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  array: Array.isArray,
  object: isObject,
};

/** Builds one "#/a/b" pointer segment, escaped per RFC 6901. */
export function child(ptr: string, ...segments: (string | number)[]): string {
  let out = ptr;
  for (const s of segments) out += `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`;
  return out;
}
