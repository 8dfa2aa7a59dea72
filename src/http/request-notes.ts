// What the POST handler tells whoever observes the requests it serves — the request log, and
// telemetry — without knowing either: a notes object its caller passes down and reads afterwards.
import type { JsonRpcRequest, JsonRpcResponse } from '../protocol/jsonrpc.ts';

export interface RequestNotes {
  method?: string;
  name?: string;
  protocolVersion?: string;
  errorCode?: number;
  /** A streamed response: settles when its last message is written. */
  finished?: Promise<unknown>;
  /** The request once it is routed to a lane: its id and `_meta` (trace context), for telemetry. Never logged. */
  message?: JsonRpcRequest;
  /**
   * Set by an observer that must be around each dispatch (the one request, or each of a batch):
   * telemetry runs `run` inside the request's span and reads its response.
   */
  dispatch?: (message: JsonRpcRequest, protocolVersion: string, run: () => Promise<JsonRpcResponse>) => Promise<JsonRpcResponse>;
}

export function noteRequest(notes: RequestNotes | undefined, message: JsonRpcRequest, protocolVersion: string): void {
  if (!notes) return;
  notes.method = message.method;
  notes.protocolVersion = protocolVersion;
  notes.message = message;
  const params = message.params;
  const name = params?.name ?? params?.uri;
  if (typeof name === 'string') notes.name = name.length > 120 ? `${name.slice(0, 117)}...` : name;
}
