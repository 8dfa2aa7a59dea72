// Public face of the schema layer: compile once at registration, validate per request.
export { compileSchema, formatIssues, formatPath } from './compile.ts';
export type { CompiledSchema, SchemaInput, ToJsonSchema, ValidationResult } from './compile.ts';
export { jsonSchema } from './json-schema.ts';
export type { JsonSchemaWrapper } from './json-schema.ts';
export { compileJsonSchema } from './json-schema-validator.ts';
export type {
  CompileJsonSchemaOptions,
  JsonSchema,
  JsonSchemaValidator,
  PathSegment,
  SchemaIssue,
} from './json-schema-validator.ts';
export { isStandardSchema } from './standard-schema.ts';
export type {
  InferInput,
  InferOutput,
  StandardFailureResult,
  StandardIssue,
  StandardJsonSchemaConverter,
  StandardJsonSchemaOptions,
  StandardJsonSchemaTarget,
  StandardJsonSchemaV1,
  StandardPathSegment,
  StandardResult,
  StandardSchemaProps,
  StandardSchemaV1,
  StandardSuccessResult,
  StandardTypes,
} from './standard-schema.ts';
