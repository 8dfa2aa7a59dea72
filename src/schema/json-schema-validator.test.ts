import { describe, expect, it } from 'vitest';
import { compileJsonSchema } from './json-schema-validator.ts';
import type { JsonSchema, SchemaIssue } from './json-schema-validator.ts';

interface Case {
  name: string;
  schema: JsonSchema | boolean;
  valid: unknown[];
  /** Value and, when pinned, the exact issues it must produce. */
  invalid: [unknown, SchemaIssue[]?][];
}

const at = (message: string, ...path: (string | number)[]): SchemaIssue => ({ path, message });

const cases: Case[] = [
  { name: 'true schema', schema: true, valid: [1, 'x', null, {}], invalid: [] },
  { name: 'false schema', schema: false, valid: [], invalid: [[1, [at('is not allowed here')]]] },
  { name: 'empty schema', schema: {}, valid: [1, null, [], { a: 1 }], invalid: [] },
  {
    name: 'type string',
    schema: { type: 'string' },
    valid: ['', 'a'],
    invalid: [[1, [at('must be string, got number')]], [null, [at('must be string, got null')]]],
  },
  {
    name: 'type integer',
    schema: { type: 'integer' },
    valid: [1, -3, 2.0, 1e3],
    invalid: [[1.5, [at('must be integer, got number')]], ['1', [at('must be integer, got string')]]],
  },
  {
    name: 'type array of names',
    schema: { type: ['string', 'null'] },
    valid: ['a', null],
    invalid: [[[], [at('must be string or null, got array')]]],
  },
  {
    name: 'type object/array/boolean',
    schema: { type: 'object' },
    valid: [{}],
    invalid: [[[], [at('must be object, got array')]], [true, [at('must be object, got boolean')]]],
  },
  {
    name: 'enum',
    schema: { enum: ['a', 'b'] },
    valid: ['a', 'b'],
    invalid: [['c', [at('must be one of "a", "b"')]]],
  },
  {
    name: 'enum with objects (deep equality)',
    schema: { enum: [{ x: [1, 2] }, 3] },
    valid: [{ x: [1, 2] }, 3],
    invalid: [[{ x: [2, 1] }], [{ x: [1, 2], y: 1 }]],
  },
  {
    name: 'const',
    schema: { const: { a: [1, { b: null }] } },
    valid: [{ a: [1, { b: null }] }],
    invalid: [[{ a: [1, { b: 0 }] }, [at('must equal {"a":[1,{"b":null}]}')]]],
  },
  { name: 'const null', schema: { const: null }, valid: [null], invalid: [[0, [at('must equal null')]]] },
  {
    name: 'required',
    schema: { type: 'object', required: ['city', 'country'] },
    valid: [{ city: 'x', country: 'y' }],
    invalid: [
      [{ city: 'x' }, [at('must have required property "country"')]],
      [{ city: undefined, country: 'y' }, [at('must have required property "city"')]],
    ],
  },
  {
    name: 'properties with nested path',
    schema: { properties: { a: { properties: { b: { type: 'number' } } } } },
    valid: [{}, { a: {} }, { a: { b: 1 } }, 'not an object'],
    invalid: [[{ a: { b: 'x' } }, [at('must be number, got string', 'a', 'b')]]],
  },
  {
    name: 'properties do not read the prototype',
    schema: { properties: { constructor: { type: 'string' } }, required: ['toString'] },
    valid: [{ toString: 1 }],
    invalid: [[{}, [at('must have required property "toString"')]]],
  },
  {
    name: 'additionalProperties false',
    schema: { properties: { a: {} }, additionalProperties: false },
    valid: [{ a: 1 }],
    invalid: [[{ a: 1, foo: 2 }, [at('must NOT have additional property "foo" (allowed: "a")')]]],
  },
  {
    name: 'additionalProperties schema',
    schema: { properties: { a: {} }, additionalProperties: { type: 'number' } },
    valid: [{ a: 'x', b: 1 }],
    invalid: [[{ b: 'x' }, [at('must be number, got string', 'b')]]],
  },
  {
    name: 'patternProperties',
    schema: { patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false },
    valid: [{ 'x-a': 'y' }],
    invalid: [
      [{ 'x-a': 1 }, [at('must be string, got number', 'x-a')]],
      [{ b: 1 }, [at('must NOT have additional property "b"')]],
    ],
  },
  {
    name: 'propertyNames',
    schema: { propertyNames: { pattern: '^[a-z]+$' } },
    valid: [{ abc: 1 }],
    invalid: [[{ Abc: 1 }, [at('property name "Abc" is invalid: must match pattern "^[a-z]+$"')]]],
  },
  {
    name: 'min/maxProperties',
    schema: { minProperties: 1, maxProperties: 2 },
    valid: [{ a: 1 }, { a: 1, b: 2 }],
    invalid: [
      [{}, [at('must have at least 1 property')]],
      [{ a: 1, b: 2, c: 3 }, [at('must have at most 2 properties')]],
    ],
  },
  {
    name: 'dependentRequired',
    schema: { dependentRequired: { card: ['billing'] } },
    valid: [{}, { billing: 1 }, { card: 1, billing: 2 }],
    invalid: [[{ card: 1 }, [at('must have required property "billing" when property "card" is present')]]],
  },
  {
    name: 'dependentSchemas and draft-07 dependencies',
    schema: { dependencies: { a: { required: ['b'] }, c: ['d'] } },
    valid: [{ a: 1, b: 1 }, { c: 1, d: 1 }],
    invalid: [[{ a: 1 }], [{ c: 1 }]],
  },
  {
    name: 'items (2020-12)',
    schema: { items: { type: 'number' } },
    valid: [[], [1, 2]],
    invalid: [[[1, 'x'], [at('must be number, got string', 1)]]],
  },
  {
    name: 'prefixItems with items false',
    schema: { prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
    valid: [['a'], ['a', 1]],
    invalid: [
      [[1], [at('must be string, got number', 0)]],
      [['a', 1, 2], [at('must have at most 2 items')]],
    ],
  },
  {
    name: 'draft-07 array items with additionalItems',
    schema: { items: [{ type: 'string' }], additionalItems: { type: 'number' } },
    valid: [['a', 1, 2]],
    invalid: [[[1], [at('must be string, got number', 0)]], [['a', 'b'], [at('must be number, got string', 1)]]],
  },
  {
    name: 'min/maxItems',
    schema: { minItems: 1, maxItems: 5 },
    valid: [[1], [1, 2, 3, 4, 5]],
    invalid: [[[], [at('must have at least 1 item')]], [[1, 2, 3, 4, 5, 6], [at('must have at most 5 items')]]],
  },
  {
    name: 'uniqueItems',
    schema: { uniqueItems: true },
    valid: [[1, '1', { a: 1 }, { a: 2 }, [1]]],
    invalid: [
      [[1, 2, 1], [at('must NOT have duplicate items (items 0 and 2 are equal)')]],
      [[{ a: [1] }, { a: [1] }], [at('must NOT have duplicate items (items 0 and 1 are equal)')]],
    ],
  },
  {
    name: 'contains / minContains / maxContains',
    schema: { contains: { type: 'string' }, minContains: 2, maxContains: 3 },
    valid: [['a', 'b'], [1, 'a', 'b', 'c']],
    invalid: [
      [['a', 1], [at('must contain at least 2 items matching "contains"')]],
      [['a', 'b', 'c', 'd'], [at('must contain at most 3 items matching "contains", found 4')]],
    ],
  },
  {
    name: 'minLength/maxLength count code points',
    schema: { minLength: 2, maxLength: 3 },
    valid: ['ab', '😀😀😀', 'é😀'],
    invalid: [
      ['😀', [at('must have at least 2 characters')]],
      ['abcd', [at('must have at most 3 characters')]],
      ['😀😀😀😀', [at('must have at most 3 characters')]],
    ],
  },
  {
    name: 'pattern (unicode, unanchored)',
    schema: { pattern: '\\p{Lu}' },
    valid: ['aBc', 'É'],
    invalid: [['abc', [at('must match pattern "\\p{Lu}"')]]],
  },
  {
    name: 'minimum/maximum',
    schema: { minimum: 1, maximum: 10 },
    valid: [1, 10, 5.5, 'not a number'],
    invalid: [[0, [at('must be >= 1')]], [11, [at('must be <= 10')]]],
  },
  {
    name: 'exclusiveMinimum/Maximum (2020-12)',
    schema: { exclusiveMinimum: 0, exclusiveMaximum: 1 },
    valid: [0.5],
    invalid: [[0, [at('must be > 0')]], [1, [at('must be < 1')]]],
  },
  {
    name: 'exclusiveMinimum (draft-04 boolean)',
    schema: { minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: false },
    valid: [0.1, 1],
    invalid: [[0, [at('must be > 0')]]],
  },
  {
    name: 'multipleOf is float-safe',
    schema: { multipleOf: 0.01 },
    valid: [0.07, 19.99, 1.1, 0, -0.3],
    invalid: [[0.005, [at('must be a multiple of 0.01')]], [1.001]],
  },
  {
    name: 'allOf',
    schema: { allOf: [{ type: 'number' }, { minimum: 2 }] },
    valid: [3],
    invalid: [['x', [at('must be number, got string')]], [1, [at('must be >= 2')]]],
  },
  {
    name: 'anyOf of types',
    schema: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    valid: ['a', null],
    invalid: [[1, [at('must be string or null, got number')]]],
  },
  {
    name: 'anyOf blames the discriminated branch',
    schema: {
      anyOf: [
        { type: 'object', properties: { kind: { const: 'a' }, x: { type: 'number' } }, required: ['kind', 'x'] },
        { type: 'object', properties: { kind: { const: 'b' }, y: { type: 'string' } }, required: ['kind', 'y'] },
      ],
    },
    valid: [{ kind: 'a', x: 1 }, { kind: 'b', y: 'z' }],
    invalid: [
      [{ kind: 'a' }, [at('must have required property "x"')]],
      [{ kind: 'b', y: 2 }, [at('must be string, got number', 'y')]],
    ],
  },
  {
    name: 'oneOf',
    schema: { oneOf: [{ type: 'integer' }, { minimum: 2 }] },
    valid: [1, 2.5],
    invalid: [
      [3, [at('must match exactly one schema in oneOf, but matches 2 (branches 0, 1)')]],
      [1.5, [at('must match exactly one schema in oneOf (branch 0: must be integer, got number; branch 1: must be >= 2)')]],
    ],
  },
  {
    name: 'not',
    schema: { not: { type: 'string' } },
    valid: [1],
    invalid: [['a', [at('must NOT match the "not" schema')]]],
  },
  {
    name: 'if/then/else',
    schema: { if: { properties: { unit: { const: 'c' } } }, then: { required: ['celsius'] }, else: { required: ['f'] } },
    valid: [{ unit: 'c', celsius: 1 }, { unit: 'k', f: 1 }],
    invalid: [
      [{ unit: 'c' }, [at('must have required property "celsius"')]],
      [{ unit: 'k' }, [at('must have required property "f"')]],
    ],
  },
  {
    name: 'format (asserted loosely for a few)',
    schema: {
      properties: {
        dt: { format: 'date-time' },
        d: { format: 'date' },
        e: { format: 'email' },
        u: { format: 'uri' },
        id: { format: 'uuid' },
        h: { format: 'hostname' },
      },
    },
    valid: [
      {
        dt: '2024-02-29T12:30:00.5+01:00',
        d: '2024-02-29',
        e: 'a@b.co',
        u: 'https://x.test/a?b',
        id: '123e4567-e89b-12d3-a456-426614174000',
        h: '%%% not checked %%%',
      },
    ],
    invalid: [
      [{ dt: '2024-02-29' }, [at('must be a valid date-time', 'dt')]],
      [{ d: '2023-02-29' }, [at('must be a valid date', 'd')]],
      [{ e: 'nope' }, [at('must be a valid email', 'e')]],
      [{ u: '/relative' }, [at('must be a valid uri', 'u')]],
      [{ id: 'abc' }, [at('must be a valid uuid', 'id')]],
    ],
  },
  {
    name: 'annotations and unknown keywords are ignored',
    schema: { title: 't', description: 'd', default: 1, examples: [2], 'x-mcp-header': 'X-A', foo: { bar: 1 } },
    valid: [1, 'x'],
    invalid: [],
  },
];

describe('compileJsonSchema keyword table', () => {
  for (const c of cases) {
    it(c.name, () => {
      const validate = compileJsonSchema(c.schema);
      for (const value of c.valid) expect(validate(value), JSON.stringify(value)).toEqual([]);
      for (const [value, issues] of c.invalid) {
        const got = validate(value);
        if (issues) expect(got, JSON.stringify(value)).toEqual(issues);
        else expect(got.length, JSON.stringify(value)).toBeGreaterThan(0);
      }
    });
  }
});

describe('compileJsonSchema references', () => {
  const tree: JsonSchema = {
    $defs: {
      node: {
        type: 'object',
        properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } },
        required: ['value'],
      },
    },
    $ref: '#/$defs/node',
  };

  it('recurses through $defs', () => {
    const validate = compileJsonSchema(tree);
    expect(validate({ value: 1, children: [{ value: 2, children: [{ value: 3 }] }] })).toEqual([]);
    expect(validate({ value: 1, children: [{ value: 2, children: [{ value: 'x' }] }] })).toEqual([
      at('must be number, got string', 'children', 0, 'children', 0, 'value'),
    ]);
  });

  it('resolves "#", definitions with ~0/~1 escapes, and $anchor names', () => {
    const validate = compileJsonSchema({
      definitions: { 'a/b~c': { type: 'string' } },
      properties: {
        self: { $ref: '#' },
        esc: { $ref: '#/definitions/a~1b~0c' },
        anchored: { $ref: '#pos' },
      },
      $defs: { p: { $anchor: 'pos', minimum: 0 } },
    });
    expect(validate({ self: { self: { esc: 'x' } }, anchored: 1 })).toEqual([]);
    expect(validate({ self: { esc: 1 }, anchored: -1 })).toEqual([
      at('must be string, got number', 'self', 'esc'),
      at('must be >= 0', 'anchored'),
    ]);
  });

  it('treats a ref to the root $id as local', () => {
    const validate = compileJsonSchema({
      $id: 'https://example.test/s',
      $defs: { n: { type: 'number' } },
      properties: { a: { $ref: 'https://example.test/s#/$defs/n' } },
    });
    expect(validate({ a: 'x' })).toEqual([at('must be number, got string', 'a')]);
  });

  it('never fetches non-local refs; they accept anything', () => {
    const validate = compileJsonSchema({
      properties: {
        a: { $ref: 'https://example.com/schema.json' },
        b: { $ref: 'urn:example:thing' },
        c: { $ref: 'other.json#/x' },
      },
    });
    expect(validate({ a: 1, b: 'x', c: null })).toEqual([]);
  });

  it('rejects an unresolvable local ref at compile time', () => {
    expect(() => compileJsonSchema({ properties: { a: { $ref: '#/$defs/missing' } } })).toThrow(
      /#\/properties\/a\/\$ref: cannot resolve "#\/\$defs\/missing"/,
    );
  });
});

describe('compileJsonSchema registration errors', () => {
  it('throws a TypeError naming the path for an invalid pattern', () => {
    const compile = () =>
      compileJsonSchema({ properties: { code: { type: 'string', pattern: '[\\w-.]' } } }, { where: 'tool "x" inputSchema' });
    expect(compile).toThrow(TypeError);
    expect(compile).toThrow(/^tool "x" inputSchema: invalid JSON Schema at #\/properties\/code\/pattern: .*new RegExp\(pattern, "u"\)/);
  });

  it('throws for an invalid patternProperties key and an unknown type', () => {
    expect(() => compileJsonSchema({ patternProperties: { '(': {} } })).toThrow(TypeError);
    expect(() => compileJsonSchema({ type: 'str' })).toThrow(/unknown type "str"/);
  });

  it('throws for a zod-like object embedded in JSON Schema', () => {
    const fake = { '~standard': { version: 1, vendor: 'z', validate: () => ({ value: 1 }) } };
    expect(() => compileJsonSchema({ properties: { a: fake } })).toThrow(/#\/properties\/a: found a Standard Schema/);
  });
});

describe('compileJsonSchema issue collection', () => {
  it('reports every issue up to the limit, with instance paths', () => {
    const validate = compileJsonSchema({ type: 'array', items: { type: 'string' } });
    const issues = validate(Array.from({ length: 50 }, (_, i) => i));
    expect(issues).toHaveLength(20);
    expect(issues[19]).toEqual(at('must be string, got number', 19));
  });

  it('honours maxIssues and reports several keywords at once', () => {
    const validate = compileJsonSchema(
      { type: 'object', required: ['a', 'b', 'c'], additionalProperties: false },
      { maxIssues: 2 },
    );
    expect(validate({ z: 1 })).toEqual([at('must have required property "a"'), at('must have required property "b"')]);
  });

  it('returns a fresh empty array for valid input and keeps no state between calls', () => {
    const validate = compileJsonSchema({ properties: { a: { type: 'string' } } });
    expect(validate({ a: 1 })).toHaveLength(1);
    expect(validate({ a: 'ok' })).toEqual([]);
    expect(validate({ a: 2 })).toEqual([at('must be string, got number', 'a')]);
  });
});
