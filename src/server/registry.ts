// Tools, resources, resource templates and prompts as registered once at module scope, compiled
// into the definitions the list methods serve. Lookups on the request path are map hits.
import { compileSchema } from '../schema/compile.ts';
import type { CompiledSchema, SchemaInput, ToJsonSchema } from '../schema/compile.ts';
import type { InferOutput, StandardSchemaV1 } from '../schema/standard-schema.ts';
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type {
  Annotations,
  CallToolResult,
  GetPromptResult,
  Icon,
  PromptArgument,
  ReadResourceResult,
  ToolAnnotations,
} from '../protocol/types.ts';
import type { HandlerContext } from './context.ts';
import type { IdempotencyOptions } from './idempotency.ts';
import type { PartialContent } from './partial-results.ts';
import type { TaskSupport } from './tasks.ts';
import { compileUriTemplate } from './uri-template.ts';
import type { CompiledTemplate, TemplateVariables } from './uri-template.ts';

type Awaitable<T> = T | Promise<T>;
type ArgsOf<S> = S extends StandardSchemaV1 ? InferOutput<S> : Record<string, unknown>;

/** Suggests values for one argument: `completion/complete`. At most 100 are sent. */
export type Completer = (value: string, context: { arguments: Record<string, string> }, ctx: HandlerContext) => Awaitable<readonly string[]>;

export interface ToolConfig<In extends SchemaInput | undefined = SchemaInput | undefined> {
  title?: string;
  description?: string;
  inputSchema?: In;
  outputSchema?: SchemaInput;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  /** OAuth scopes a caller needs to see and call this tool (enforced when an auth gate runs). */
  scopes?: string[];
  /**
   * Tasks extension: "required" runs every call as a task from the start; "optional" becomes a task
   * when the handler calls `ctx.startTask()` or outlives `tasks.promoteAfterMs`. Default "forbidden".
   */
  taskSupport?: TaskSupport;
  /**
   * Repeat-safe: a call carrying an `Idempotency-Key` header that matches an earlier completed call
   * (same tool, caller and arguments) gets that call's stored result instead of running again.
   */
  idempotency?: IdempotencyOptions | true;
}
/**
 * A tool handler returns its result, or is an async generator that yields the result piece by
 * piece (content blocks, streamed as partial results) and may return the rest of it.
 */
export type ToolHandler<In> = (args: ArgsOf<In>, ctx: HandlerContext) => Awaitable<CallToolResult> | AsyncGenerator<PartialContent, CallToolResult | void, undefined>;

export interface ResourceConfig {
  /** OAuth scopes a caller needs to see and read this resource (enforced when an auth gate runs). */
  scopes?: string[];
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Annotations;
  icons?: Icon[];
  _meta?: Record<string, unknown>;
}
export type ResourceHandler = (uri: URL, ctx: HandlerContext) => Awaitable<ReadResourceResult>;
export type TemplateHandler = (uri: URL, variables: TemplateVariables, ctx: HandlerContext) => Awaitable<ReadResourceResult>;

export interface ListedResource extends ResourceConfig { uri: string; name: string }

/** A parameterised resource, e.g. `new ResourceTemplate('users://{id}/profile')`. */
export class ResourceTemplate {
  readonly uriTemplate: string;
  /** Compiled here, not at registration, so servers without templates do not bundle the matcher. */
  readonly matcher: CompiledTemplate;
  readonly list: ((ctx: HandlerContext) => Awaitable<ListedResource[]>) | undefined;
  readonly complete: Readonly<Record<string, Completer>>;

  constructor(
    uriTemplate: string,
    options: { list?: (ctx: HandlerContext) => Awaitable<ListedResource[]>; complete?: Record<string, Completer> } = {},
  ) {
    this.uriTemplate = uriTemplate;
    this.matcher = compileUriTemplate(uriTemplate);
    this.list = options.list;
    this.complete = options.complete ?? {};
  }
}

export interface PromptConfig<Args extends SchemaInput | undefined = SchemaInput | undefined> {
  title?: string;
  description?: string;
  /** Validates the (string) arguments; prompts/list derives `arguments` from its JSON Schema. */
  argsSchema?: Args;
  /** Explicit argument list, for prompts without a schema. */
  arguments?: PromptArgument[];
  complete?: Record<string, Completer>;
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  /** OAuth scopes a caller needs to see and get this prompt (enforced when an auth gate runs). */
  scopes?: string[];
}
export type PromptHandler<Args> = (args: ArgsOf<Args>, ctx: HandlerContext) => Awaitable<GetPromptResult>;

/** What every compiled entry shares: its list definition and the scopes that gate it. */
export interface Gated {
  definition: Record<string, unknown>;
  scopes: readonly string[];
}

export interface CompiledTool extends Gated {
  name: string;
  definition: Record<string, unknown>;
  input: CompiledSchema | undefined;
  output: CompiledSchema | undefined;
  /** `Mcp-Param-{header}` → path of the argument it mirrors (SEP-2243 `x-mcp-header`). */
  headerParams: ReadonlyMap<string, { path: readonly string[]; type: 'string' | 'integer' | 'boolean' }>;
  taskSupport: TaskSupport;
  idempotency: IdempotencyOptions | undefined;
  handler: ToolHandler<unknown>;
}

/** What a registered tool shows outside dispatch: scopes, task support and its argument validator. */
export type RegisteredTool = Pick<CompiledTool, 'name' | 'scopes' | 'taskSupport' | 'input'>;

export interface CompiledResource extends Gated { uri: string; handler: ResourceHandler }
export interface CompiledTemplateEntry extends Gated {
  name: string;
  matcher: CompiledTemplate;
  template: ResourceTemplate;
  handler: TemplateHandler;
}
export interface CompiledPrompt extends Gated {
  name: string;
  args: CompiledSchema | undefined;
  complete: Readonly<Record<string, Completer>>;
  handler: PromptHandler<unknown>;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
const TOKEN_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function withDefined(base: Record<string, unknown>, extra: object): Record<string, unknown> {
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) base[key] = value;
  return base;
}

function checkName(kind: string, name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new TypeError(`${kind} name "${name}" is invalid: use 1 to 128 characters from A-Z, a-z, 0-9, "_", "-" and ".".`);
  }
}

/** SEP-2243 rules for `x-mcp-header`: RFC 9110 tokens, unique, on primitive properties reached through `properties`. */
function collectHeaderParams(tool: string, schema: Record<string, unknown>): CompiledTool['headerParams'] {
  const found = new Map<string, { path: readonly string[]; type: 'string' | 'integer' | 'boolean' }>();
  const seen = new Set<string>();
  const visit = (node: unknown, path: string[]) => {
    if (!isJsonObject(node)) return;
    const header = node['x-mcp-header'];
    if (header !== undefined) {
      const type = node.type;
      if (typeof header !== 'string' || !TOKEN_PATTERN.test(header)) {
        throw new TypeError(`Tool "${tool}": x-mcp-header at ${path.join('.')} must be a non-empty HTTP token (letters, digits, "-", ...).`);
      }
      if (type !== 'string' && type !== 'integer' && type !== 'boolean') {
        throw new TypeError(`Tool "${tool}": x-mcp-header "${header}" is on a property of type ${JSON.stringify(type)}; only string, integer and boolean properties can be mirrored into headers.`);
      }
      if (seen.has(header.toLowerCase())) throw new TypeError(`Tool "${tool}": x-mcp-header "${header}" is used twice; header names are case-insensitive and must be unique.`);
      seen.add(header.toLowerCase());
      found.set(header.toLowerCase(), { path, type });
    }
    if (isJsonObject(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, [...path, key]);
    }
  };
  visit(schema, []);
  return found;
}

export function compileTool(name: string, config: ToolConfig, handler: ToolHandler<unknown>, convert?: ToJsonSchema): CompiledTool {
  checkName('Tool', name);
  const input = config.inputSchema === undefined ? undefined : compileSchema(config.inputSchema, `tool "${name}" inputSchema`, convert);
  const output = config.outputSchema === undefined ? undefined : compileSchema(config.outputSchema, `tool "${name}" outputSchema`, convert);
  const inputJson = input?.jsonSchema ?? { type: 'object', properties: {} };
  if (inputJson.type !== 'object') {
    throw new TypeError(`Tool "${name}": inputSchema must describe an object (tool arguments are always a JSON object); got type ${JSON.stringify(inputJson.type)}.`);
  }
  const definition = withDefined({ name }, {
    title: config.title,
    description: config.description,
    inputSchema: inputJson,
    outputSchema: output?.jsonSchema,
    annotations: config.annotations,
    icons: config.icons,
    _meta: config._meta,
  });
  return { name, definition, scopes: config.scopes ?? [], input, output, headerParams: collectHeaderParams(name, inputJson), taskSupport: config.taskSupport ?? 'forbidden', idempotency: config.idempotency === true ? {} : config.idempotency, handler };
}

export function compileResource(name: string, uri: string, config: ResourceConfig, handler: ResourceHandler): CompiledResource {
  if (!URL.canParse(uri)) throw new TypeError(`Resource "${name}": "${uri}" is not an absolute URI (e.g. "file:///notes.txt" or "app://config").`);
  const { scopes = [], ...listed } = config;
  return { uri, definition: withDefined({ uri, name }, listed), scopes, handler };
}

export function compileTemplate(name: string, template: ResourceTemplate, config: ResourceConfig, handler: TemplateHandler): CompiledTemplateEntry {
  const { scopes = [], ...listed } = config;
  const definition = withDefined({ uriTemplate: template.uriTemplate, name }, { ...listed, size: undefined });
  return { name, definition, scopes, matcher: template.matcher, template, handler };
}

function argumentsFromSchema(schema: Record<string, unknown>): PromptArgument[] {
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(properties).map(([name, property]) =>
    withDefined({ name }, {
      title: isJsonObject(property) ? property.title : undefined,
      description: isJsonObject(property) ? property.description : undefined,
      required: required.includes(name),
    }) as unknown as PromptArgument,
  );
}

export function compilePrompt(name: string, config: PromptConfig, handler: PromptHandler<unknown>, convert?: ToJsonSchema): CompiledPrompt {
  checkName('Prompt', name);
  const args = config.argsSchema === undefined ? undefined : compileSchema(config.argsSchema, `prompt "${name}" argsSchema`, convert);
  const argumentList = config.arguments ?? (args ? argumentsFromSchema(args.jsonSchema) : undefined);
  const definition = withDefined({ name }, {
    title: config.title,
    description: config.description,
    arguments: argumentList,
    icons: config.icons,
    _meta: config._meta,
  });
  return { name, definition, scopes: config.scopes ?? [], args, complete: config.complete ?? {}, handler };
}
