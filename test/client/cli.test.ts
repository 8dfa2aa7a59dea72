// The `stateless-mcp` command as a user runs it: a child process per invocation, asserting its
// stdout, stderr and exit code (0 ok, 1 isError, 2 usage, 3 protocol/HTTP, 4 unreachable).
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../src/demo/app.ts';
import { cli } from '../support/cli.ts';
import { freePorts } from '../support/processes.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

let demo: Served;
let guarded: Served;
let closedUrl: string;

beforeAll(async () => {
  demo = await serveApp((options) => createDemoApp(options));
  // A gate in front of the demo: a bearer token or an API key header gets in, anything else 401.
  guarded = await serveApp((options) => {
    const mcp = createDemoApp(options);
    return new Hono().all('*', (c) =>
      c.req.header('authorization') === 'Bearer t0k' || c.req.header('x-api-key') === 'k3y'
        ? mcp.fetch(c.req.raw)
        : c.json({ error: 'invalid_token' }, 401, { 'www-authenticate': 'Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"' }),
    );
  });
  const [port] = await freePorts(1);
  closedUrl = `http://127.0.0.1:${port}/mcp`;
});
afterAll(async () => {
  await demo.close();
  await guarded.close();
});

describe.concurrent('stateless-mcp CLI', () => {
  it('discover prints what the server is', async () => {
    const { code, stdout } = await cli(['discover', demo.url]);
    expect(code).toBe(0);
    expect(stdout).toContain('stateless-mcp demo stateless-mcp-demo 0.1.0');
    expect(stdout).toContain('protocol      2026-07-28 (stateless 2026 lane)');
    expect(stdout).toContain('capabilities  tools, prompts, resources, completions, logging');
  });

  it('tools --json prints the tool list as JSON', async () => {
    const { code, stdout } = await cli(['tools', demo.url, '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { name: string }[]).map((t) => t.name)).toEqual(['echo', 'add', 'slow_stream', 'query_rows', 'greet']);
  });

  it('call takes k=v arguments (JSON-parsed values) or one JSON object', async () => {
    const pairs = await cli(['call', demo.url, 'add', 'a=2', 'b=3']);
    expect(pairs).toMatchObject({ code: 0, stdout: '5\n{\n  "sum": 5\n}\n' });
    const json = await cli(['call', demo.url, 'add', '{"a": 1.5, "b": 2}', '--json']);
    // --json on call prints JSON Lines events; a tool that sends no pieces has only the result line.
    expect(json.stdout.trimEnd().split('\n').map((line) => JSON.parse(line))).toMatchObject([{ type: 'result', result: { structuredContent: { sum: 3.5 } } }]);
  });

  it('call shows progress on stderr while the result streams', async () => {
    const { code, stdout, stderr } = await cli(['call', demo.url, 'slow_stream', 'steps=3', 'intervalMs=20']);
    expect(code).toBe(0);
    expect(stdout).toBe('done after 3 steps\n');
    expect(stderr.split('\n').filter((line) => line.startsWith('progress'))).toEqual([
      'progress [#######.............] 1/3 step 1 of 3',
      'progress [#############.......] 2/3 step 2 of 3',
      'progress [####################] 3/3 step 3 of 3',
    ]);
  });

  it('answers elicitation from --answer, and says which flag to pass when it cannot ask', async () => {
    const answered = await cli(['call', demo.url, 'greet', '--answer', 'name=Ada']);
    expect(answered).toMatchObject({ code: 0, stdout: 'Hello, Ada!\n' });
    expect(answered.stderr).toContain('? What is your name?');
    const unanswered = await cli(['call', demo.url, 'greet']);
    expect(unanswered).toMatchObject({ code: 0, stdout: 'Maybe next time.\n' });
    expect(unanswered.stderr).toContain('Declined: no answer for name. Run again with --answer name=…');
  });

  it('exits 1 when the tool returns isError, printing its message', async () => {
    const { code, stdout, stderr } = await cli(['call', demo.url, 'add', 'a=x']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('The tool reported an error:');
    expect(stderr).toContain('arguments.a: Invalid input: expected number, received string');
  });

  it('read and prompt print resources and prompt messages', async () => {
    expect(await cli(['read', demo.url, 'demo://notes/3'])).toMatchObject({ code: 0, stdout: 'Note 3\n' });
    expect((await cli(['read', demo.url])).stdout).toContain('demo://notes/{id}  note (template)');
    expect(await cli(['prompt', demo.url, 'summarize', 'text=hi', 'style=tweet'])).toMatchObject({ code: 0, stdout: 'user: Summarize as tweet:\n\nhi\n' });
  });

  it('exits 3 on a JSON-RPC error, with the code and message', async () => {
    const { code, stderr } = await cli(['call', demo.url, 'nope']);
    expect(code).toBe(3);
    expect(stderr).toContain('error (PROTOCOL_ERROR): tools/call failed with JSON-RPC error -32602: Unknown tool "nope"');
  });

  it('exits 3 on 401, quoting the WWW-Authenticate challenge and how to pass a token', async () => {
    const { code, stderr } = await cli(['tools', guarded.url]);
    expect(code).toBe(3);
    expect(stderr).toContain(`error (UNAUTHORIZED): HTTP 401: ${guarded.url} requires authorization.`);
    expect(stderr).toContain('WWW-Authenticate: Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"');
    expect(stderr).toContain('Pass a bearer token (--token or MCP_TOKEN)');
  });

  it('sends the token from --token or MCP_TOKEN, and headers from -H or MCP_HEADERS', async () => {
    expect((await cli(['call', guarded.url, 'echo', 'text=flag', '--token', 't0k'])).stdout).toBe('flag\n');
    expect((await cli(['call', guarded.url, 'echo', 'text=env'], { MCP_TOKEN: 't0k' })).stdout).toBe('env\n');
    expect((await cli(['call', guarded.url, 'echo', 'text=header', '-H', 'X-Api-Key: k3y'])).stdout).toBe('header\n');
    expect((await cli(['call', guarded.url, 'echo', 'text=envheader'], { MCP_HEADERS: 'X-Trace: 1\nX-Api-Key: k3y' })).stdout).toBe('envheader\n');
  });

  it('exits 4 when nothing answers, saying what to check', async () => {
    const { code, stderr } = await cli(['tools', closedUrl]);
    expect(code).toBe(4);
    expect(stderr).toContain(`error (UNREACHABLE): Cannot reach ${closedUrl}`);
    expect(stderr).toContain('Check the URL, that the server is running');
  });

  it.each([
    [['call', 'http://127.0.0.1:1/mcp'], 'call needs a tool name'],
    [['frobnicate', 'http://127.0.0.1:1/mcp'], 'Unknown command "frobnicate"'],
    [['tools', 'not a url'], '"not a url" is not an http(s) URL'],
    [['tools', 'http://127.0.0.1:1/mcp', '--bogus'], 'Unknown option --bogus'],
    [['call', 'http://127.0.0.1:1/mcp', 'add', '{oops'], 'Tool arguments given as JSON must be an object'],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('prints help with --help and exits 0', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: stateless-mcp <command> <url>');
    expect(stdout).toContain('Exit codes: 0 ok, 1 the tool returned isError, 2 usage error, 3 protocol or HTTP error, 4 unreachable.');
    expect(stdout).toContain('stateless-mcp init <dir> [--runtime node|workers|next|lambda|deno|bun] [--force]');
  });
});
