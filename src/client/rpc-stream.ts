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

/** What is wrong with a response's `result`/`error` (JSON-RPC 2.0 §5, §5.1), or undefined when it is well formed. */
function responseFault(value: Record<string, unknown>): string | undefined {
  const hasResult = 'result' in value;
  if (hasResult === 'error' in value) return 'a response carries exactly one of "result" and "error"';
  if (hasResult) return isJsonObject(value.result) ? undefined : '"result" must be an object';
  const { error } = value;
  if (!isJsonObject(error)) return '"error" must be an object';
  if (!Number.isInteger(error.code)) return '"error.code" must be an integer';
  return typeof error.message === 'string' ? undefined : '"error.message" must be a string';
}

function checked(value: Record<string, unknown>, id: JsonRpcId): JsonRpcResponse {
  const fault = responseFault(value);
  if (fault !== undefined) {
    throw new McpClientError('INVALID_RESPONSE', `The server answered request ${JSON.stringify(id)} with a malformed JSON-RPC response (${fault}): ${excerpt(value)}. The server is not following MCP; report it to its operator.`);
  }
  return { ...(value as unknown as JsonRpcResponse), id };
}

/** The response for `id`, or undefined when the stream ended without one. */
export async function awaitResponse(response: Response, id: JsonRpcId, listener: StreamListener, maxMessageBytes: number, cursor?: StreamCursor): Promise<JsonRpcResponse | undefined> {
  for await (const value of readMessages(response, cursor, maxMessageBytes)) {
    // An error without an id can only be about the one request this stream carries.
    if (isJsonObject(value) && 'error' in value && (value.id === undefined || value.id === null)) return checked(value, id);
    const message = classifyMessage(value);
    switch (message.kind) {
      case 'response':
        if (message.message.id === id) return checked(message.message as unknown as Record<string, unknown>, id);
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
