// Where failures inside the server go: the operator's `onError` hears the cause, the client only
// a generic message. One sink, made once from the options and handed down to whoever can fail.
import { ErrorCode, McpError } from '../protocol/jsonrpc.ts';
import type { JsonRpcId, JsonRpcRequest } from '../protocol/jsonrpc.ts';

/** `ServerOptions.onError`: what went wrong, and while answering which request. */
export type OnError = (error: unknown, info: { method: string; requestId: JsonRpcId }) => void;

/** Tells the operator about a failure while handling `method` (request `requestId`). Never throws. */
export type Report = (error: unknown, method: string, requestId: JsonRpcId) => void;

/** The default `onError`: our own errors by message, anything else with its stack. */
const logError: OnError = (error, info) => {
  const detail = error instanceof McpError ? error.message : error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error);
  console.error(`stateless-mcp: ${info.method} (request ${JSON.stringify(info.requestId)}) failed: ${detail}`);
};

export function createReport(onError: OnError = logError): Report {
  return (error, method, requestId) => {
    try {
      onError(error, { method, requestId });
    } catch {
      // An onError hook that throws must not turn a handled failure into a crash.
    }
  };
}

/** Runs a non-tool handler: an unexpected throw becomes a generic -32603, its cause goes to the report. */
export async function guard<T>(report: Report, request: JsonRpcRequest, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof McpError) throw error;
    report(error, request.method, request.id);
    throw new McpError(ErrorCode.InternalError, `Internal error while handling ${request.method}; the server operator can find the cause in its logs.`);
  }
}
