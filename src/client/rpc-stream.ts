// Reads one response body as JSON-RPC: notifications and (2025 lane) server requests are handed
// on as they arrive; the response to our request ends the read, which closes the stream. That
// response is checked before anyone uses it: a broken or hostile server gets a clear error, never
// a success made of whatever it sent.
import { classifyMessage, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonRpcId, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import { McpClientError } from './errors.ts';
import { readMessages } from './message-reader.ts';
import type { StreamCursor } from './message-reader.ts';

export interface StreamListener {
  /** A returned promise holds the read (and with it the server, through flow control) until it settles. */
  notification(message: JsonRpcNotification): void | Promise<void>;
  /** Only the 2025 lane: servers of 2026-07-28 MUST NOT send requests on a response stream. */
  request?(message: JsonRpcRequest): Promise<void>;
}

const excerpt = (value: unknown) => JSON.stringify(value).slice(0, 200);

/** The response checked field by field (JSON-RPC 2.0 §5, §5.1) and rebuilt under our id, or what is wrong with it. */
function responseOf(value: object, id: JsonRpcId): JsonRpcResponse | string {
  const hasResult = 'result' in value;
  if (hasResult === 'error' in value) return 'a response carries exactly one of "result" and "error"';
  if ('result' in value) return isJsonObject(value.result) ? { jsonrpc: '2.0', id, result: value.result } : '"result" must be an object';
  const error = 'error' in value ? value.error : undefined;
  if (!isJsonObject(error)) return '"error" must be an object';
  const { code, message, data } = error;
  if (typeof code !== 'number' || !Number.isInteger(code)) return '"error.code" must be an integer';
  if (typeof message !== 'string') return '"error.message" must be a string';
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

function checked(value: object, id: JsonRpcId): JsonRpcResponse {
  const response = responseOf(value, id);
  if (typeof response === 'string') {
    throw new McpClientError('INVALID_RESPONSE', `The server answered request ${JSON.stringify(id)} with a malformed JSON-RPC response (${response}): ${excerpt(value)}. The server is not following MCP; report it to its operator.`);
  }
  return response;
}

/** The response for `id`, or undefined when the stream ended without one. */
export async function awaitResponse(response: Response, id: JsonRpcId, listener: StreamListener, maxMessageBytes: number, cursor?: StreamCursor): Promise<JsonRpcResponse | undefined> {
  for await (const value of readMessages(response, cursor, maxMessageBytes)) {
    // An error without an id can only be about the one request this stream carries.
    if (isJsonObject(value) && 'error' in value && (value.id === undefined || value.id === null)) return checked(value, id);
    const message = classifyMessage(value);
    switch (message.kind) {
      case 'response':
        if (message.message.id === id) return checked(message.message, id);
        break; // a late answer to something we no longer wait for
      case 'notification':
        await listener.notification(message.message);
        break;
      case 'request':
        await listener.request?.(message.message);
        break;
      case 'invalid':
        throw new McpClientError('INVALID_RESPONSE', `The server sent an invalid JSON-RPC message (${message.reason}): ${excerpt(value)}`);
    }
  }
  return undefined;
}
