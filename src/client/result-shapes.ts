// Checks the fields a result must have before the client hands it out under an MCP type: a
// broken or hostile server becomes INVALID_RESPONSE naming what is missing, not a value that
// fails far from the cause (or, worse, prints as an empty success).
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import { McpClientError } from './errors.ts';

function missing(method: string, field: string, kind: string, result: JsonObject): McpClientError {
  const excerpt = JSON.stringify(result).slice(0, 200);
  return new McpClientError('INVALID_RESPONSE', `${method} returned a result without ${kind} "${field}": ${excerpt}. The server is not following MCP; report it to its operator.`);
}

export function requireArray(method: string, result: JsonObject, field: string): unknown[] {
  const value = result[field];
  if (!Array.isArray(value)) throw missing(method, field, 'the array', result);
  return value;
}

export function requireObject(method: string, result: JsonObject, field: string): JsonObject {
  const value = result[field];
  if (!isJsonObject(value)) throw missing(method, field, 'the object', result);
  return value;
}
