import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { compileSchema, formatIssues, formatPath } from './compile.ts';
import type { SchemaInput } from './compile.ts';
import type { StandardResult, StandardSchemaV1 } from './standard-schema.ts';
import { isStandardSchema } from './standard-schema.ts';
import { jsonSchema } from './json-schema.ts';

/** A minimal hand-written Standard Schema: `{ n: number }`, output doubles n. */
function numberBox(options: { async?: boolean; jsonSchema?: boolean } = {}): StandardSchemaV1<{ n: number }, { n: number }> {
  const run = (value: unknown): StandardResult<{ n: number }> => {
    const n = (value as { n?: unknown } | null)?.n;
    if (typeof n !== 'number') {
      return { issues: [{ message: 'expected a number', path: [{ key: 'n' }] }, { message: 'deep', path: ['list', 2, Symbol('s')] }] };
    }
    return { value: { n: n * 2 } };
  };
  return {
    '~standard': {
      version: 1,
      vendor: 'handmade',
      validate: options.async ? async (value) => run(value) : run,
      ...(options.jsonSchema === false
        ? {}
        : {
            jsonSchema: {
              input: ({ target }) => ({
                $schema: target === 'draft-07' ? 'http://json-schema.org/draft-07/schema#' : 'https://json-schema.org/draft/2020-12/schema',
                type: 'object',
                properties: { n: { type: 'number' } },
              }),
              output: () => ({ type: 'object' }),
            },
          }),
    },
  };
}

describe('compileSchema with a plain JSON Schema', () => {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    $defs: { unit: { $anchor: 'unit', enum: ['c', 'f'] } },
    properties: { city: { type: 'string', 'x-mcp-header': 'X-City' }, unit: { $ref: '#unit' } },
    required: ['city'],
    additionalProperties: false,
    allOf: [{ if: { required: ['unit'] }, then: { properties: { unit: { const: 'c' } } } }],
  };

  it('advertises the object verbatim', () => {
    const snapshot = structuredClone(schema);
    const compiled = compileSchema(jsonSchema(schema), 'tool "weather" inputSchema');
    expect(compiled.jsonSchema).toBe(schema);
    expect(compiled.jsonSchema).toEqual(snapshot);
  });

  it('validates synchronously and returns the same value', () => {
    const compiled = compileSchema(jsonSchema(schema), 'tool "weather" inputSchema');
    const input = { city: 'Oslo', unit: 'c' };
    const ok = compiled.validate(input);
    expect(ok).not.toBeInstanceOf(Promise);
    expect(ok).toEqual({ ok: true, value: input });
    expect((ok as { value: unknown }).value).toBe(input);
    expect(compiled.validate({ city: 1, unit: 'f', extra: true })).toEqual({
      ok: false,
      issues: [
        { path: ['city'], message: 'must be string, got number' },
        { path: [], message: 'must NOT have additional property "extra" (allowed: "city", "unit")' },
        { path: ['unit'], message: 'must equal "c"' },
      ],
    });
  });

  it('reports schema mistakes at registration with the label', () => {
    expect(() => jsonSchema({ type: 'object', properties: { a: { pattern: '(' } } })).toThrow(/^jsonSchema\(\): invalid JSON Schema at #\/properties\/a\/pattern/);
  });

  it('refuses an unwrapped JSON Schema object, naming the fix', () => {
    expect(() => compileSchema({ type: 'object' } as never, 'tool "bare" inputSchema')).toThrow(
      /^tool "bare" inputSchema: a plain JSON Schema object needs wrapping .*jsonSchema\(\{ type: 'object', \.\.\. \}\)/,
    );
  });
});

describe('compileSchema with a Standard Schema', () => {
  it('takes jsonSchema from ~standard.jsonSchema.input with the 2020-12 target', () => {
    const compiled = compileSchema(numberBox(), 'tool "box" inputSchema');
    expect(compiled.jsonSchema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { n: { type: 'number' } },
    });
  });

  it('validates synchronously, returning the transformed value', () => {
    const compiled = compileSchema(numberBox(), 'x');
    const result = compiled.validate({ n: 2 });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ ok: true, value: { n: 4 } });
  });

  it('maps issue paths ({key}, numbers, symbols) to plain segments', () => {
    expect(compileSchema(numberBox(), 'x').validate({})).toEqual({
      ok: false,
      issues: [
        { path: ['n'], message: 'expected a number' },
        { path: ['list', 2, 's'], message: 'deep' },
      ],
    });
  });

  it('validates asynchronously when the library does', async () => {
    const compiled = compileSchema(numberBox({ async: true }), 'x');
    const pending = compiled.validate({ n: 5 });
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual({ ok: true, value: { n: 10 } });
    const failed = await compiled.validate({ n: 'x' });
    expect(failed.ok ? [] : failed.issues[0]).toEqual({ path: ['n'], message: 'expected a number' });
  });

  it('falls back to toJsonSchema() and strips a draft-07 $schema', () => {
    const base = numberBox({ jsonSchema: false });
    const withMethod = Object.assign(base, {
      toJsonSchema: () => ({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['n'] }),
    });
    expect(compileSchema(withMethod, 'x').jsonSchema).toEqual({ type: 'object', required: ['n'] });
  });

  it('throws at registration when the library cannot produce JSON Schema', () => {
    expect(() => compileSchema(numberBox({ jsonSchema: false }), 'tool "box" inputSchema')).toThrow(
      /^tool "box" inputSchema: the handmade schema cannot describe itself as JSON Schema.*zod >= 4\.2/,
    );
  });
});

describe('compileSchema with zod', () => {
  const schema = z.object({ text: z.string(), count: z.number().int().optional() });

  it('is a Standard Schema whose input JSON Schema is advertised as 2020-12', () => {
    expect(isStandardSchema(schema)).toBe(true);
    const compiled = compileSchema(schema, 'tool "echo" inputSchema');
    expect(compiled.jsonSchema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { text: { type: 'string' }, count: { type: 'integer' } },
      required: ['text'],
    });
    // Input side: zod only adds additionalProperties:false for output, so clients may send extras.
    expect(compiled.jsonSchema).not.toHaveProperty('additionalProperties');
  });

  it('passes zod issues through with their paths', async () => {
    const compiled = compileSchema(schema, 'tool "echo" inputSchema');
    expect(await compiled.validate({ text: 'hi' })).toEqual({ ok: true, value: { text: 'hi' } });
    const bad = await compiled.validate({ text: 1, count: 1.5 });
    expect(bad.ok).toBe(false);
    const issues = bad.ok ? [] : bad.issues;
    expect(issues.map((i) => i.path)).toEqual([['text'], ['count']]);
    expect(issues[0]?.message).toMatch(/expected string, received number/);
  });

  it('rejects a raw shape with a hint to wrap it', () => {
    const shape = { text: z.string() } as unknown as SchemaInput;
    expect(() => compileSchema(shape, 'tool "echo" inputSchema')).toThrow(TypeError);
    expect(() => compileSchema(shape, 'tool "echo" inputSchema')).toThrow(/z\.object\(\{ \.\.\. \}\)/);
  });
});

describe('compileSchema input checks', () => {
  it('rejects non-objects', () => {
    expect(() => compileSchema(null as unknown as SchemaInput, 'x')).toThrow(/got null/);
    expect(() => compileSchema([] as unknown as SchemaInput, 'x')).toThrow(/got an array/);
  });
});

describe('formatIssues', () => {
  it('renders one line per issue with dotted and bracketed paths', () => {
    expect(
      formatIssues([
        { path: ['city'], message: 'must be string' },
        { path: [], message: 'must have required property "x"' },
        { path: ['items', 3, 'a-b'], message: 'must be >= 1' },
      ]),
    ).toBe('arguments.city: must be string\narguments: must have required property "x"\narguments.items[3]["a-b"]: must be >= 1');
    expect(formatPath(['a', 0], 'structuredContent')).toBe('structuredContent.a[0]');
  });
});

describe('compileSchema with zod/mini and a toJsonSchema converter', () => {
  const schema = zm.object({ text: zm.string() });
  const convert = (s: StandardSchemaV1) => zm.toJSONSchema(s as zm.ZodMiniType, { io: 'input' });

  it('is refused without a converter, with the fix in the message', () => {
    expect(() => compileSchema(schema, 'tool "echo" inputSchema')).toThrow(/toJsonSchema: z\.toJSONSchema/);
  });

  it('advertises what the converter produced and validates with zod/mini', async () => {
    const compiled = compileSchema(schema, 'tool "echo" inputSchema', convert);
    expect(compiled.jsonSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    expect(await compiled.validate({ text: 'hi' })).toEqual({ ok: true, value: { text: 'hi' } });
    expect(await compiled.validate({ text: 1 })).toMatchObject({ ok: false, issues: [{ path: ['text'] }] });
  });
});

