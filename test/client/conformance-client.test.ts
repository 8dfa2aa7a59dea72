// The official conformance suite in client mode: it starts a mock server per scenario (they listen
// on all interfaces, on ports of their own choosing; this machine is loopback-only) and runs
// `<command> <url>`, here our client through test/fixtures/conformance-client.ts.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NODE = `${root}node_modules/.bin/node`;
const CLI = `${root}node_modules/@modelcontextprotocol/conformance/dist/index.js`;
// The suite splits the command on spaces and runs it through a shell, then appends the URL.
const COMMAND = `${NODE} --import tsx ${root}test/fixtures/conformance-client.ts`;

interface Run {
  exitCode: number;
  output: string;
  scenarios: Map<string, [number, number]>;
}

function runClientSuite(revision: string): Promise<Run> {
  const args = [CLI, 'client', '--command', COMMAND, '--requirements', revision, '--expected-failures', `${root}test/client/expected-failures.client.${revision}.yml`];
  return new Promise((resolve) => {
    execFile(NODE, args, { cwd: root, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const scenarios = new Map<string, [number, number]>();
      for (const line of stdout.split('\n')) {
        const found = /^[✓✗] (\S+): (\d+) passed, (\d+) failed/.exec(line);
        if (found) scenarios.set(found[1]!, [Number(found[2]), Number(found[3])]);
      }
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ exitCode, output: `${stdout}\n${stderr}`, scenarios });
    });
  });
}

const AUTH_2025 = ['metadata-default', 'metadata-var1', 'metadata-var2', 'metadata-var3', 'basic-cimd', 'scope-from-www-authenticate', 'scope-from-scopes-supported', 'scope-omitted-when-undefined', 'scope-step-up', 'scope-retry-limit', 'token-endpoint-auth-basic', 'token-endpoint-auth-post', 'token-endpoint-auth-none', 'pre-registration'].map((name) => `auth/${name}`);
const AUTH_2026 = [...AUTH_2025, ...['resource-mismatch', 'offline-access-scope', 'offline-access-not-supported', 'authorization-server-migration', 'iss-supported', 'iss-not-advertised', 'iss-supported-missing', 'iss-wrong-issuer', 'iss-unexpected', 'iss-normalized', 'metadata-issuer-mismatch'].map((name) => `auth/${name}`)];

/** The scored auth/* scenarios run the client's OAuth flow; each must end with no failed check. */
function expectAuthPassed(run: Run, names: string[]): void {
  for (const name of names) expect(run.scenarios.get(name)?.[1], name).toBe(0);
}

function expectPassed(run: Run, expected: Record<string, number>): void {
  for (const [scenario, checks] of Object.entries(expected)) {
    expect(run.scenarios.get(scenario), scenario).toEqual([checks, 0]);
  }
}

describe('official conformance suite, client scenarios', () => {
  it('passes every scored 2026-07-28 client scenario, the 25 auth/* ones through the OAuth flow', { timeout: 240_000 }, async () => {
    const run = await runClientSuite('2026-07-28');
    expect(run.output).toContain('Baseline check passed');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    expectPassed(run, {
      tools_call: 2,
      'request-metadata': 8,
      'sep-2322-client-request-state': 5,
      'http-standard-headers': 9,
      'http-custom-headers': 18,
      'http-invalid-tool-headers': 12,
      'json-schema-ref-no-deref': 1,
      'json-schema-2020-12-preservation': 9,
    });
    expectAuthPassed(run, AUTH_2026);
    // Only the unscored auth extensions (DPoP, JWT client auth, enterprise, WIF) may fail.
    const failing = [...run.scenarios].filter(([, [, failed]]) => failed > 0).map(([name]) => name);
    expect(failing.every((name) => name.startsWith('auth/'))).toBe(true);
  });

  it('passes the 2025-11-25 client scenarios through initialize, the GET stream and SSE resumption', { timeout: 240_000 }, async () => {
    const run = await runClientSuite('2025-11-25');
    expect(run.output).toContain('Baseline check passed');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    expectPassed(run, { initialize: 1, tools_call: 2, 'elicitation-sep1034-client-defaults': 5, 'sse-retry': 3, 'json-schema-2020-12-preservation': 9 });
    expectAuthPassed(run, AUTH_2025);
  });
});
