// examples/nextjs built and started for real (`next build`, `next start`, offline): the official
// conformance suite and a streamed call on its Node.js route (/mcp) and its Edge route (/edge/mcp).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectScoredScenariosPassed, expectedFailuresFile, runConformance } from '../conformance/run-conformance.ts';
import { loopbackHosts } from '../../src/http/checks.ts';
import { freePorts, root, startProcess } from '../support/processes.ts';
import type { Running } from '../support/processes.ts';
import { expectFirstNotificationBeforeResult } from './streamed-call.ts';

const example = `${root}examples/nextjs`;
// Next needs Node >= 20.9; the `node` devDependency's binary, as for the conformance CLI.
const NODE = `${root}node_modules/.bin/node`;
const NEXT = `${root}node_modules/next/dist/bin/next`;
const OFFLINE = { NEXT_TELEMETRY_DISABLED: '1' };

function nextBuild(): Promise<void> {
  // Missing, Next would npm-install it into the example during the build: fail instead, naming the fix.
  try {
    createRequire(`${example}/package.json`).resolve('@types/react/package.json');
  } catch {
    throw new Error('@types/react is not installed: add the "@types/react" devDependency (next build type-checks the example with it).');
  }
  return new Promise((resolve, reject) => {
    execFile(NODE, [NEXT, 'build'], { cwd: example, env: { ...process.env, ...OFFLINE }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`next build failed:\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

describe('examples/nextjs under next start', () => {
  let port: number;
  let next: Running | undefined;

  beforeAll(async () => {
    await nextBuild();
    [port = 0] = await freePorts(1);
    next = await startProcess(NODE, [NEXT, 'start', example, '-p', String(port), '-H', '127.0.0.1'], {
      ready: /Ready in/,
      // ALLOWED_HOSTS: the loopback names of the port, so the DNS-rebinding scenario gets its 403.
      env: { ...OFFLINE, MCP_FIXTURE: 'conformance', ALLOWED_HOSTS: loopbackHosts(port).join(',') },
    });
  }, 240_000);
  afterAll(() => next?.stop());

  describe.each([
    { runtime: 'nodejs', path: '/mcp' },
    { runtime: 'edge', path: '/edge/mcp' },
  ])('the $runtime route ($path)', ({ path }) => {
    it('passes every scored 2026-07-28 scenario of the official suite', { timeout: 120_000 }, async () => {
      expectScoredScenariosPassed(await runConformance(`http://127.0.0.1:${port}${path}`, ['--requirements', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]));
    });

    it.each(['sse', 'jsonl'] as const)('delivers the first %s notification before the tool finishes', async (mode) => {
      await expectFirstNotificationBeforeResult(`http://127.0.0.1:${port}${path}`, mode);
    });
  });
});
