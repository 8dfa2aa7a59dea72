// Our own declarations of the Standard Schema v1 and Standard JSON Schema v1 interfaces,
// so any conforming library (zod, valibot, arktype, ...) plugs in without a package dependency.

/** One step of an issue path: a bare key, or an object carrying the key (some libraries add metadata). */
export type StandardPathSegment = PropertyKey | { readonly key: PropertyKey };

export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<StandardPathSegment> | undefined;
}

export interface StandardSuccessResult<Output> {
  readonly value: Output;
  readonly issues?: undefined;
}

export interface StandardFailureResult {
  readonly issues: ReadonlyArray<StandardIssue>;
}

export type StandardResult<Output> = StandardSuccessResult<Output> | StandardFailureResult;

export interface StandardTypes<Input, Output> {
  readonly input: Input;
  readonly output: Output;
}

export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaProps<Input, Output>;
}

export interface StandardSchemaProps<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (
    value: unknown,
  ) => StandardResult<Output> | Promise<StandardResult<Output>>;
  readonly types?: StandardTypes<Input, Output> | undefined;
  /** Present when the library also implements Standard JSON Schema v1. */
  readonly jsonSchema?: StandardJsonSchemaConverter | undefined;
}

// The union keeps the known drafts autocompleting while still admitting targets added later.
export type StandardJsonSchemaTarget = 'draft-2020-12' | 'draft-07' | 'openapi-3.0' | (string & {});

export interface StandardJsonSchemaOptions {
  readonly target: StandardJsonSchemaTarget;
  readonly libraryOptions?: Record<string, unknown> | undefined;
}

export interface StandardJsonSchemaConverter {
  readonly input: (options: StandardJsonSchemaOptions) => Record<string, unknown>;
  readonly output: (options: StandardJsonSchemaOptions) => Record<string, unknown>;
}

/** Standard JSON Schema v1: a schema that can describe itself; validation is not implied. */
export interface StandardJsonSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly types?: StandardTypes<Input, Output> | undefined;
    readonly jsonSchema: StandardJsonSchemaConverter;
  };
}

export type InferInput<S extends StandardSchemaV1 | StandardJsonSchemaV1> = NonNullable<
  S['~standard']['types']
>['input'];

export type InferOutput<S extends StandardSchemaV1 | StandardJsonSchemaV1> = NonNullable<
  S['~standard']['types']
>['output'];

// Functions count too: arktype's types are callable.
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return false;
  const props: unknown = (value as { '~standard'?: unknown })['~standard'];
  return (
    typeof props === 'object' &&
    props !== null &&
    (props as { version?: unknown }).version === 1 &&
    typeof (props as { validate?: unknown }).validate === 'function'
  );
}

/** Marks a schema made by `jsonSchema()`: its JSON Schema is advertised exactly as written. */
export const RAW_JSON_SCHEMA: unique symbol = Symbol.for('stateless-mcp.jsonSchema');

export function rawJsonSchemaOf(schema: StandardSchemaV1): Record<string, unknown> | undefined {
  return (schema as { [RAW_JSON_SCHEMA]?: Record<string, unknown> })[RAW_JSON_SCHEMA];
}
