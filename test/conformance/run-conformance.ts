// Runs the official conformance CLI (needs Node >= 22: the `node` devDependency provides it) against a URL.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NODE = `${root}node_modules/.bin/node`;
const CLI = `${root}node_modules/@modelcontextprotocol/conformance/dist/index.js`;

export interface ConformanceRun {
  exitCode: number;
  output: string;
  /** Scenario name → [passed, failed] checks, from the summary lines. */
  scenarios: Map<string, [number, number]>;
}

export function expectedFailuresFile(revision: string): string {
  return `${root}test/conformance/expected-failures.${revision}.yml`;
}

export function runConformance(url: string, selection: string[]): Promise<ConformanceRun> {
  return new Promise((resolve) => {
    execFile(NODE, [CLI, 'server', '--url', url, ...selection], { timeout: 240_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      const scenarios = new Map<string, [number, number]>();
      for (const line of stdout.split('\n')) {
        const found = /^[✓✗] (\S+): (\d+) passed, (\d+) failed/.exec(line);
        if (found) scenarios.set(found[1]!, [Number(found[2]), Number(found[3])]);
      }
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ exitCode, output, scenarios });
    });
  });
}

/**
 * Runs use the empty 2026-07-28 expected-failures file: any scored scenario with a FAILURE, or
 * even only a WARNING, fails the baseline check and the exit code.
 */
export function expectScoredScenariosPassed(run: ConformanceRun): void {
  expect(run.output).toContain('Baseline check passed');
  expect(run.exitCode, run.output.slice(-3000)).toBe(0);
  expect(run.scenarios.size).toBeGreaterThanOrEqual(37);
  for (const name of ['server-stateless', 'tools-call-with-progress', 'dns-rebinding-protection', 'input-required-result-tampered-state', 'caching']) {
    const [passed = 0, failed = 1] = run.scenarios.get(name) ?? [];
    expect(passed, name).toBeGreaterThan(0);
    expect(failed, name).toBe(0);
  }
}
