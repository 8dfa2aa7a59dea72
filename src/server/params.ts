// Reading a request's params: the checks every method family shares, each failing with the
// InvalidParams message that tells the client what to send instead.
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';

export function invalidParams(message: string, data?: unknown): McpError {
  return new McpError(ErrorCode.InvalidParams, message, data);
}

export function requireString(params: JsonObject, field: string, what: string): string {
  const value = params[field];
  if (typeof value !== 'string' || value === '') throw invalidParams(`params.${field} must be a non-empty string naming the ${what}.`);
  return value;
}

/** Prompt arguments, and completion context arguments, are strings by name (server/prompts, server/utilities/completion). */
export function requireStrings(value: JsonObject, what: string): Record<string, string> {
  for (const name of Object.keys(value)) {
    if (typeof value[name] !== 'string') throw invalidParams(`${what} must map argument names to strings; ${JSON.stringify(name)} is not a string.`);
  }
  return value as Record<string, string>;
}

const NO_META: JsonObject = Object.freeze({});

/** The request's `_meta`, or an empty one (shared and frozen: most requests send none). */
export function metaOf(params: JsonObject): JsonObject {
  return isJsonObject(params._meta) ? params._meta : NO_META;
}
