// The official conformance suite against the fixture served by Deno and by Bun (the binaries of
// the `deno` and `bun` devDependencies, or DENO_BIN / BUN_BIN). Their demo launchers are run by
// their documented commands in test/entries/runtime-commands.test.ts.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { freePorts, root, startProcess } from '../support/processes.ts';
import type { Running } from '../support/processes.ts';
import { expectScoredScenariosPassed, expectedFailuresFile, runConformance } from '../conformance/run-conformance.ts';

const runtimes: { name: string; variable: string; args: (entry: string) => string[]; env: Record<string, string> }[] = [
  { name: 'deno', variable: 'DENO_BIN', args: (entry: string) => ['run', '--allow-net', '--allow-env', entry], env: { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' } },
  { name: 'bun', variable: 'BUN_BIN', args: (entry: string) => ['run', entry], env: {} },
];

describe.each(runtimes)('$name', ({ name, variable, args, env }) => {
  // Missing binary: fail, naming the fix, rather than skip and pass silently.
  const binary = process.env[variable] ?? `${root}node_modules/.bin/${name}`;
  const missing = existsSync(binary) ? undefined : `${name} not found at ${binary}: add the "${name}" devDependency (npm i -D ${name}) or set ${variable}.`;

  async function serve(entry: string): Promise<{ url: string; port: number; server: Running }> {
    if (missing) throw new Error(missing);
    const [port = 0] = await freePorts(1);
    const server = await startProcess(binary, args(entry), { ready: /MCP server listening on http:\/\/127\.0\.0\.1:\d+\/mcp/, env: { ...env, PORT: String(port) } });
    return { url: `http://127.0.0.1:${port}/mcp`, port, server };
  }

  describe('conformance fixture', () => {
    let url: string;
    let server: Running | undefined;
    beforeAll(async () => {
      ({ url, server } = await serve(`test/fixtures/conformance-${name}.ts`));
    });
    afterAll(() => server?.stop());

    it('passes every scored 2026-07-28 scenario of the official suite', { timeout: 240_000 }, async () => {
      expectScoredScenariosPassed(await runConformance(url, ['--requirements', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]));
    });
  });
});
