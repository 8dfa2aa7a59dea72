// The official conformance suite (pinned @modelcontextprotocol/conformance) against the fixture
// server on Node: every revision (2026-07-28 and the 2025 ones) with an empty expected-failures file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpApp } from '../../src/http/index.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { expectedFailuresFile, runConformance } from './run-conformance.ts';

let served: Served;

beforeAll(async () => {
  served = await serveApp((options) => createMcpApp(createConformanceServer(), options));
});
afterAll(() => served.close());

describe('official conformance suite', () => {
  it('passes every scored 2026-07-28 server scenario with an empty expected-failures file', { timeout: 240_000 }, async () => {
    const run = await runConformance(served.url, ['--requirements', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]);
    expect(run.output).toContain('Baseline check passed');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    for (const scenario of ['server-stateless', 'caching', 'tools-call-with-progress', 'input-required-result-tampered-state', 'dns-rebinding-protection']) {
      expect(run.scenarios.get(scenario)?.[1], scenario).toBe(0);
    }
    expect(run.scenarios.get('server-stateless')?.[0]).toBeGreaterThanOrEqual(30);
  });

  it('passes every 2026-07-28 scenario of the full suite, pending header-validation ones included', { timeout: 240_000 }, async () => {
    const run = await runConformance(served.url, ['--suite', 'all', '--spec-version', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]);
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    expect(run.scenarios.get('http-header-validation')).toEqual([14, 0]);
    expect(run.scenarios.get('http-custom-header-server-validation')).toEqual([10, 0]);
  });

  it('passes the whole suite, the tasks extension scenarios included', { timeout: 240_000 }, async () => {
    const run = await runConformance(served.url, ['--suite', 'all']);
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    const tasks = [...run.scenarios].filter(([name]) => name.startsWith('tasks-'));
    expect(tasks.length).toBeGreaterThanOrEqual(10);
    expect(tasks.filter(([, [, failed]]) => failed > 0)).toEqual([]);
    expect(run.scenarios.get('tasks-lifecycle')?.[0]).toBeGreaterThanOrEqual(9);
    expect([...run.scenarios.values()].reduce((sum, [, failed]) => sum + failed, 0)).toBe(0);
  });

  it.each(['2025-11-25', '2025-06-18'])('passes every %s server scenario with an empty expected-failures file', { timeout: 240_000 }, async (revision) => {
    const run = await runConformance(served.url, ['--suite', 'all', '--spec-version', revision, '--expected-failures', expectedFailuresFile(revision)]);
    expect(run.output).toContain('Baseline check passed');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    expect(run.scenarios.get('tools-call-elicitation')?.[1]).toBe(0);
    expect(run.scenarios.get('server-initialize')?.[1]).toBe(0);
  });
});
