// Helpers of the runtime suites: run a server in another runtime as a child process, talk to it,
// and judge a conformance run by its summary.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ConformanceRun } from '../conformance/run-conformance.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** `count` distinct free loopback ports (held open together, so they cannot repeat). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => resolve(s)); })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export interface Running {
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `command` and resolves once its output matches `ready`; rejects with the output on exit or timeout. */
export function startProcess(command: string, args: string[], options: { ready: RegExp; env?: Record<string, string>; timeoutMs?: number }): Promise<Running> {
  // Own process group, so stop() also ends what it spawns (wrangler runs workerd as a child).
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running: Running = {
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM');
      const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void running.stop().then(() => reject(new Error(`${command} ${args.join(' ')}: ${why}. Output:\n${output}`)));
    };
    const timer = setTimeout(() => fail(`no line matching ${options.ready} within ${timeoutMs / 1000} s`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Strip colour codes before matching.
      if (options.ready.test(output.replace(/\x1b\[[0-9;]*m/g, ''))) {
        clearTimeout(timer);
        resolve(running);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
}

/** A 2026-07-28 request: its standard headers and body. */
export function modernRequest(method: string, params: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
  };
  if (method === 'tools/call') headers['mcp-name'] = String(params.name);
  const _meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, ...meta };
  return { headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { _meta, ...params } }) };
}

/** POSTs with an explicit Host header (fetch will not send one), to see DNS-rebinding refusals. */
export function postWithHost(url: string, host: string, method: string): Promise<{ status: number; body: string }> {
  const { headers, body } = modernRequest(method);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, host } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * Exit 0 alone would also pass a run with no scenarios: also check that every scored scenario ran
 * and passed, and that the Total line's failures all belong to the unscored (extension/pending) ones.
 */
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
