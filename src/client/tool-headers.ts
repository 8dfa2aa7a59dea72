// `x-mcp-header` on tool input schemas (SEP-2243): which argument values a client mirrors into
// `Mcp-Param-{Name}` headers, and which declarations are invalid (the tool is then dropped).
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import { encodeHeaderValue } from './header-values.ts';

export interface HeaderParam {
  /** The header name after `Mcp-Param-`, as the schema spells it. */
  name: string;
  /** Property names from the arguments root to the value. */
  path: string[];
}

export type ToolHeaderVerdict = { ok: true; params: HeaderParam[] } | { ok: false; reason: string };

// RFC 9110 token: the only characters a header name may carry.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE = new Set(['string', 'integer', 'boolean']);
const KEYWORD = 'x-mcp-header';

/**
 * Valid declarations sit on a primitive property reached only through `properties` chains; any
 * other placement (items, $defs, oneOf, …), an empty or non-token name, a `number`, or a name
 * repeated case-insensitively makes the whole tool invalid.
 */
export function analyseToolHeaders(inputSchema: unknown): ToolHeaderVerdict {
  const params: HeaderParam[] = [];
  const problems: string[] = [];

  const visit = (node: unknown, path: string[] | undefined, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, undefined, `${where}[${index}]`));
      return;
    }
    if (!isJsonObject(node)) return;
    if (KEYWORD in node) declare(node, path, where);
    for (const [key, value] of Object.entries(node)) {
      if (key === KEYWORD) continue;
      if (key === 'properties' && isJsonObject(value)) {
        // Keys of `properties` are property names, not keywords: only their schemas are walked.
        for (const [property, schema] of Object.entries(value)) visit(schema, path && [...path, property], `${where}.properties.${property}`);
      } else {
        visit(value, undefined, `${where}.${key}`);
      }
    }
  };

  const declare = (schema: JsonObject, path: string[] | undefined, where: string): void => {
    const name = schema[KEYWORD];
    if (path === undefined || path.length === 0) problems.push(`${where}: x-mcp-header is only allowed on properties reached through "properties"`);
    else if (typeof name !== 'string' || name === '') problems.push(`${where}: x-mcp-header must be a non-empty string`);
    else if (!TOKEN.test(name)) problems.push(`${where}: x-mcp-header "${name}" is not an HTTP token (letters, digits and !#$%&'*+-.^_\`|~)`);
    else if (typeof schema.type !== 'string' || !PRIMITIVE.has(schema.type)) problems.push(`${where}: x-mcp-header needs type string, integer or boolean`);
    else params.push({ name, path });
  };

  visit(inputSchema, [], 'inputSchema');
  const seen = new Set<string>();
  for (const { name } of params) {
    if (seen.has(name.toLowerCase())) problems.push(`x-mcp-header "${name}" is declared twice (names are case-insensitive)`);
    seen.add(name.toLowerCase());
  }
  return problems.length > 0 ? { ok: false, reason: problems.join('; ') } : { ok: true, params };
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = isJsonObject(node) ? node[key] : undefined;
  return node;
}

/** `Mcp-Param-*` headers for one call; null and absent values are omitted (MUST). */
export function paramHeaders(params: readonly HeaderParam[], args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { name, path } of params) {
    const value = valueAt(args, path);
    if (typeof value === 'string') headers[`Mcp-Param-${name}`] = encodeHeaderValue(value);
    else if (typeof value === 'number' || typeof value === 'boolean') headers[`Mcp-Param-${name}`] = String(value);
  }
  return headers;
}
