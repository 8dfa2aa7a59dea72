// completion/complete: the completer a prompt or resource template registered for one argument.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcRequest } from '../protocol/jsonrpc.ts';
import type { MethodDeps } from './deps.ts';
import { plainContext } from './input-round.ts';
import type { RequestEnv } from './outbox.ts';
import { invalidParams, requireStrings } from './params.ts';
import type { Completer } from './registry.ts';
import { guard } from './report.ts';
import { gate } from './scopes.ts';

const MAX_VALUES = 100;

/** A completer the prompt or template registered for this argument: own entries only, never what every object inherits. */
function completerFor(completers: Readonly<Record<string, Completer>>, argument: string): Completer | undefined {
  return Object.hasOwn(completers, argument) ? completers[argument] : undefined;
}

function completersOf(deps: MethodDeps, ref: JsonObject, env: RequestEnv): Readonly<Record<string, Completer>> {
  const { catalog } = deps;
  const { covers } = deps.lists.settings;
  if (ref.type === 'ref/prompt') {
    const name = ref.name;
    if (typeof name !== 'string') throw invalidParams('params.ref.name must be a string naming the prompt whose argument to complete.');
    const prompt = catalog.prompts.get(name);
    if (!prompt) throw invalidParams(`Unknown prompt "${name}" in completion ref. Call prompts/list to see the available prompts.`);
    gate(prompt, env.principal, covers, `prompt "${prompt.name}"`);
    return prompt.complete;
  }
  if (ref.type === 'ref/resource') {
    const uri = ref.uri;
    if (typeof uri !== 'string') throw invalidParams('params.ref.uri must be a string: the URI template whose variable to complete.');
    const template = catalog.templates.find((t) => t.template.uriTemplate === uri);
    if (!template) throw invalidParams(`Unknown resource template "${uri}" in completion ref. Call resources/templates/list to see the available templates.`);
    gate(template, env.principal, covers, `resource template ${template.template.uriTemplate}`);
    return template.template.complete;
  }
  throw invalidParams('params.ref.type must be "ref/prompt" or "ref/resource".');
}

export async function complete(deps: MethodDeps, request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
  const { ref, argument } = params;
  if (!isJsonObject(ref) || !isJsonObject(argument) || typeof argument.name !== 'string' || typeof argument.value !== 'string') {
    throw invalidParams('completion/complete needs params.ref ({type:"ref/prompt",name} or {type:"ref/resource",uri}) and params.argument {name, value}.');
  }
  const completer = completerFor(completersOf(deps, ref, env), argument.name);
  const context = isJsonObject(params.context) && isJsonObject(params.context.arguments) ? requireStrings(params.context.arguments, 'params.context.arguments') : {};
  const value = argument.value;
  const values = completer ? await guard(deps.report, request, async () => completer(value, { arguments: context }, plainContext(deps.round, request, params, env))) : [];
  const completion: JsonObject = { values: values.slice(0, MAX_VALUES) };
  if (values.length > MAX_VALUES) Object.assign(completion, { total: values.length, hasMore: true });
  return { completion };
}
