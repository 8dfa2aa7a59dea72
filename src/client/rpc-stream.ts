// Reads one response body as JSON-RPC: notifications and (2025 lane) server requests are handed
// on as they arrive; the response to our request ends the read, which closes the stream.
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

/** The response for `id`, or undefined when the stream ended without one. */
export async function awaitResponse(response: Response, id: JsonRpcId, listener: StreamListener, cursor?: StreamCursor): Promise<JsonRpcResponse | undefined> {
  for await (const value of readMessages(response, cursor)) {
    // An error without an id can only be about the one request this stream carries.
    if (isJsonObject(value) && isJsonObject(value.error) && (value.id === undefined || value.id === null)) {
      return { ...(value as unknown as JsonRpcResponse), id };
    }
    const message = classifyMessage(value);
    switch (message.kind) {
      case 'response':
        if (message.message.id === id) return message.message;
        break; // a late answer to something we no longer wait for
      case 'notification':
        await listener.notification(message.message);
        break;
      case 'request':
        await listener.request?.(message.message);
        break;
      case 'invalid':
        throw new McpClientError('INVALID_RESPONSE', `The server sent an invalid JSON-RPC message (${message.reason}): ${JSON.stringify(value).slice(0, 200)}`);
    }
  }
  return undefined;
}
