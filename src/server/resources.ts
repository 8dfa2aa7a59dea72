// resources/read (an exact URI, else the first template that matches) and resources/list (the
// registered resources, then what templates with a `list` callback produce for this caller).
import { ErrorCode, McpError } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcRequest } from '../protocol/jsonrpc.ts';
import type { HandlerContext } from './context.ts';
import type { MethodDeps } from './deps.ts';
import { plainContext, roundResult, runRound } from './input-round.ts';
import type { RoundCall } from './input-round.ts';
import { cacheFields } from './lists.ts';
import type { RequestEnv } from './outbox.ts';
import { requireString } from './params.ts';
import { guard } from './report.ts';
import { allows, gate } from './scopes.ts';

export async function readResource(deps: MethodDeps, request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
  const uri = requireString(params, 'uri', 'resource');
  const { catalog, lists } = deps;
  const { covers } = lists.settings;
  const exact = catalog.resources.get(uri);
  let read: ((ctx: HandlerContext) => Promise<object>) | undefined;
  if (exact) {
    gate(exact, env.principal, covers, `resource ${uri}`);
    read = async (ctx) => exact.handler(new URL(uri), ctx);
  } else {
    for (const entry of catalog.templates) {
      const variables = entry.matcher.match(uri);
      if (variables) {
        gate(entry, env.principal, covers, `resource ${uri}`);
        read = async (ctx) => entry.handler(new URL(uri), variables, ctx);
        break;
      }
    }
  }
  if (!read) {
    // SEP-2164: 2026 reports an unknown resource as InvalidParams; 2025 used -32002.
    const code = env.era === 'modern' ? ErrorCode.InvalidParams : ErrorCode.ResourceNotFound;
    throw new McpError(code, `Resource not found: ${uri}. Call resources/list or resources/templates/list to see what can be read.`, { uri });
  }
  const found = read;
  const call: RoundCall = {
    env,
    requestId: request.id,
    method: request.method,
    name: uri,
    args: { uri },
    params,
    run: async (ctx) => ({ ...cacheFields(lists.settings, env), ...(await found(ctx)) }),
  };
  const outcome = await guard(deps.report, request, () => runRound(deps.round, call));
  return roundResult(outcome);
}

export async function listResources(deps: MethodDeps, request: JsonRpcRequest, params: JsonObject, env: RequestEnv): Promise<JsonObject> {
  const { catalog, lists } = deps;
  const listing = catalog.templates.filter((t) => t.template.list && allows(t, env.principal, lists.settings.covers));
  if (listing.length === 0) return lists.page('resources', catalog.resourceList(), params.cursor, env);
  const ctx = plainContext(deps.round, request, params, env);
  const produced = await Promise.all(listing.map((t) => t.template.list!(ctx)));
  return lists.page('resources', catalog.resourceList(), params.cursor, env, { sources: listing, items: produced.flat() });
}
