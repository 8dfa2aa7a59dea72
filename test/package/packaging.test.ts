// The package as a user gets it: `npm pack` (which builds through `prepack`), the tarball installed
// into a fresh project with none of the optional peers (no zod, no ioredis), every public subpath
// imported, a server built from the package served and called with the packed CLI, the user's own
// `hono` deduplicated and type-checked against ours, and the ecosystem's package checkers clean.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publint } from 'publint';
import { pack, run } from '../support/packed.ts';
import type { Packed } from '../support/packed.ts';
import { root, startProcess } from '../support/processes.ts';

const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; version: string };
const subpaths = Object.keys(manifest.exports).filter((key) => key !== './package.json').map((key) => (key === '.' ? 'stateless-mcp' : `stateless-mcp/${key.slice(2)}`));

let packed: Packed;
let project: string;
let tarball: string;

const inProject = (command: string, args: string[]) => packed.runIn(project, command, args);

beforeAll(async () => {
  packed = await pack('stateless-mcp-pack-');
  tarball = packed.tarball;
  project = join(packed.work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The user's own hono and Node types, as a TypeScript project has them; nothing else.
  await packed.install(project, [tarball, 'hono@^4', '@types/node@^20']);
}, 300_000);

afterAll(() => packed?.remove());

describe('the packed tarball', () => {
  it('holds the compiled JavaScript, the type declarations and the CLI, and no demo or tests', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n');
    for (const subpath of Object.values(manifest.exports)) {
      if (typeof subpath === 'object' && subpath) {
        const { types, import: js } = subpath as { types: string; import: string };
        expect(files).toContain(`package/${js.slice(2)}`);
        expect(files).toContain(`package/${types.slice(2)}`);
      }
    }
    expect(files).toContain('package/dist/cli/main.js');
    expect(files.filter((f) => f.includes('/demo/') || f.endsWith('.test.ts') || f.endsWith('.test.js'))).toEqual([]);
  });

  it('installs without the optional peers', async () => {
    await expect(inProject('node', ['-e', "import('zod')"])).rejects.toThrow(/Cannot find package 'zod'/);
    await expect(inProject('node', ['-e', "import('ioredis')"])).rejects.toThrow(/Cannot find package 'ioredis'/);
  });

  it('shares the user\'s hono instead of installing a second copy', async () => {
    const { stdout } = await inProject('npm', ['ls', 'hono', '--all', '--parseable']);
    expect(stdout.trim().split('\n').filter((line) => line.endsWith('/hono'))).toHaveLength(1);
  });

  it.each(subpaths.filter((s) => s !== 'stateless-mcp/redis'))('imports %s', async (subpath) => {
    const { stdout } = await inProject('node', ['--input-type=module', '-e', `const m = await import(${JSON.stringify(subpath)}); console.log(Object.keys(m).length);`]);
    expect(Number(stdout.trim())).toBeGreaterThan(0);
  });

  it('names ioredis when stateless-mcp/redis is imported without it', async () => {
    await expect(inProject('node', ['--input-type=module', '-e', "await import('stateless-mcp/redis')"])).rejects.toThrow(/Cannot find package 'ioredis'/);
  });

  // tsc over the project and its dependencies' types: longer than the default limit on a busy machine.
  it('type-checks a strict user project that mounts the routes in its own Hono app', { timeout: 120_000 }, async () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'] }, include: ['app.ts'] }));
    writeFileSync(
      join(project, 'app.ts'),
      `import { Hono } from 'hono';
import { createServer, jsonSchema, mcpRoutes } from 'stateless-mcp';
import { serve } from 'stateless-mcp/node';
import { createClient } from 'stateless-mcp/client';

const server = createServer({ name: 'typed', version: '1.0.0' });
server.registerTool('echo', { inputSchema: jsonSchema<{ text: string }>({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }) }, ({ text }) => ({
  content: [{ type: 'text', text }],
}));
const app = new Hono();
app.get('/', (c) => c.text('home'));
app.route('/mcp', mcpRoutes(server));
const running = await serve(app, { port: 0, handleSignals: false });
const client = createClient(\`\${running.url}/mcp\`);
const result = await client.callTool('echo', { text: 'hi' });
console.log(JSON.stringify(result));
await running.close();
`,
    );
    await expect(inProject(bin('tsc'), ['-p', 'tsconfig.json'])).resolves.toBeDefined();
  });

  it('serves a server built from the package, which the packed CLI calls', async () => {
    writeFileSync(
      join(project, 'server.mjs'),
      `import { createMcpApp, createServer, jsonSchema } from 'stateless-mcp';
import { serve } from 'stateless-mcp/node';

const server = createServer({ name: 'packed', version: '1.0.0' });
server.registerTool('echo', { description: 'Echoes', inputSchema: jsonSchema({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }) }, ({ text }) => ({
  content: [{ type: 'text', text }],
}));
await serve(createMcpApp(server), { port: 0, onListen: (a) => console.log(\`MCP server listening on \${a.url}/mcp\`) });
`,
    );
    const server = await startProcess('node', [join(project, 'server.mjs')], { ready: /MCP server listening on (http:\/\/\S+\/mcp)/ });
    try {
      const url = /MCP server listening on (http:\/\/\S+\/mcp)/.exec(server.output())![1]!;
      const cli = join(project, 'node_modules', '.bin', 'stateless-mcp');
      const listed = await inProject(cli, ['tools', url]);
      expect(listed.stdout).toContain('echo');
      const called = await inProject(cli, ['call', url, 'echo', 'text=from the packed CLI']);
      expect(called.stdout).toContain('from the packed CLI');
      // The request log: one line per request, with the tool's name and never its arguments.
      await expect.poll(() => server.output()).toMatch(/^mcp \S+ tools\/call echo 200 json [\d.]+ms$/m);
      expect(server.output()).not.toContain('from the packed CLI');
    } finally {
      await server.stop();
    }
  });

  it('passes publint with no errors', async () => {
    const { messages } = await publint({ pkgDir: join(project, 'node_modules', 'stateless-mcp'), level: 'error', strict: false });
    expect(messages).toEqual([]);
  });

  it('passes Are the Types Wrong? for an ES-module-only package', async () => {
    // esm-only: the package has no CommonJS build by design (Node >= 20 can require() ESM).
    await expect(run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color'], { cwd: packed.work })).resolves.toBeDefined();
  });
});
