// The REST face: `POST <base>/tools/<name>` calls a tool with the JSON body as its arguments, and
// `GET <base>/openapi.json` describes every tool the caller may call. Each request goes through
// the MCP endpoint's own POST handler as the tools/call or tools/list it stands for, so Host and
// Origin checks, Content-Type, body size, auth, scopes, limits and the time limit are the
// endpoint's own, in the endpoint's order; the JSON-RPC answer is then read back as REST.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { deadlineOf, waitUntilOf } from '../http/app.ts';
import { readBody } from '../http/checks.ts';
import { DEFAULT_MAX_BODY } from '../http/handler.ts';
import type { Platform } from '../http/handler.ts';
import { mcpCors, mcpGuard } from '../http/middleware.ts';
import type { McpEndpoint } from '../http/options.ts';
import { withRequestLog } from '../http/request-log.ts';
import { ErrorCode, isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject, JsonRpcResponse } from '../protocol/jsonrpc.ts';
import { MetaKey } from '../protocol/revisions.ts';
import type { RegisteredTool } from '../server/registry.ts';
import { endpointRequest, responseOf, toolsCall, toolsList, unparsed } from './forward.ts';
import { openApiDocument } from './openapi.ts';
import { jsonPointer, problem } from './problem.ts';
import type { Problem } from './problem.ts';

type JsonRpcError = Extract<JsonRpcResponse, { error: unknown }>['error'];

interface ToolCall extends Platform {
  name: string;
}

const NOT_JSON = Symbol('not JSON');

/** An empty body calls a tool without arguments. */
function argumentsOf(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** What is wrong with the arguments, by the same validator tools/call uses; undefined when nothing is. */
async function problemsWith(tool: RegisteredTool | undefined, args: unknown): Promise<Problem[] | undefined> {
  if (!isJsonObject(args)) return [{ path: '', message: "must be a JSON object holding the tool's arguments" }];
  if (!tool?.input) return undefined;
  const checked = await tool.input.validate(args);
  return checked.ok ? undefined : checked.issues.map((issue) => ({ path: jsonPointer(issue.path), message: issue.message }));
}

/** The capabilities a -32021 error says the caller lacks, by name. */
function missingCapabilities(data: unknown): string {
  const required = isJsonObject(data) && isJsonObject(data.requiredCapabilities) ? data.requiredCapabilities : {};
  const names = Object.entries(required).flatMap(([name, value]) => (name === 'extensions' && isJsonObject(value) ? Object.keys(value) : [name]));
  return names.length > 0 ? names.join(', ') : 'a client capability';
}

/** A CallToolResult as REST returns it: without the MCP envelope fields dispatch adds. */
function plainResult(result: JsonObject): JsonObject {
  const { resultType: _, _meta, ...rest } = result;
  if (!isJsonObject(_meta)) return rest;
  const { [MetaKey.serverInfo]: _info, ...meta } = _meta;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}

export function restRoutes(base: string, endpoint: McpEndpoint): Hono {
  const { server, path, options } = endpoint;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const toolPath = `${base}/tools/:name`;
  const documentPath = `${base}/openapi.json`;

  /** A refusal (the endpoint's, or the body reader's) with its status and headers, as a problem. */
  const refused = (answer: Response, error: JsonRpcError): Response => problem(answer.status === 200 ? (error.code === ErrorCode.InternalError ? 500 : 400) : answer.status, error.message, {}, answer.headers);

  async function invalidArguments(name: string, tool: RegisteredTool | undefined, args: unknown): Promise<Response | undefined> {
    const errors = await problemsWith(tool, args);
    if (!errors) return undefined;
    const listed = errors.map((p) => `${p.path || '(body)'}: ${p.message}`).join('; ');
    return problem(400, `Invalid arguments for tool "${name}": ${listed}. Fix them and send the call again.`, { errors });
  }

  async function failure(answer: Response, error: JsonRpcError, name: string, args: unknown): Promise<Response> {
    const tool = server.tool(name);
    if (!tool && (error.code === ErrorCode.InvalidParams || error.code === ErrorCode.MethodNotFound)) {
      return problem(404, `Unknown tool "${name}". GET ${documentPath} lists the tools you may call.`);
    }
    if (error.code === ErrorCode.MissingRequiredClientCapability) {
      return problem(422, `Tool "${name}" needs an MCP client (${missingCapabilities(error.data)}): it asks its caller for input or runs as a task, which a plain HTTP call cannot do. Call it through the MCP endpoint, POST ${path}.`);
    }
    // The endpoint compares Mcp-Param-* headers with the arguments before it validates them: a
    // mismatch there means arguments of the wrong type, which the validator names precisely.
    if (error.code === ErrorCode.HeaderMismatch) return (await invalidArguments(name, tool, args)) ?? refused(answer, error);
    return refused(answer, error);
  }

  async function callTool(request: Request, { name, ...platform }: ToolCall): Promise<Response> {
    const text = await readBody(request, maxBody);
    if (text instanceof Response) {
      const response = await responseOf(text);
      return response && 'error' in response ? refused(text, response.error) : text;
    }
    const args = argumentsOf(text);
    const forward = args === NOT_JSON ? unparsed(text, name) : toolsCall(server, name, args);
    const answer = await endpoint.handle(endpointRequest(request, path, forward), platform);
    const response = await responseOf(answer);
    if (!response) return answer;
    if ('error' in response) return failure(answer, response.error, name, args);
    // Dispatch answers invalid arguments with an isError result and never runs the handler, so
    // an isError result for arguments the validator rejects is that answer.
    if (response.result.isError === true) {
      const invalid = await invalidArguments(name, server.tool(name), args);
      if (invalid) return invalid;
    }
    return Response.json(plainResult(response.result));
  }

  async function describe(request: Request, platform: Platform): Promise<Response> {
    const listed: JsonObject[] = [];
    let cursor: string | undefined;
    do {
      const answer = await endpoint.handle(endpointRequest(request, path, toolsList(cursor), 'application/json'), platform);
      const response = await responseOf(answer);
      if (!response) return answer;
      if ('error' in response) {
        // A server without tools serves no tools/list: its document has no paths.
        if (response.error.code === ErrorCode.MethodNotFound) break;
        return refused(answer, response.error);
      }
      const { tools, nextCursor } = response.result;
      if (Array.isArray(tools)) listed.push(...tools.filter(isJsonObject));
      cursor = typeof nextCursor === 'string' ? nextCursor : undefined;
    } while (cursor !== undefined);
    const tools = listed.flatMap((definition) => {
      const tool = typeof definition.name === 'string' ? server.tool(definition.name) : undefined;
      // A tool that always runs as a task cannot answer a plain HTTP call.
      return tool && tool.taskSupport !== 'required' ? [{ definition, scopes: tool.scopes }] : [];
    });
    return Response.json(openApiDocument({ info: server.info, endpointPath: path, base, secured: options.auth !== undefined, tools }));
  }

  const call = endpoint.log ? withRequestLog(callTool, endpoint.log) : callTool;
  const document = endpoint.log ? withRequestLog(describe, endpoint.log) : describe;
  const platformOf = (c: Context) => ({ waitUntil: waitUntilOf(c), deadline: deadlineOf(c) });
  // The endpoint's own middleware: the same CORS answers, and preflights refused for a bad Host or Origin.
  const guard = mcpGuard(options);
  const cors = mcpCors(options);
  const app = new Hono();
  app.post(toolPath, cors, (c) => call(c.req.raw, { name: c.req.param('name') ?? '', ...platformOf(c) }));
  app.get(documentPath, cors, (c) => document(c.req.raw, platformOf(c)));
  app.options(toolPath, guard, cors);
  app.options(documentPath, guard, mcpCors(options, ['GET', 'OPTIONS']));
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], toolPath, cors, (c) =>
    problem(405, `${c.req.method} is not served here: POST the tool's arguments as a JSON object.`, {}, new Headers({ Allow: 'POST, OPTIONS' })),
  );
  return app;
}
