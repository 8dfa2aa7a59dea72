// The OpenAPI 3.1 document of the REST face, made from the tool definitions tools/list serves: the
// input schema is the request body, the output schema the 200 response's structuredContent. Tool
// schemas are JSON Schema 2020-12, which OpenAPI 3.1 takes as they are; each is stored under
// components/schemas, and its internal `$ref`s ("#/$defs/…") are re-pointed there.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import type { Implementation } from '../protocol/types.ts';

export interface DocumentedTool {
  /** The tool as tools/list lists it. */
  definition: JsonObject;
  scopes: readonly string[];
}

export interface DocumentInput {
  info: Implementation;
  /** Path of the MCP endpoint, named in the description. */
  endpointPath: string;
  /** Prefix of the REST routes ("" at the root). */
  base: string;
  /** Whether an auth gate guards the endpoint (and so every route). */
  secured: boolean;
  tools: readonly DocumentedTool[];
}

const SCHEMAS = '#/components/schemas/';
const RESPONSES = '#/components/responses/';
const PROBLEM_JSON = 'application/problem+json';

const problemContent = { [PROBLEM_JSON]: { schema: { $ref: `${SCHEMAS}Problem` } } };

/** Re-points a schema's document-local `$ref`s to where the schema now lives. */
function relocated(schema: unknown, pointer: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => relocated(item, pointer));
  if (!isJsonObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? pointer + value.slice(1) : relocated(value, pointer);
  }
  return out;
}

const COMMON_SCHEMAS: JsonObject = {
  CallToolResult: {
    type: 'object',
    description: "The tool's result, as MCP's tools/call returns it.",
    required: ['content'],
    properties: {
      content: { type: 'array', items: { $ref: `${SCHEMAS}ContentBlock` } },
      structuredContent: { type: 'object', description: 'The result as data, shaped by the output schema when the tool declares one.' },
      isError: { type: 'boolean', description: 'true when the tool reported a failure; content says what went wrong.' },
      _meta: { type: 'object' },
    },
  },
  ContentBlock: {
    type: 'object',
    description: 'An MCP content block: text, image, audio, resource_link or resource.',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['text', 'image', 'audio', 'resource_link', 'resource'] },
      text: { type: 'string' },
      data: { type: 'string', contentEncoding: 'base64' },
      mimeType: { type: 'string' },
      uri: { type: 'string' },
      name: { type: 'string' },
      resource: { type: 'object' },
    },
  },
  Problem: {
    type: 'object',
    description: 'Problem details (RFC 9457).',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string', description: 'What went wrong and what to do.' },
      errors: {
        type: 'array',
        description: 'Each problem with the arguments: where (a JSON Pointer into the body) and what.',
        items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  },
};

function commonResponses(secured: boolean): JsonObject {
  const responses: JsonObject = {
    InvalidArguments: { description: "The body is not JSON, or the arguments break the tool's input schema; `errors` lists each problem.", content: problemContent },
    Error: {
      description:
        'Any other failure, as problem details: 404 unknown tool, 413 body too large, 415 not JSON, 422 the tool needs an MCP client (it asks the caller for input, or runs as a task), 429 too many requests (see Retry-After), 5xx server trouble.',
      content: problemContent,
    },
  };
  if (secured) {
    responses.Unauthorized = {
      description: 'No valid access token; WWW-Authenticate says where to get one.',
      headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
      content: problemContent,
    };
    responses.Forbidden = { description: 'The token lacks a scope this tool needs.', content: problemContent };
  }
  return responses;
}

function operation(tool: DocumentedTool, schemas: JsonObject, secured: boolean): JsonObject {
  const { definition } = tool;
  const name = definition.name as string;
  const inputKey = `${name}.arguments`;
  const input = isJsonObject(definition.inputSchema) ? definition.inputSchema : { type: 'object' };
  schemas[inputKey] = relocated(input, SCHEMAS + inputKey);
  let result: JsonObject = { $ref: `${SCHEMAS}CallToolResult` };
  if (isJsonObject(definition.outputSchema)) {
    const outputKey = `${name}.structuredContent`;
    schemas[outputKey] = relocated(definition.outputSchema, SCHEMAS + outputKey);
    result = { allOf: [result, { type: 'object', properties: { structuredContent: { $ref: SCHEMAS + outputKey } } }] };
  }
  const responses: JsonObject = {
    200: { description: "The tool's result; `isError: true` when the tool reported a failure.", content: { 'application/json': { schema: result } } },
    400: { $ref: `${RESPONSES}InvalidArguments` },
  };
  if (secured) Object.assign(responses, { 401: { $ref: `${RESPONSES}Unauthorized` }, 403: { $ref: `${RESPONSES}Forbidden` } });
  responses.default = { $ref: `${RESPONSES}Error` };
  const out: JsonObject = {
    operationId: name,
    summary: typeof definition.title === 'string' ? definition.title : name,
    requestBody: {
      required: Array.isArray(input.required) && input.required.length > 0,
      content: { 'application/json': { schema: { $ref: SCHEMAS + inputKey } } },
    },
    responses,
  };
  if (typeof definition.description === 'string') out.description = definition.description;
  // OpenAPI 3.1 lets a bearer requirement name the roles (here: OAuth scopes) an operation needs.
  if (secured && tool.scopes.length > 0) out.security = [{ bearerAuth: [...tool.scopes] }];
  return out;
}

export function openApiDocument({ info, endpointPath, base, secured, tools }: DocumentInput): JsonObject {
  const schemas: JsonObject = { ...COMMON_SCHEMAS };
  const paths: JsonObject = {};
  for (const tool of tools) paths[`/tools/${tool.definition.name as string}`] = { post: operation(tool, schemas, secured) };
  const about = `Each tool of this MCP server as a plain HTTP call: POST its arguments as a JSON object, get its result. MCP clients use the endpoint POST ${endpointPath}.`;
  const document: JsonObject = {
    openapi: '3.1.0',
    info: { title: info.title ?? info.name, version: info.version, description: info.description ? `${info.description}\n\n${about}` : about },
  };
  if (base) document.servers = [{ url: base }];
  document.paths = paths;
  const components: JsonObject = { schemas, responses: commonResponses(secured) };
  if (secured) {
    components.securitySchemes = { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An access token for this server, as its MCP endpoint takes it.' } };
    document.security = [{ bearerAuth: [] }];
  }
  document.components = components;
  return document;
}
