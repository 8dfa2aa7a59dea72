// The REST/OpenAPI face on a real server on loopback: the demo's tools as POST /tools/<name>, its
// /openapi.json valid OpenAPI 3.1 (checked with @readme/openapi-parser), every error as problem
// details, and the MCP endpoint's checks and gates (Content-Type, Host, Origin, auth, scopes)
// answering REST calls exactly as they answer MCP calls.
import { compileErrors, validate } from '@readme/openapi-parser';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyVerifier, createBearerAuth } from '../../src/auth/index.ts';
import { createDemoApp } from '../../src/demo/app.ts';
import { createMcpApp } from '../../src/http/index.ts';
import type { RequestLogEntry } from '../../src/http/index.ts';
import { createServer, jsonSchema, rest } from '../../src/index.ts';
import { createAuthMcpServer } from '../fixtures/auth-mcp-server.ts';
import { post } from '../support/raw-client.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const PROBLEM = 'application/problem+json';

function restPost(served: Served, path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${served.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

function restGet(served: Served, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${served.port}${path}`, { headers });
}

/** Parses a JSON answer and checks the OpenAPI document with the validator from npm (which dereferences a copy). */
async function validDocument(response: Response): Promise<Record<string, any>> {
  expect(response.status).toBe(200);
  const document = (await response.json()) as Record<string, any>;
  const verdict = await validate(structuredClone(document) as never);
  expect(verdict.valid ? '' : compileErrors(verdict)).toBe('');
  expect(verdict).toMatchObject({ valid: true, warnings: [], specification: 'OpenAPI' });
  return document;
}

/** fetch will not send its own Host header; this does, to see the DNS-rebinding refusal. */
function postWithHost(served: Served, path: string, host: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`http://127.0.0.1:${served.port}${path}`, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.once('error', reject);
    req.end(body);
  });
}

describe('the demo REST face', () => {
  let served: Served;
  const entries: RequestLogEntry[] = [];

  beforeAll(async () => {
    served = await serveApp((options) => createDemoApp({ ...options, log: (entry) => entries.push(entry) }));
  });
  afterAll(() => served.close());

  it('serves /openapi.json as valid OpenAPI 3.1, made from the schemas tools/list serves', async () => {
    const document = await validDocument(await restGet(served, '/openapi.json'));
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'stateless-mcp demo', version: '0.1.0' });
    const listed = (await (await post(served.url, 'tools/list')).json()).result.tools as Record<string, any>[];
    expect(Object.keys(document.paths).sort()).toEqual(listed.map((tool) => `/tools/${tool.name}`).sort());
    const add = listed.find((tool) => tool.name === 'add')!;
    const operation = document.paths['/tools/add'].post;
    expect(operation).toMatchObject({ operationId: 'add', summary: 'Add', description: add.description });
    expect(operation.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/add.arguments' });
    expect(document.components.schemas['add.arguments']).toEqual(add.inputSchema);
    expect(document.components.schemas['add.structuredContent']).toEqual(add.outputSchema);
    expect(JSON.stringify(operation.responses[200])).toContain('#/components/schemas/add.structuredContent');
    // No auth configured: no security scheme, no 401.
    expect(document.components.securitySchemes).toBeUndefined();
    expect(operation.responses[401]).toBeUndefined();
  });

  it('answers POST /tools/echo with the CallToolResult, and structuredContent when the tool has some', async () => {
    const echo = await restPost(served, '/tools/echo', JSON.stringify({ text: 'hello' }));
    expect(echo.status).toBe(200);
    expect(echo.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await echo.json()).toEqual({ content: [{ type: 'text', text: 'hello' }] });
    const add = await restPost(served, '/tools/add', JSON.stringify({ a: 2, b: 3 }));
    expect(await add.json()).toEqual({ content: [{ type: 'text', text: '5' }], structuredContent: { sum: 5 } });
  });

  it('answers a bad body with 400 listing each problem: the validator tools/call uses, the same messages', async () => {
    const response = await restPost(served, '/tools/add', JSON.stringify({ a: 'two' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe(PROBLEM);
    const body = await response.json();
    expect(body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/a', '/b']);
    expect(body.detail).toContain('Invalid arguments for tool "add"');
    // The MCP face reports the same arguments with the same messages.
    const mcp = await (await post(served.url, 'tools/call', { params: { name: 'add', arguments: { a: 'two' } } })).json();
    expect(mcp.result.isError).toBe(true);
    for (const problem of body.errors as { message: string }[]) expect(mcp.result.content[0].text).toContain(problem.message);
  });

  it('answers a body that is not a JSON object, or not JSON, with 400', async () => {
    const array = await restPost(served, '/tools/echo', '["hello"]');
    expect(array.status).toBe(400);
    expect((await array.json()).errors).toEqual([{ path: '', message: "must be a JSON object holding the tool's arguments" }]);
    const broken = await restPost(served, '/tools/echo', '{"text": ');
    expect(broken.status).toBe(400);
    expect((await broken.json()).detail).toMatch(/not valid JSON/);
  });

  it('takes an empty body as no arguments', async () => {
    const response = await restPost(served, '/tools/slow_stream', '');
    expect(response.status).toBe(200);
    expect((await response.json()).content[0].text).toBe('done after 5 steps');
  });

  it('answers an unknown tool with 404, pointing at the document', async () => {
    const response = await restPost(served, '/tools/nope', '{}');
    expect(response.status).toBe(404);
    expect((await response.json()).detail).toBe('Unknown tool "nope". GET /openapi.json lists the tools you may call.');
  });

  it('answers a tool that asks its caller for input with 422, naming the MCP endpoint', async () => {
    const response = await restPost(served, '/tools/greet', '{}');
    expect(response.status).toBe(422);
    expect((await response.json()).detail).toMatch(/needs an MCP client \(elicitation\).*POST \/mcp/);
  });

  it('answers other methods on a tool path with 405 and Allow', async () => {
    const response = await restGet(served, '/tools/echo');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('applies the endpoint\'s Content-Type, Host and Origin checks', async () => {
    const plain = await restPost(served, '/tools/echo', JSON.stringify({ text: 'x' }), { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect(plain.headers.get('content-type')).toBe(PROBLEM);
    expect(await postWithHost(served, '/tools/echo', 'evil.example.com', '{"text":"x"}')).toBe(403);
    const foreign = await restPost(served, '/tools/echo', JSON.stringify({ text: 'x' }), { origin: 'https://evil.example.com' });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).detail).toMatch(/Origin "https:\/\/evil.example.com" may not call/);
    const document = await restGet(served, '/openapi.json', { origin: 'https://evil.example.com' });
    expect(document.status).toBe(403);
  });

  it('lets an allowed browser origin call, preflight first', async () => {
    const origin = `http://localhost:${served.port}`;
    const preflight = await fetch(`http://127.0.0.1:${served.port}/tools/echo`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')?.split(/, */)).toEqual(['POST', 'OPTIONS']);
    const call = await restPost(served, '/tools/echo', JSON.stringify({ text: 'x' }), { origin });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('logs one line per REST call with the tool and the status the caller got', async () => {
    entries.length = 0;
    await restPost(served, '/tools/echo', JSON.stringify({ text: 'secret words' }));
    await restPost(served, '/tools/echo', JSON.stringify({ text: 7 }));
    expect(entries.map(({ method, name, status, body }) => ({ method, name, status, body }))).toEqual([
      { method: 'tools/call', name: 'echo', status: 200, body: 'json' },
      { method: 'tools/call', name: 'echo', status: 400, body: 'json' },
    ]);
    expect(JSON.stringify(entries)).not.toContain('secret words');
  });
});

describe('REST face options and schemas', () => {
  let served: Served;
  const reported: string[] = [];

  beforeAll(async () => {
    const server = createServer({ name: 'shapes', version: '2.0.0', description: 'Trees and regions.', onError: (error) => reported.push((error as Error).message) });
    server.registerTool(
      'count_nodes',
      {
        description: 'Counts the nodes of a tree',
        inputSchema: jsonSchema<{ tree: { name: string; children?: unknown[] } }>({
          type: 'object',
          properties: { tree: { $ref: '#/$defs/node' } },
          required: ['tree'],
          $defs: { node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['name'] } },
        }),
      },
      ({ tree }) => {
        const count = (node: { children?: unknown[] }): number => 1 + (node.children ?? []).reduce<number>((sum, child) => sum + count(child as { children?: unknown[] }), 0);
        return { content: [{ type: 'text', text: String(count(tree)) }] };
      },
    );
    server.registerTool(
      'in_region',
      {
        description: 'Mirrors region and count into Mcp-Param headers (x-mcp-header)',
        inputSchema: jsonSchema<{ region: string; count?: number }>({
          type: 'object',
          properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, count: { type: 'integer', 'x-mcp-header': 'Count' } },
          required: ['region'],
        }),
      },
      ({ region, count }, ctx) => ({ content: [{ type: 'text', text: `${region} ${count ?? '-'} ${ctx.headers.get('mcp-param-region')}` }] }),
    );
    server.registerTool('fails', { description: 'Throws' }, () => {
      throw new Error('The warehouse is closed; try tomorrow.');
    });
    server.registerTool('broken_output', { outputSchema: jsonSchema({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'] }) }, () => ({
      content: [],
      structuredContent: { n: 'not a number' },
    }));
    served = await serveApp((options) => createMcpApp(server, { ...options, log: false, maxBodyBytes: 2048, rest: rest({ basePath: '/api/' }) }));
  });
  afterAll(() => served.close());

  it('serves under basePath, with the document\'s server URL there', async () => {
    const document = await validDocument(await restGet(served, '/api/openapi.json'));
    expect(document.servers).toEqual([{ url: '/api' }]);
    expect(document.info.description).toMatch(/^Trees and regions\.\n\n.*POST \/mcp/s);
    expect((await restGet(served, '/openapi.json')).status).toBe(404);
  });

  it('re-points a schema\'s $defs references to where the document keeps it', async () => {
    const document = await validDocument(await restGet(served, '/api/openapi.json'));
    const stored = document.components.schemas['count_nodes.arguments'];
    expect(stored.properties.tree.$ref).toBe('#/components/schemas/count_nodes.arguments/$defs/node');
    expect(stored.$defs.node.properties.children.items.$ref).toBe('#/components/schemas/count_nodes.arguments/$defs/node');
    const tree = { name: 'root', children: [{ name: 'a' }, { name: 'b', children: [{ name: 'c' }] }] };
    expect(await (await restPost(served, '/api/tools/count_nodes', JSON.stringify({ tree }))).json()).toEqual({ content: [{ type: 'text', text: '4' }] });
    const bad = await restPost(served, '/api/tools/count_nodes', JSON.stringify({ tree: { name: 'root', children: [{ name: 1 }] } }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual(['/tree/children/0/name']);
  });

  it('mirrors x-mcp-header arguments into the headers the endpoint checks, and reports wrong types as argument problems', async () => {
    const ok = await restPost(served, '/api/tools/in_region', JSON.stringify({ region: 'Zürich', count: 3 }));
    expect(ok.status).toBe(200);
    expect((await ok.json()).content[0].text).toBe('Zürich 3 =?base64?WsO8cmljaA==?=');
    const wrong = await restPost(served, '/api/tools/in_region', JSON.stringify({ region: 'eu', count: 'three' }));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors.map((e: { path: string }) => e.path)).toEqual(['/count']);
  });

  it('answers a tool that reports a failure with 200 and isError, and one that breaks its outputSchema with 500', async () => {
    const failed = await restPost(served, '/api/tools/fails', '');
    expect(failed.status).toBe(200);
    expect(await failed.json()).toEqual({ content: [{ type: 'text', text: 'The warehouse is closed; try tomorrow.' }], isError: true });
    const broken = await restPost(served, '/api/tools/broken_output', '');
    expect(broken.status).toBe(500);
    expect((await broken.json()).detail).toMatch(/does not match its outputSchema/);
    // Both reached the operator, as they do from the MCP endpoint.
    expect(reported).toEqual(['The warehouse is closed; try tomorrow.', expect.stringMatching(/does not match its outputSchema/)]);
  });

  it('answers a body over maxBodyBytes with 413', async () => {
    const response = await restPost(served, '/api/tools/count_nodes', JSON.stringify({ tree: { name: 'x'.repeat(4096) } }));
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe(PROBLEM);
    expect((await response.json()).detail).toMatch(/exceeds 2048 bytes/);
  });

  it('refuses a base path that is not absolute', () => {
    expect(() => rest({ basePath: 'api' })).toThrow(/must start with "\/"/);
  });
});

describe('the REST face behind auth', () => {
  let served: Served;
  const USER = 'user-key-0123456789abcdef';
  const ADMIN = 'admin-key-0123456789abcdef';

  beforeAll(async () => {
    served = await serveApp((options) =>
      createMcpApp(createAuthMcpServer(), {
        ...options,
        log: false,
        rest: rest(),
        auth: createBearerAuth({
          verify: apiKeyVerifier({ [USER]: { subject: 'user', scopes: ['mcp'] }, [ADMIN]: { subject: 'admin', scopes: ['mcp', 'admin:write'] } }),
          authorizationServers: ['https://as.example'],
          scopesSupported: ['mcp', 'admin:write'],
        }),
      }),
    );
  });
  afterAll(() => served.close());

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  it('answers a call without a token with 401 and the challenge the MCP endpoint sends, before looking at the body', async () => {
    const response = await restPost(served, '/tools/whoami', 'not json');
    const mcp = await post(served.url, 'tools/call', { params: { name: 'whoami' } });
    expect(response.status).toBe(401);
    expect(mcp.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(mcp.headers.get('www-authenticate'));
    expect(response.headers.get('content-type')).toBe(PROBLEM);
    expect((await response.json()).detail).toMatch(/^Unauthorized: /);
  });

  it('answers a token without the tool\'s scope with 403 and the insufficient_scope challenge, like MCP', async () => {
    const response = await restPost(served, '/tools/admin_reset', '{}', bearer(USER));
    const mcp = await post(served.url, 'tools/call', { params: { name: 'admin_reset' }, headers: bearer(USER) });
    expect(response.status).toBe(403);
    expect(mcp.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(mcp.headers.get('www-authenticate'));
    expect(response.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('runs the tool for a token with the scope, as the verified caller', async () => {
    expect(await (await restPost(served, '/tools/admin_reset', '{}', bearer(ADMIN))).json()).toEqual({ content: [{ type: 'text', text: 'reset done' }] });
    expect(await (await restPost(served, '/tools/whoami', '', bearer(USER))).json()).toEqual({ content: [{ type: 'text', text: 'user [mcp]' }] });
  });

  it('documents only what the caller may call, with the bearer scheme and per-tool scopes', async () => {
    expect((await restGet(served, '/openapi.json')).status).toBe(401);
    const forUser = await validDocument(await restGet(served, '/openapi.json', bearer(USER)));
    expect(Object.keys(forUser.paths).sort()).toEqual(['/tools/confirm', '/tools/whoami']);
    expect(forUser.components.securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(forUser.security).toEqual([{ bearerAuth: [] }]);
    expect(forUser.paths['/tools/whoami'].post.responses[401]).toEqual({ $ref: '#/components/responses/Unauthorized' });
    const forAdmin = await validDocument(await restGet(served, '/openapi.json', bearer(ADMIN)));
    expect(forAdmin.paths['/tools/admin_reset'].post.security).toEqual([{ bearerAuth: ['admin:write'] }]);
  });
});
