// `stateless-mcp init` as a user runs it: the packed CLI (installed from the `npm pack` tarball)
// writes a starter for each runtime into a temporary directory; the starter installs the packed
// tarball with its own dependencies, then starts (Node, Bun, Deno, Workers under wrangler dev,
// Next after next build) or is built and invoked (Lambda, with an API Gateway HTTP API event), and
// the packed CLI calls its `hello` tool.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApiV2Event } from '../fixtures/lambda-events.ts';
import { pack } from '../support/packed.ts';
import type { Packed } from '../support/packed.ts';
import { freePorts, root, startProcess } from '../support/processes.ts';
import type { Running } from '../support/processes.ts';
import { modernRequest } from '../support/raw-client.ts';
import { wranglerDev } from '../runtimes/wrangler.ts';

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const LISTENING = /MCP server listening on (http:\/\/\S+\/mcp)/;
// Next needs Node >= 20.9, and wrangler Node >= 22: the `node` devDependency's binary.
const NODE = `${root}node_modules/.bin/node`;
const BIN = `${root}node_modules/.bin`;
const DENO = `${root}node_modules/deno/deno`;
const QUIET = { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NEXT_TELEMETRY_DISABLED: '1' };

let packed: Packed;
let cli: string;

beforeAll(async () => {
  packed = await pack('stateless-mcp-init-');
  // `npx stateless-mcp init` runs the package's bin; here it is installed from the tarball once.
  const tools = join(packed.work, 'tools');
  mkdirSync(tools);
  writeFileSync(join(tools, 'package.json'), JSON.stringify({ name: 'tools', private: true, type: 'module' }));
  await packed.install(tools, [packed.tarball]);
  cli = join(tools, 'node_modules', '.bin', 'stateless-mcp');
}, 300_000);

afterAll(() => packed?.remove());

/** The packed CLI's exit code and output, for commands that may fail. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await packed.runIn(packed.work, cli, args)) };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

async function scaffold(runtime: string, name = runtime): Promise<string> {
  const directory = join(packed.work, name);
  const { code, stdout } = await runCli(['init', directory, '--runtime', runtime]);
  expect(code).toBe(0);
  expect(stdout).toContain(`Created a ${runtime} MCP server in ${directory}`);
  const written = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  expect(written.dependencies['stateless-mcp']).toBe(`^${manifest.version}`);
  expect(readFileSync(join(directory, 'README.md'), 'utf8')).toMatch(/```sh\n\S+ install\n/);
  return directory;
}

async function expectHello(url: string, who: string): Promise<void> {
  const { code, stdout } = await runCli(['call', url, 'hello', `name=${who}`]);
  expect(code).toBe(0);
  expect(stdout).toContain(`Hello, ${who}!`);
}

/** Calls `hello` on a running starter, sees its request logged (one line per request, the default of createMcpApp), then stops it. */
async function expectServes(server: Running, url: string, who: string): Promise<void> {
  try {
    await expectHello(url, who);
    await expect.poll(() => server.output()).toMatch(/^mcp 2026-07-28 tools\/call hello 200 json [\d.]+ms$/m);
  } finally {
    await server.stop();
  }
}

describe('stateless-mcp init', () => {
  it('refuses a directory with files unless --force, and says what to do', async () => {
    const directory = await scaffold('node');
    const again = await runCli(['init', directory]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not empty .* Name a new directory, or add --force/);
    expect((await runCli(['init', directory, '--force'])).code).toBe(0);
  });

  it('names the runtimes it knows when given another', async () => {
    const { code, stderr } = await runCli(['init', join(packed.work, 'elsewhere'), '--runtime', 'rust']);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown runtime "rust": choose one of node, workers, next, lambda, deno, bun.');
  });

  describe.each([
    { runtime: 'node', command: 'npm', args: ['start'], check: ['npm', 'run', 'typecheck'] },
    // The Bun starter has no TypeScript of its own (Bun runs .ts); this repository's tsc checks it.
    { runtime: 'bun', command: `${BIN}/bun`, args: ['run', 'start'], check: [`${BIN}/tsc`, '-p', '.'] },
    { runtime: 'deno', command: DENO, args: ['task', 'start'], check: [DENO, 'check', 'server.ts'] },
  ])('$runtime', ({ runtime, command, args, check: [checker, ...checkArgs] }) => {
    it('installs the packed tarball, type-checks, starts on PORT and answers the packed CLI', { timeout: 180_000 }, async () => {
      const directory = await scaffold(runtime, `${runtime}-server`);
      await packed.install(directory, [packed.tarball]);
      await packed.runIn(directory, checker!, checkArgs, QUIET);
      // PATH: `bun run start` runs the script's own `bun` from this repository's devDependency.
      const server = await startProcess(command, args, { cwd: directory, ready: LISTENING, env: { ...QUIET, PORT: '0', PATH: `${BIN}:${process.env.PATH}` } });
      await expectServes(server, LISTENING.exec(server.output())![1]!, runtime);
    });
  });

  it('workers: installs, type-checks, runs under wrangler dev and answers the packed CLI', { timeout: 180_000 }, async () => {
    const directory = await scaffold('workers');
    // wrangler is the starter's devDependency; this repository's own copy runs it here.
    await packed.install(directory, ['--omit=dev', packed.tarball]);
    await packed.runIn(directory, `${BIN}/tsc`, ['-p', '.']);
    const { url, worker } = await wranglerDev(join(directory, 'wrangler.toml'), () => '');
    await expectServes(worker, url, 'Workers');
  });

  it('next: installs, builds with next build, starts on PORT and answers the packed CLI', { timeout: 300_000 }, async () => {
    const directory = await scaffold('next');
    await packed.install(directory, [packed.tarball]);
    await packed.runIn(directory, NODE, ['node_modules/next/dist/bin/next', 'build'], QUIET);
    const [port] = await freePorts(1);
    const server = await startProcess(NODE, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1'], { cwd: directory, ready: /Ready in/, env: { ...QUIET, PORT: String(port) } });
    await expectServes(server, `http://127.0.0.1:${port}/mcp`, 'Next');
  });

  it('lambda: installs, type-checks, bundles as sam build does and answers an API Gateway HTTP API event', { timeout: 180_000 }, async () => {
    const directory = await scaffold('lambda');
    await packed.install(directory, [packed.tarball]);
    await packed.runIn(directory, 'npm', ['run', 'typecheck']);
    // template.yaml's BuildProperties, with the starter's own esbuild.
    await packed.runIn(directory, join(directory, 'node_modules', '.bin', 'esbuild'), ['handler.ts', '--bundle', '--platform=node', '--format=esm', '--target=es2022', '--outfile=.aws-sam/handler.mjs']);
    const event = httpApiV2Event(modernRequest('tools/call', { params: { name: 'hello', arguments: { name: 'Lambda' } } }));
    const invoke = `const { handler } = await import('./.aws-sam/handler.mjs');
const result = await handler(JSON.parse(process.env.EVENT), { getRemainingTimeInMillis: () => 30000 });
console.log('RESULT ' + JSON.stringify(result));`;
    const { stdout } = await packed.runIn(directory, NODE, ['--input-type=module', '-e', invoke], { EVENT: JSON.stringify(event) });
    const result = JSON.parse(/^RESULT (.*)$/m.exec(stdout)![1]!) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).result.content).toEqual([{ type: 'text', text: 'Hello, Lambda!' }]);
    expect(stdout).toMatch(/^mcp 2026-07-28 tools\/call hello 200 json [\d.]+ms$/m);
  });
});
