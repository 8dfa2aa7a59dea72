// prompts/get: string arguments checked (and against the prompt's argsSchema), then the handler
// run through input rounds like a tool's.
import { formatIssues } from '../schema/compile.ts';
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcRequest } from '../protocol/jsonrpc.ts';
import type { MethodDeps } from './deps.ts';
import { roundResult, runRound } from './input-round.ts';
import type { RoundCall } from './input-round.ts';
import type { RequestEnv } from './outbox.ts';
import { invalidParams, requireStrings } from './params.ts';
import { guard } from './report.ts';
import { addressed } from './scopes.ts';

export async function getPrompt(deps: MethodDeps, request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
  const prompt = addressed(deps.catalog.prompts, 'prompt', params, env.principal, deps.lists.settings.covers);
  const { name } = prompt;
  const raw = params.arguments ?? {};
  if (!isJsonObject(raw)) throw invalidParams(`Invalid arguments for prompt "${name}": arguments must be an object of strings.`);
  let args: Record<string, unknown> = requireStrings(raw, `Invalid arguments for prompt "${name}": arguments`);
  if (prompt.args) {
    const checked = await prompt.args.validate(raw);
    if (!checked.ok) throw invalidParams(`Invalid arguments for prompt "${name}":\n${formatIssues(checked.issues)}`);
    args = checked.value as Record<string, unknown>;
  }
  const call: RoundCall = { env, requestId: request.id, method: request.method, name, args: raw, params, run: async (ctx) => ({ ...(await prompt.handler(args, ctx)) }) };
  const outcome = await guard(deps.report, request, () => runRound(deps.round, call));
  return roundResult(outcome);
}
