// Checks a result before the client hands it out under an MCP type (2026-07-28 `schema.ts`): a
// broken or hostile server becomes INVALID_RESPONSE naming the field that is wrong, not a value
// that fails far from the cause (or, worse, prints as an empty success). Only what a caller relies
// on is checked (required fields, their types, the content block kinds); extra fields pass through.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import type { CallToolResult, ContentBlock, GetPromptResult, Implementation, ReadResourceResult } from '../protocol/types.ts';
import { McpClientError } from './errors.ts';
import type { CompleteResult, ListenFilter, Prompt, Resource, ResourceTemplate, Tool } from './types.ts';

/** What is wrong with a value, as a clause ("has no string \"name\""), or undefined when it has the shape. */
type Fault = string | undefined;
type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/** `clause` completes "returned a result …": `that has no array "content"`, `whose "content[0]" has …`. */
function invalid(method: string, clause: string, result: JsonObject): McpClientError {
  const excerpt = JSON.stringify(result).slice(0, 200);
  return new McpClientError('INVALID_RESPONSE', `${method} returned a result ${clause}: ${excerpt}. The server is not following MCP; report it to its operator.`);
}

function hasType(value: unknown, type: FieldType): boolean {
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isJsonObject(value);
  return typeof value === type;
}

/** The first field of `fields` that `value` lacks or holds with the wrong type; `?` marks an optional field. */
function fieldsFault(value: JsonObject, fields: Record<string, FieldType>): Fault {
  for (const [spec, type] of Object.entries(fields)) {
    const optional = spec.endsWith('?');
    const name = optional ? spec.slice(0, -1) : spec;
    const field = value[name];
    if (field === undefined && optional) continue;
    if (!hasType(field, type)) return field === undefined ? `has no ${type} "${name}"` : `has a non-${type} "${name}"`;
  }
  return undefined;
}

/** Each element of the array `field` checked by `itemFault`, as a clause naming the first bad one by its index. */
function itemsFault(value: JsonObject, field: string, itemFault: (item: JsonObject) => Fault): Fault {
  const items = value[field];
  if (!Array.isArray(items)) return `that ${fieldsFault(value, { [field]: 'array' })}`;
  for (const [index, item] of items.entries()) {
    const fault = isJsonObject(item) ? itemFault(item) : 'is not an object';
    if (fault !== undefined) return `whose "${field}[${index}]" ${fault}`;
  }
  return undefined;
}

const topLevel = (fault: Fault): Fault => (fault === undefined ? undefined : `that ${fault}`);

function resourceContentsFault(value: JsonObject): Fault {
  return fieldsFault(value, { uri: 'string', 'mimeType?': 'string' }) ?? (typeof value.text === 'string' || typeof value.blob === 'string' ? undefined : 'has neither the string "text" nor the string "blob"');
}

/** The content block kinds of MCP 2026-07-28 (server/tools, "Tool Result"). */
const BLOCK_FIELDS: ReadonlyMap<unknown, Record<string, FieldType>> = new Map<unknown, Record<string, FieldType>>([
  ['text', { text: 'string' }],
  ['image', { data: 'string', mimeType: 'string' }],
  ['audio', { data: 'string', mimeType: 'string' }],
  ['resource', { resource: 'object' }],
  ['resource_link', { uri: 'string', name: 'string' }],
]);

function contentBlockFault(value: JsonObject): Fault {
  const fields = BLOCK_FIELDS.get(value.type);
  if (!fields) return `has the type ${JSON.stringify(value.type)}, which is no MCP content block`;
  const fault = fieldsFault(value, fields);
  if (fault !== undefined || !isJsonObject(value.resource)) return fault;
  const inner = resourceContentsFault(value.resource);
  return inner === undefined ? undefined : `holds a "resource" that ${inner}`;
}

/** One content block of a kind MCP defines, with the fields that kind requires (tool results, partial results). */
export const isContentBlock = (value: unknown): value is ContentBlock => isJsonObject(value) && contentBlockFault(value) === undefined;

/**
 * A checker for results of one shape: returns the result, typed, once `fault` finds nothing.
 * The type predicate stands for exactly that check, so no cast is needed.
 */
function resultShape<T>(fault: (result: JsonObject) => Fault): (method: string, result: JsonObject) => T {
  const fits = (result: JsonObject): result is JsonObject & T => fault(result) === undefined;
  return (method, result) => {
    if (fits(result)) return result;
    throw invalid(method, fault(result) ?? 'of the wrong shape', result);
  };
}

/** A checker for the items of a listing (`tools`, `resources`, …). */
function listShape<T>(itemFault: (item: JsonObject) => Fault): (method: string, page: JsonObject, field: string) => T[] {
  const fits = (item: unknown): item is T => isJsonObject(item) && itemFault(item) === undefined;
  return (method, page, field) => {
    const items = page[field];
    if (Array.isArray(items) && items.every(fits)) return items;
    throw invalid(method, itemsFault(page, field, itemFault) ?? 'of the wrong shape', page);
  };
}

export const callToolResult = resultShape<CallToolResult>((result) => itemsFault(result, 'content', contentBlockFault) ?? topLevel(fieldsFault(result, { 'isError?': 'boolean' })));

export const readResourceResult = resultShape<ReadResourceResult>((result) => itemsFault(result, 'contents', resourceContentsFault));

export const getPromptResult = resultShape<GetPromptResult>((result) =>
  itemsFault(result, 'messages', (message) => {
    if (message.role !== 'user' && message.role !== 'assistant') return `has the role ${JSON.stringify(message.role)}, not "user" or "assistant"`;
    if (!isJsonObject(message.content)) return 'has no object "content"';
    const fault = contentBlockFault(message.content);
    return fault === undefined ? undefined : `holds content that ${fault}`;
  }),
);

export const completeResult = resultShape<CompleteResult>((result) => {
  const { completion } = result;
  if (!isJsonObject(completion)) return topLevel(fieldsFault(result, { completion: 'object' }));
  const fault = fieldsFault(completion, { values: 'array', 'total?': 'number', 'hasMore?': 'boolean' });
  if (fault !== undefined) return `whose "completion" ${fault}`;
  return Array.isArray(completion.values) && completion.values.every((value) => typeof value === 'string') ? undefined : 'whose "completion.values" are not all strings';
});

export const toolList = listShape<Tool>((tool) => fieldsFault(tool, { name: 'string', inputSchema: 'object' }));
export const resourceList = listShape<Resource>((resource) => fieldsFault(resource, { uri: 'string', name: 'string' }));
export const resourceTemplateList = listShape<ResourceTemplate>((template) => fieldsFault(template, { uriTemplate: 'string', name: 'string' }));
export const promptList = listShape<Prompt>((prompt) => fieldsFault(prompt, { name: 'string', 'arguments?': 'array' }));

const isImplementation = (value: JsonObject): value is JsonObject & Implementation => fieldsFault(value, { name: 'string', version: 'string' }) === undefined;

/** `serverInfo` (2026 `_meta` or 2025 `initialize`): absent stays absent; present, it must name the server and its version. */
export function serverInfo(method: string, result: JsonObject, value: unknown): Implementation | undefined {
  if (value === undefined) return undefined;
  if (isJsonObject(value) && isImplementation(value)) return value;
  throw invalid(method, `whose "serverInfo" ${isJsonObject(value) ? fieldsFault(value, { name: 'string', version: 'string' }) : 'is not an object'}`, result);
}

/** A required array of strings such as `supportedVersions`. */
export function stringList(method: string, result: JsonObject, field: string): string[] {
  const value = result[field];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw invalid(method, Array.isArray(value) ? `whose "${field}" are not all strings` : `that ${fieldsFault(result, { [field]: 'array' })}`, result);
}

/** The filter a server acknowledges for `subscriptions/listen`: boolean flags and the resource URIs it watches. */
export function isListenFilter(value: unknown): value is ListenFilter {
  if (!isJsonObject(value)) return false;
  const flags = fieldsFault(value, { 'toolsListChanged?': 'boolean', 'promptsListChanged?': 'boolean', 'resourcesListChanged?': 'boolean', 'resourceSubscriptions?': 'array' });
  const uris = value.resourceSubscriptions;
  return flags === undefined && (uris === undefined || (Array.isArray(uris) && uris.every((uri) => typeof uri === 'string')));
}
