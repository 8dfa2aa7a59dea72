// The MCP semantic conventions for OpenTelemetry (status: Development), as followed here:
// docs/gen-ai/mcp.md of open-telemetry/semantic-conventions at commit
// 7b0c0fe1e6d7b7fc857ba496aad7919e368453e7, its last revision before the GenAI conventions moved to
// open-telemetry/semantic-conventions-genai. Span name, attributes and error classes for one request,
// the same on both sides of the wire.
import type { Attributes } from '@opentelemetry/api';
import type { JsonObject, JsonRpcResponse } from '../protocol/jsonrpc.ts';

/** Instrumentation scope of every span and instrument this library creates. */
export const SCOPE = 'stateless-mcp';

/** The ExplicitBucketBoundaries both operation-duration histograms SHOULD use, in seconds. */
export const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/** MCP 2026-07-28, server/tools: tool names SHOULD be 1 to 128 characters; longer names are no tool. */
const MAX_NAME = 128;
/** A bound on what a client's URI can put into a span. */
const MAX_URI = 1024;

const RESOURCE_METHODS = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

export interface Described {
  /** `{mcp.method.name} {target}`; the target is the tool or prompt name, never a URI (too many distinct values). */
  spanName: string;
  /** The metric's attributes: low-cardinality ones only. */
  common: Attributes;
  /** What the span adds: the resource URI (opt-in on the metric, so left off it). */
  spanOnly: Attributes;
}

/** A client's string, cut so a huge name cannot inflate every span and series that carries it. */
function bounded(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

export function describeRequest(method: string, params: JsonObject | undefined): Described {
  const common: Attributes = { 'mcp.method.name': method, 'network.protocol.name': 'http' };
  const spanOnly: Attributes = {};
  let spanName = method;
  const name = params?.name;
  if (method === 'tools/call') {
    common['gen_ai.operation.name'] = 'execute_tool';
    if (typeof name === 'string') {
      common['gen_ai.tool.name'] = bounded(name, MAX_NAME);
      spanName = `${method} ${common['gen_ai.tool.name']}`;
    }
  } else if (method === 'prompts/get' && typeof name === 'string') {
    common['gen_ai.prompt.name'] = bounded(name, MAX_NAME);
    spanName = `${method} ${common['gen_ai.prompt.name']}`;
  } else if (RESOURCE_METHODS.has(method) && typeof params?.uri === 'string') {
    spanOnly['mcp.resource.uri'] = bounded(params.uri, MAX_URI);
  }
  return { spanName, common, spanOnly };
}

/** How an operation ended, when it failed. */
export interface Failure {
  /** `error.type`: the JSON-RPC error code as a string, `tool_error` for an `isError` result, or the failure's own class. */
  type: string;
  /** `rpc.response.status_code`: the JSON-RPC error code, when the response carried one. */
  rpcCode?: string;
  /** The span status description: the JSON-RPC error message, when there is one. */
  message?: string;
}

/**
 * A JSON-RPC error is a failure named by its code; a tool result with `isError: true` is the
 * `tool_error` failure. `input_required` (MRTR) is no failure: the request completed as asked.
 */
export function failureOf(response: JsonRpcResponse): Failure | undefined {
  if ('error' in response) {
    const code = `${response.error.code}`;
    return { type: code, rpcCode: code, message: response.error.message };
  }
  return response.result.isError === true ? { type: 'tool_error' } : undefined;
}

/** The failure's attributes, for both the span and the metric. */
export function failureAttributes(failure: Failure): Attributes {
  const attributes: Attributes = { 'error.type': failure.type };
  if (failure.rpcCode !== undefined) attributes['rpc.response.status_code'] = failure.rpcCode;
  return attributes;
}
