// The client's answers to what a server asks of it: elicitation, sampling and roots. The same
// handlers answer 2026 MRTR input requests and 2025 server-to-client requests, and decide which
// client capabilities each request declares.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import type {
  ClientCapabilities,
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestParams,
  ElicitResult,
  ListRootsResult,
  Root,
} from '../protocol/types.ts';
import { McpClientError } from './errors.ts';

export interface InputContext {
  signal: AbortSignal;
  /** The call that needs the input (`tools/call`, …) and its tool, prompt or resource. */
  method: string;
  name: string | undefined;
}

export interface InputHandlers {
  elicitation?: (params: ElicitRequestParams, context: InputContext) => ElicitResult | Promise<ElicitResult>;
  sampling?: (params: CreateMessageRequestParams, context: InputContext) => CreateMessageResult | Promise<CreateMessageResult>;
  roots?: (context: InputContext) => Root[] | ListRootsResult | Promise<Root[] | ListRootsResult>;
}

/** 2026-07-28: capabilities are declared per request, so they follow the handlers that are set. */
export function capabilitiesFor(handlers: InputHandlers): ClientCapabilities {
  const capabilities: ClientCapabilities = {};
  if (handlers.elicitation) capabilities.elicitation = {};
  if (handlers.sampling) capabilities.sampling = {};
  if (handlers.roots) capabilities.roots = {};
  return capabilities;
}

const HANDLER_FOR: Record<string, keyof InputHandlers> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

const isElicitParams = (params: JsonObject): params is JsonObject & ElicitRequestParams =>
  typeof params.message === 'string' && (params.mode === undefined || params.mode === 'form' || params.mode === 'url');
const isSamplingParams = (params: JsonObject): params is JsonObject & CreateMessageRequestParams => Array.isArray(params.messages) && typeof params.maxTokens === 'number';

/** The request's params under their MCP type once `fits` holds, so a handler never sees a malformed request. */
function checkedParams<T>(method: string, params: JsonObject, fits: (params: JsonObject) => params is JsonObject & T, needs: string): T {
  if (fits(params)) return params;
  throw new McpClientError('INVALID_RESPONSE', `The server asked for ${method} with params that lack ${needs}: ${JSON.stringify(params).slice(0, 200)}. The server is not following MCP; report it to its operator.`);
}

/** Runs the handler for one server request; throws INPUT_REQUIRED when there is none. */
export async function answerInputRequest(handlers: InputHandlers, method: string, params: unknown, context: InputContext): Promise<JsonObject> {
  const kind = HANDLER_FOR[method];
  const args = isJsonObject(params) ? params : {};
  if (kind === 'elicitation' && handlers.elicitation) return { ...(await handlers.elicitation(checkedParams(method, args, isElicitParams, 'the string "message"'), context)) };
  if (kind === 'sampling' && handlers.sampling) return { ...(await handlers.sampling(checkedParams(method, args, isSamplingParams, 'the array "messages" and the number "maxTokens"'), context)) };
  if (kind === 'roots' && handlers.roots) {
    const roots = await handlers.roots(context);
    return Array.isArray(roots) ? { roots } : { ...roots };
  }
  const option = kind ? `set the "${kind}" input handler` : 'this client cannot answer it';
  throw new McpClientError('INPUT_REQUIRED', `The server asked for ${method} while running ${context.method}${context.name ? ` ${context.name}` : ''}; ${option}.`);
}

/** MRTR: answers every entry of `inputRequests`, one at a time (a user may be answering them). */
export async function answerInputRequests(handlers: InputHandlers, requests: JsonObject, context: InputContext): Promise<JsonObject> {
  const responses: JsonObject = {};
  for (const [key, request] of Object.entries(requests)) {
    if (!isJsonObject(request) || typeof request.method !== 'string') {
      throw new McpClientError('INVALID_RESPONSE', `inputRequests["${key}"] is not a request ({method, params}).`);
    }
    responses[key] = await answerInputRequest(handlers, request.method, request.params, context);
  }
  return responses;
}

/**
 * An elicitation answer that takes every default the requested schema offers (SEP-1034): what a
 * user who just presses "accept" sends.
 */
export function acceptDefaults(params: ElicitRequestParams, answers: JsonObject = {}): ElicitResult {
  const content: JsonObject = {};
  const properties = isJsonObject(params.requestedSchema?.properties) ? params.requestedSchema.properties : {};
  for (const [name, schema] of Object.entries(properties)) {
    if (isJsonObject(schema) && schema.default !== undefined) content[name] = schema.default;
  }
  return { action: 'accept', content: { ...content, ...answers } as Record<string, string> };
}
