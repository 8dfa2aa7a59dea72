// Turns the Standard Schema a tool author passed into one CompiledSchema at registration: the
// JSON Schema tools/list advertises, plus a validator the request path calls. It never imports our
// JSON Schema validator: that comes with `jsonSchema()`, so zod or valibot servers do not ship it.
import type { PathSegment, SchemaIssue } from './json-schema-validator.ts';
import { isStandardSchema, rawJsonSchemaOf } from './standard-schema.ts';
import type { StandardPathSegment, StandardResult, StandardSchemaV1 } from './standard-schema.ts';

export type SchemaInput = StandardSchemaV1;

/** Describes a Standard Schema as JSON Schema, for libraries without Standard JSON Schema (e.g. `z.toJSONSchema` for zod/mini). */
export type ToJsonSchema = (schema: StandardSchemaV1) => unknown;

export type ValidationResult = { ok: true; value: unknown } | { ok: false; issues: SchemaIssue[] };

export interface CompiledSchema {
  /** What tools/list advertises. */
  readonly jsonSchema: Record<string, unknown>;
  validate(value: unknown): ValidationResult | Promise<ValidationResult>;
}

// Any of these means the author wrote JSON Schema, even if some value also looks like a zod schema.
const JSON_SCHEMA_KEYWORDS = [
  'type', '$ref', '$schema', '$id', '$defs', 'definitions', 'properties', 'required', 'items',
  'anyOf', 'oneOf', 'allOf', 'not', 'if', 'enum', 'const', 'additionalProperties',
];

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

export function compileSchema(input: SchemaInput, where: string, convert?: ToJsonSchema): CompiledSchema {
  if (isStandardSchema(input)) return compileStandard(input, where, convert);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(
      `${where}: expected a Standard Schema (zod, valibot, arktype, ...) or jsonSchema({ ... }), got ${describe(input)}`,
    );
  }
  if (isRawShape(input)) {
    throw new TypeError(
      `${where}: got an object of schemas ({ key: z.string(), ... }), which is a shape, not a schema. ` +
        'Wrap it, e.g. z.object({ ... }) (or v.object / type({ ... })).',
    );
  }
  throw new TypeError(
    `${where}: a plain JSON Schema object needs wrapping so that its validator ships only with servers that use it: ` +
      "inputSchema: jsonSchema({ type: 'object', ... }), with import { jsonSchema } from 'stateless-mcp'.",
  );
}

function isRawShape(input: object): boolean {
  if (JSON_SCHEMA_KEYWORDS.some((k) => k in input)) return false;
  return Object.values(input).some(isStandardSchema);
}

function compileStandard(schema: StandardSchemaV1, where: string, convert: ToJsonSchema | undefined): CompiledSchema {
  const props = schema['~standard'];
  const jsonSchema = rawJsonSchemaOf(schema) ?? toJsonSchema(schema, where, convert);
  const finish = (result: StandardResult<unknown>): ValidationResult =>
    result.issues === undefined
      ? { ok: true, value: result.value }
      : {
          ok: false,
          issues: result.issues.map((issue) => ({
            path: (issue.path ?? []).map(normaliseSegment),
            message: issue.message,
          })),
        };
  return {
    jsonSchema,
    validate(value) {
      const result = props.validate(value);
      return isThenable(result) ? Promise.resolve(result).then(finish) : finish(result);
    },
  };
}

// Checked structurally: a promise from another realm or a polyfill still counts.
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function normaliseSegment(segment: StandardPathSegment): PathSegment {
  const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
  if (typeof key === 'symbol') return key.description ?? key.toString();
  return key;
}

type Producer = (options?: Record<string, unknown>) => unknown;

function toJsonSchema(schema: StandardSchemaV1, where: string, convert: ToJsonSchema | undefined): Record<string, unknown> {
  const self = schema as unknown as Record<string, unknown>;
  const converter = schema['~standard'].jsonSchema;
  let produce: (() => unknown) | undefined;
  if (convert) {
    produce = () => convert(schema);
  } else if (typeof converter?.input === 'function') {
    // The input side is what a client must send; output may add constraints the caller never sees.
    produce = () => converter.input({ target: 'draft-2020-12' });
  } else if (typeof self.toJsonSchema === 'function') {
    produce = () => (self.toJsonSchema as Producer).call(schema);
  } else if (typeof self.toJSONSchema === 'function') {
    // zod's own method takes these options; other libraries ignore an unexpected argument.
    produce = () => (self.toJSONSchema as Producer).call(schema, { target: 'draft-2020-12', io: 'input' });
  }
  const vendor = schema['~standard'].vendor;
  if (!produce) {
    throw new TypeError(
      `${where}: the ${vendor} schema cannot describe itself as JSON Schema, which tools/list needs. ` +
        'Use a library implementing Standard JSON Schema (zod >= 4.2, arktype, or valibot wrapped with ' +
        'toStandardJsonSchema from @valibot/to-json-schema), or give createServer a converter: { toJsonSchema: z.toJSONSchema } for zod/mini.',
    );
  }
  let out: unknown;
  try {
    out = produce();
  } catch (error) {
    throw new TypeError(
      `${where}: the ${vendor} schema could not be converted to JSON Schema (${(error as Error)?.message ?? error}). ` +
        'Remove types JSON Schema cannot express (dates, functions, transforms on input) or describe the input with jsonSchema({ ... }).',
      { cause: error },
    );
  }
  if (typeof out !== 'object' || out === null || Array.isArray(out)) {
    throw new TypeError(`${where}: the ${vendor} schema produced ${describe(out)} instead of a JSON Schema object`);
  }
  const json = out as Record<string, unknown>;
  // A 2020-12 $schema is what we asked for and stays. A draft-07 one (a library ignoring our target)
  // would make clients that default to 2020-12 switch dialects, so it goes.
  if (typeof json.$schema === 'string' && DRAFT_07.test(json.$schema)) {
    const { $schema: _, ...rest } = json;
    return rest;
  }
  return json;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** One line per issue, e.g. `arguments.city: must be string`, for isError tool results. */
export function formatIssues(issues: readonly SchemaIssue[], root = 'arguments'): string {
  return issues.map((issue) => `${formatPath(issue.path, root)}: ${issue.message}`).join('\n');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function formatPath(path: readonly PathSegment[], root = 'arguments'): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
