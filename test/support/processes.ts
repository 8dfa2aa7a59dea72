// Child processes for tests that run a server in another runtime or through npm: free ports,
// start-until-ready, stop by process group.
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `count` distinct free loopback ports, drawn below the kernel's ephemeral range. A port taken with
 * `listen(0)` comes from that range, and after it is released any outgoing connection or other
 * `listen(0)` in the parallel suites may take it before a slow server (wrangler binds seconds later)
 * does; ports below the range are handed out by nobody but this function.
 */
export async function freePorts(count: number): Promise<number[]> {
  const [low, high] = BELOW_EPHEMERAL;
  const ports = new Set<number>();
  for (let tries = 0; ports.size < count; tries++) {
    if (tries > 1000) throw new Error(`no ${count} free loopback ports between ${low} and ${high}`);
    const port = low + Math.floor(Math.random() * (high - low));
    if (!ports.has(port) && (await bindable(port))) ports.add(port);
  }
  return [...ports];
}

const BELOW_EPHEMERAL = belowEphemeral();

function belowEphemeral(): [number, number] {
  let first = 32768;
  try {
    first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || first;
  } catch {
    // Not Linux: assume the usual default.
  }
  return [Math.min(10_000, first - 1000), first - 1];
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server: Server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Debian installs nginx in /usr/sbin, which is not on a normal user's PATH.
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** Where an executable is: each PATH directory, then the sbin directories. */
export function locateBinary(name: string): { path: string | undefined; searched: string[] } {
  const searched = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN];
  for (const dir of searched) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return { path: join(dir, name), searched };
    } catch {
      // Not in this directory; try the next one.
    }
  }
  return { path: undefined, searched };
}

export interface Running {
  /** The process (and its process group's) id. */
  readonly pid: number;
  output(): string;
  /** SIGTERM (then SIGKILL after 5 s) by default; SIGKILL to simulate a crash. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Spawns `command` (in `cwd`, default the repository) and resolves once its output matches `ready`; rejects with the output on exit or timeout. */
export function startProcess(command: string, args: string[], options: { ready: RegExp; env?: Record<string, string>; timeoutMs?: number; cwd?: string }): Promise<Running> {
  // Own process group, so stop() also ends what it spawns (wrangler runs workerd as a child).
  const child = spawn(command, args, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running: Running = {
    pid: child.pid!,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, signal);
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
