// tools/call: arguments checked against the tool's inputSchema, the handler run (through input
// rounds, maybe promoted to a task, its pieces streamed as partial results), its result checked
// against its outputSchema, and a repeat-safe call's result remembered.
import { formatIssues } from '../schema/compile.ts';
import type { ValidationResult } from '../schema/compile.ts';
import { ErrorCode, McpError, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcId, JsonRpcRequest } from '../protocol/jsonrpc.ts';
import { MetaKey } from '../protocol/revisions.ts';
import type { CallToolResult } from '../protocol/types.ts';
import type { HandlerContext } from './context.ts';
import type { MethodDeps } from './deps.ts';
import { openMemo } from './idempotency.ts';
import { InputRoundEndedError } from './input-requests.ts';
import { roundResult, runRound } from './input-round.ts';
import type { Promotion, RoundCall } from './input-round.ts';
import type { RequestEnv } from './outbox.ts';
import { metaOf } from './params.ts';
import { PartialResults, drainGenerator, isAsyncGenerator, partialResultToken } from './partial-results.ts';
import type { CompiledTool } from './registry.ts';
import type { Report } from './report.ts';
import { addressed } from './scopes.ts';
import { declaresTasks, missingTasksCapability } from './tasks.ts';
import type { Tasks } from './tasks.ts';

function toolError(text: string): CallToolResult & JsonObject {
  return { content: [{ type: 'text', text }], isError: true };
}

export async function callTool(deps: MethodDeps, request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
  const tool = addressed(deps.catalog.tools, 'tool', params, env.principal, deps.lists.settings.covers);
  const { name } = tool;
  const raw = params.arguments ?? {};
  if (!isJsonObject(raw)) return toolError(`Invalid arguments for tool "${name}": arguments must be a JSON object.`);
  let args: Record<string, unknown> = raw;
  if (tool.input) {
    // Most validators answer synchronously: awaiting only a promise saves a microtask per call.
    const pending = tool.input.validate(raw);
    const checked = pending instanceof Promise ? await pending : pending;
    if (!checked.ok) return toolError(`Invalid arguments for tool "${name}":\n${formatIssues(checked.issues)}`);
    args = checked.value as Record<string, unknown>;
  }
  const { report, round } = deps;
  const memo = tool.idempotency ? await openMemo(round.store, name, raw, env.idempotencyKey, env.principal?.subject, tool.idempotency) : undefined;
  if (memo?.replayed) return memo.replayed;
  const meta = metaOf(params);
  // Anything else that fails here (the store, sealing) is the server's problem: a generic -32603.
  const promotion = tool.taskSupport === 'forbidden' ? undefined : promotionOf(deps.tasks!, tool, meta, env);
  const outcome = await runRound(round, new ToolCall(report, tool, request, env, params, raw, args), promotion);
  if (outcome.kind === 'complete' && memo) await memo.remember(outcome.value);
  return roundResult(outcome);
}

/** One run of a tool's handler, as data: no closure per call. */
class ToolCall implements RoundCall {
  readonly #report: Report;
  readonly #tool: CompiledTool;
  readonly #validated: Record<string, unknown>;
  readonly #request: JsonRpcRequest;
  readonly requestId: JsonRpcId;
  readonly method: string;
  readonly name: string;
  readonly partials: PartialResults;

  constructor(
    report: Report,
    tool: CompiledTool,
    request: JsonRpcRequest,
    readonly env: RequestEnv,
    readonly params: JsonObject,
    readonly args: JsonObject,
    validated: Record<string, unknown>,
  ) {
    this.#report = report;
    this.#tool = tool;
    this.#validated = validated;
    this.#request = request;
    this.requestId = request.id;
    this.method = request.method;
    this.name = tool.name;
    this.partials = new PartialResults(env.outbox, partialResultToken(metaOf(params), env.era));
  }

  async run(ctx: HandlerContext): Promise<JsonObject> {
    const { partials } = this;
    const tool = this.#tool;
    let result: CallToolResult;
    try {
      const returned = tool.handler(this.#validated, ctx);
      result = partials.fold(isAsyncGenerator(returned) ? await drainGenerator(returned, (piece) => ctx.partial(piece), ctx.signal) : await returned);
    } catch (error) {
      // An MRTR run abandoned after input_required unwinds this way: no failure to report.
      if (error instanceof InputRoundEndedError) throw error;
      // 2025 has no -32021: there, a tool that asked for what the client never declared reports
      // it as a tool error, as the official 1.x SDK does, so the model reads why.
      const undeclared = error instanceof McpError && error.code === ErrorCode.MissingRequiredClientCapability && ctx.era === 'legacy';
      if (error instanceof McpError && !undeclared) throw error;
      this.#report(error, this.method, this.requestId);
      // A tool that throws becomes an isError result the model can read; only the message travels.
      result = partials.fold(toolError(error instanceof Error && error.message ? error.message : `Tool "${tool.name}" failed.`));
    }
    // Checked here, so a task stores the same result a direct answer would carry.
    return checkToolResult(this.#report, tool, result, this.#request);
  }
}

/** Whether and how soon this call may become a task; -32021 when it must and the client cannot. */
function promotionOf(tasks: Tasks, tool: CompiledTool, meta: JsonObject, env: RequestEnv): Promotion | undefined {
  if (env.era !== 'modern' || !declaresTasks(meta[MetaKey.clientCapabilities])) {
    if (tool.taskSupport === 'required') throw missingTasksCapability(`Tool "${tool.name}"`);
    return undefined;
  }
  const always = tool.taskSupport === 'required';
  return { tasks, afterMs: always ? 0 : tasks.promoteAfterMs, always };
}

/** Synchronous unless an outputSchema validates asynchronously: most calls skip a promise here. */
function checkToolResult(report: Report, tool: CompiledTool, result: CallToolResult, request: JsonRpcRequest): JsonObject | Promise<JsonObject> {
  if (!isJsonObject(result)) throw new McpError(ErrorCode.InternalError, `Tool "${tool.name}" returned no result object.`);
  const out: JsonObject = { ...result, content: result.content ?? [] };
  // Tools SHOULD mirror structured results as text for clients that only read content.
  if (result.structuredContent !== undefined && (out.content as unknown[]).length === 0) {
    out.content = [{ type: 'text', text: JSON.stringify(result.structuredContent) }];
  }
  if (!tool.output || result.isError) return out;
  if (result.structuredContent === undefined) throw toolFault(report, request, `Tool "${tool.name}" declares an outputSchema but returned no structuredContent.`);
  const verdict = (checked: ValidationResult): JsonObject => {
    if (checked.ok) return out;
    throw toolFault(report, request, `Tool "${tool.name}" returned structuredContent that does not match its outputSchema:\n${formatIssues(checked.issues)}`);
  };
  const checked = tool.output.validate(result.structuredContent);
  return checked instanceof Promise ? checked.then(verdict) : verdict(checked);
}

/** A tool's broken promise about its output is the server's bug: the operator hears of it too. */
function toolFault(report: Report, request: JsonRpcRequest, message: string): McpError {
  const error = new McpError(ErrorCode.InternalError, message);
  report(error, request.method, request.id);
  return error;
}
