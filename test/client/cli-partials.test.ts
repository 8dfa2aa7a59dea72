// `stateless-mcp call` on a tool whose result streams in pieces, as a user runs it: a child process
// per invocation. The tool sends its first piece, then waits on a gate the test opens only once the
// CLI has printed that piece on stdout, so the order of events (not a clock) shows the piece was
// printed while the call was still running.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMcpApp } from '../../src/http/index.ts';
import { createServer } from '../../src/index.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const text = (value: string) => ({ type: 'text' as const, text: value });

/** One gate per call, named by the call's `gate` argument. */
const gates = new Map<string, { open(): void; opened: Promise<void> }>();
function gate(name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  gates.set(name, { open, opened });
  return open;
}

let server: Served;
beforeAll(async () => {
  const mcp = createServer({ name: 'cli-partials', version: '1.0.0' });
  mcp.registerTool('gated', { inputSchema: z.object({ gate: z.string() }), annotations: { streamingHint: true } }, async function* ({ gate: name }, ctx) {
    ctx.progress(1, 2, 'reading');
    yield text('row 1');
    await gates.get(name)!.opened;
    ctx.progress(2, 2, 'reading');
    yield text('row 2');
    return { content: [text('2 rows')] };
  });
  server = await serveApp((options) => createMcpApp(mcp, options));
});
afterAll(() => server.close());

interface Run {
  /** stdout chunks, 'gate opened' and 'exit <code>', in the order they happened. */
  events: string[];
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs the CLI and opens `gateName` as soon as `ready(stdout so far)` holds. */
function cliWithGate(args: string[], gateName: string, ready: (stdout: string) => boolean): Promise<Run> {
  const open = gate(gateName);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    child.stdin.end();
    const run: Run = { events: [], stdout: '', stderr: '', code: null };
    let opened = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      run.events.push(chunk);
      run.stdout += chunk;
      if (!opened && ready(run.stdout)) {
        opened = true;
        run.events.push('gate opened');
        open();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    child.on('close', (code) => {
      run.code = code;
      run.events.push(`exit ${code}`);
      resolve(run);
    });
  });
}

describe('stateless-mcp call with partial results', () => {
  for (const transport of [[], ['--jsonl']]) {
    it(`prints the first piece while the call still runs, then the rest once${transport.length ? ' (JSON Lines)' : ''}`, async () => {
      const name = `human${transport.join('')}`;
      // --timeout: a CLI that held the piece back would wait on the gate; it fails the call instead.
      const run = await cliWithGate(['call', server.url, 'gated', `gate=${name}`, '--timeout', '20000', ...transport], name, (stdout) => stdout.includes('row 1\n'));
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('row 1\nrow 2\n2 rows\n');
      const opened = run.events.indexOf('gate opened');
      expect(opened).toBeGreaterThan(0);
      expect(run.events.slice(0, opened).join('')).toBe('row 1\n');
      expect(run.events.at(-1)).toBe('exit 0');
      // Progress stays on stderr.
      expect(run.stderr.split('\n').filter((line) => line.startsWith('progress'))).toEqual(['progress [##########..........] 1/2 reading', 'progress [####################] 2/2 reading']);
    });
  }

  it('--json prints one JSON Lines event per piece as it arrives, then the result', async () => {
    const run = await cliWithGate(['call', server.url, 'gated', 'gate=json', '--json', '--timeout', '20000'], 'json', (stdout) => stdout.includes('\n'));
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { type: 'partial', seq: 0, content: [text('row 1')] },
      { type: 'partial', seq: 1, content: [text('row 2')] },
      { type: 'result', result: expect.objectContaining({ content: [text('row 1'), text('row 2'), text('2 rows')] }) },
    ]);
    const opened = run.events.indexOf('gate opened');
    expect(JSON.parse(run.events.slice(0, opened).join(''))).toEqual(lines[0]);
  });
});
