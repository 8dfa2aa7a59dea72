// A REST request as the MCP request it stands for: a 2026-07-28 `tools/call` or `tools/list` POST
// to the endpoint, carrying the caller's own headers (Host, Origin, Authorization, Content-Type,
// Idempotency-Key, …) so the endpoint's checks and gates judge the caller, not this face. The REST
// face is an in-process client of the endpoint, so it mirrors values into headers as a client must.
import { encodeHeaderValue } from '../client/header-values.ts';
import { paramHeaders } from '../client/tool-headers.ts';
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcErrorObject } from '../protocol/jsonrpc.ts';
import { MODERN_VERSION, MetaKey } from '../protocol/revisions.ts';
import type { McpServer } from '../server/server.ts';

/** The message of a request that declares no client capabilities: a REST caller cannot answer input requests or follow tasks. */
function message(method: string, params: JsonObject): string {
  const _meta = { [MetaKey.protocolVersion]: MODERN_VERSION, [MetaKey.clientCapabilities]: {} };
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta } });
}

export interface Forward {
  body: string;
  /** Headers the endpoint requires to mirror the body (SEP-2243). */
  mirror: Record<string, string>;
}

export function toolsCall(server: McpServer, name: string, args: unknown): Forward {
  const params = server.headerParams(name);
  const mirrored = params ? paramHeaders([...params].map(([header, { path }]) => ({ name: header, path: [...path] })), args) : {};
  return {
    body: message('tools/call', { name, arguments: args }),
    mirror: { 'mcp-method': 'tools/call', 'mcp-name': encodeHeaderValue(name), ...mirrored },
  };
}

export function toolsList(cursor: string | undefined): Forward {
  return { body: message('tools/list', cursor === undefined ? {} : { cursor }), mirror: { 'mcp-method': 'tools/list' } };
}

/**
 * A body that is not JSON goes to the endpoint as it came, so the endpoint answers it (after its
 * gates: a caller without a token hears 401 first, as on MCP) with its own parse error.
 */
export function unparsed(text: string, name: string): Forward {
  return { body: text, mirror: { 'mcp-method': 'tools/call', 'mcp-name': encodeHeaderValue(name) } };
}

/** The POST the endpoint receives for `original`, sent to the endpoint's path on the same origin. */
export function endpointRequest(original: Request, path: string, forward: Forward, contentType?: string): Request {
  const headers = new Headers(original.headers);
  // The caller's own MCP headers would only contradict the ones that mirror this body.
  for (const name of [...headers.keys()]) if (name.startsWith('mcp-') || name === 'content-length' || name === 'transfer-encoding') headers.delete(name);
  headers.set('accept', 'application/json, text/event-stream');
  headers.set('mcp-protocol-version', MODERN_VERSION);
  for (const [name, value] of Object.entries(forward.mirror)) headers.set(name, value);
  if (contentType) headers.set('content-type', contentType);
  return new Request(new URL(path, original.url), { method: 'POST', headers, body: forward.body, signal: original.signal });
}

/** What a JSON-RPC response in an endpoint answer carries: its result or its error. */
export type EndpointOutcome = { result: JsonObject } | { error: JsonRpcErrorObject };

/** The JSON-RPC outcome in an endpoint answer; undefined for any other body (e.g. a custom auth gate's). */
export async function responseOf(answer: Response): Promise<EndpointOutcome | undefined> {
  if (!answer.headers.get('content-type')?.startsWith('application/json')) return undefined;
  const body: unknown = await answer.clone().json().catch(() => undefined);
  if (!isJsonObject(body) || body.jsonrpc !== '2.0') return undefined;
  if (isJsonObject(body.result)) return { result: body.result };
  const { error } = body;
  if (!isJsonObject(error) || typeof error.code !== 'number' || typeof error.message !== 'string') return undefined;
  return { error: error.data === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, data: error.data } };
}
