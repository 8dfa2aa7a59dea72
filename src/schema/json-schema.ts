// `jsonSchema()`: a hand-written JSON Schema as a Standard Schema, validated by our own compiler.
// Its own module so the validator ships only in servers that use plain JSON Schema.
import { compileJsonSchema } from './json-schema-validator.ts';
import type { CompileJsonSchemaOptions, JsonSchema } from './json-schema-validator.ts';
import { RAW_JSON_SCHEMA } from './standard-schema.ts';
import type { StandardJsonSchemaConverter, StandardSchemaProps, StandardSchemaV1 } from './standard-schema.ts';

/** What `jsonSchema()` returns: a Standard Schema that also knows the JSON Schema it came from. */
export interface JsonSchemaWrapper<T> extends StandardSchemaV1<T, T> {
  readonly '~standard': StandardSchemaProps<T, T> & { readonly jsonSchema: StandardJsonSchemaConverter };
  readonly [RAW_JSON_SCHEMA]: JsonSchema;
}

/**
 * Wraps a plain JSON Schema (2020-12, draft-07/04 spellings accepted) for `inputSchema`,
 * `outputSchema` or `argsSchema`. The type parameter types the handler's arguments; it is not checked
 * against the schema. The schema is compiled here, so a broken one fails at startup.
 *
 * @example
 * server.registerTool('echo', {
 *   inputSchema: jsonSchema<{ text: string }>({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }),
 * }, ({ text }) => ({ content: [{ type: 'text', text }] }));
 */
export function jsonSchema<T = Record<string, unknown>>(schema: JsonSchema, options: CompileJsonSchemaOptions = {}): JsonSchemaWrapper<T> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new TypeError(`jsonSchema() expects a JSON Schema object, e.g. { type: 'object', properties: { ... } }; got ${schema === null ? 'null' : Array.isArray(schema) ? 'an array' : `a ${typeof schema}`}.`);
  }
  const check = compileJsonSchema(schema, { where: options.where ?? 'jsonSchema()', maxIssues: options.maxIssues });
  const describe = () => schema;
  return {
    [RAW_JSON_SCHEMA]: schema,
    '~standard': {
      version: 1,
      vendor: 'stateless-mcp',
      validate(value) {
        const issues = check(value);
        return issues.length === 0 ? { value: value as T } : { issues };
      },
      jsonSchema: { input: describe, output: describe },
    },
  };
}
