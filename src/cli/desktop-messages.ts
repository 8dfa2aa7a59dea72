// What the desktop client sends the bridge, checked before it is typed: its answers to the
// remote's input requests, and the completion request it makes. A message of the wrong shape is
// refused here, with what is wrong, instead of reaching the remote as if it were right.
import { McpClientError } from '../client/index.ts';
import type { CompletionReference } from '../client/index.ts';
import { ErrorCode, isJsonObject } from '../protocol/jsonrpc.ts';
import type { CreateMessageResult, ElicitResult, ListRootsResult, Root } from '../protocol/types.ts';

const isString = (value: unknown): value is string => typeof value === 'string';
const isOptionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';
const isStringRecord = (value: unknown): value is Record<string, string> => isJsonObject(value) && Object.values(value).every(isString);

export function isElicitResult(value: unknown): value is ElicitResult {
  return isJsonObject(value) && (value.action === 'accept' || value.action === 'decline' || value.action === 'cancel') && (value.content === undefined || isJsonObject(value.content));
}

export function isCreateMessageResult(value: unknown): value is CreateMessageResult {
  return isJsonObject(value) && (value.role === 'user' || value.role === 'assistant') && value.content !== undefined && isString(value.model) && isOptionalString(value.stopReason);
}

const isRoot = (value: unknown): value is Root => isJsonObject(value) && isString(value.uri) && isOptionalString(value.name);

export function isListRootsResult(value: unknown): value is ListRootsResult {
  return isJsonObject(value) && Array.isArray(value.roots) && value.roots.every(isRoot);
}

/** The desktop's answer to `method`, if it has the result's shape; otherwise an error naming the field to fix. */
export function checkedAnswer<T>(method: string, answer: unknown, is: (value: unknown) => value is T, shape: string): T {
  if (is(answer)) return answer;
  throw new McpClientError('PROTOCOL_ERROR', `The desktop client answered ${method} with a result that is not ${shape}; fix the client's ${method} handler.`, { rpcCode: ErrorCode.InternalError });
}

export interface CompletionParams {
  ref: CompletionReference;
  argument: { name: string; value: string };
  context?: { arguments: Record<string, string> };
}

function isCompletionReference(value: unknown): value is CompletionReference {
  return isJsonObject(value) && ((value.type === 'ref/prompt' && isString(value.name)) || (value.type === 'ref/resource' && isString(value.uri)));
}

/** `completion/complete` params from the desktop, or InvalidParams naming what is wrong. */
export function completionParams(params: Record<string, unknown>): CompletionParams {
  const { ref, argument, context } = params;
  const invalid = (what: string) => new McpClientError('PROTOCOL_ERROR', `Invalid completion/complete params: ${what}.`, { rpcCode: ErrorCode.InvalidParams });
  if (!isCompletionReference(ref)) throw invalid('ref must be { type: "ref/prompt", name } or { type: "ref/resource", uri }');
  if (!isJsonObject(argument) || !isString(argument.name) || !isString(argument.value)) throw invalid('argument must be { name, value } with string values');
  if (context === undefined) return { ref, argument: { name: argument.name, value: argument.value } };
  if (!isJsonObject(context) || !isStringRecord(context.arguments)) throw invalid('context must be { arguments } with string values');
  return { ref, argument: { name: argument.name, value: argument.value }, context: { arguments: context.arguments } };
}
