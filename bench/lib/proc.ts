// Child processes pinned to a core, and what /proc says about them: CPU time, RSS, and how busy
// a core was with work that was not the server's (another process stealing it).
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { root } from './paths.ts';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Pins this process (every thread) to `cpu`, so the harness never runs on the server's core. */
export function pinSelf(cpu: number): void {
  // taskset -a fails when one of our threads ends while it walks them (seen at start-up): retry.
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
      return;
    } catch (error) {
      if (attempt === 5) throw new Error(`Could not pin the bench harness to cpu ${cpu} with taskset; is util-linux installed and the cpu online?`, { cause: error });
    }
  }
}

export async function freePort(): Promise<number> {
  const server = await new Promise<Server>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const started = new Set<ChildProcess>();
/** Process groups started elsewhere (nginx, through the test suite's helper) that must not outlive the harness. */
const adopted = new Set<number>();

/** Has stopAll end the process group `pid` leads too; returns the function that forgets it once it is stopped. */
export function stopOnExit(pid: number): () => void {
  adopted.add(pid);
  return () => adopted.delete(pid);
}

/** Ends every process group this harness started (on exit, Ctrl-C or a crash). */
export function stopAll(): void {
  for (const pid of adopted) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  adopted.clear();
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone between the check and the kill: nothing left to stop.
      }
    }
  }
  started.clear();
}

/**
 * Runs a bench entry's `main` with every started process stopped however it ends (done, thrown,
 * Ctrl-C, SIGTERM), then exits: lingering handles (keep-alive sockets, esbuild's service) must not
 * keep a finished run alive.
 */
export async function runToEnd(main: () => Promise<void>): Promise<never> {
  process.once('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  process.once('SIGTERM', () => {
    stopAll();
    process.exit(143);
  });
  try {
    await main();
  } finally {
    stopAll();
  }
  process.exit(0);
}

export interface Running {
  readonly pid: number;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
  readonly exited: Promise<number | null>;
}

export interface StartOptions {
  command: string;
  args: string[];
  cpu: number;
  env?: Record<string, string>;
  /** Output that means the server answers. */
  ready: RegExp;
  /** Also ready once this port accepts a connection (for servers that print nothing). */
  probePort?: number;
  timeoutMs?: number;
  /** Signal that ends it politely (a CPU profile is written on a clean exit). */
  stopSignal?: NodeJS.Signals;
}

/** Spawns `command` pinned to `cpu` (taskset execs it, so the pid is the server's) in its own process group. */
export function startPinned(options: StartOptions): { running: Running; whenReady: Promise<void> } {
  const child = spawn('taskset', ['-c', String(options.cpu), options.command, ...options.args], {
    cwd: root,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running: Running = {
    pid: child.pid!,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, options.stopSignal ?? 'SIGKILL');
      } catch {
        // Exited on its own meanwhile.
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }, 10_000);
      await exited;
      clearTimeout(killer);
      started.delete(child);
    },
  };
  const whenReady = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${(options.timeoutMs ?? 30_000) / 1000} s. Output:\n${output.slice(-2000)}`)), options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      if (options.ready.test(output.replace(/\x1b\[[0-9;]*m/g, ''))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before it was ready. Output:\n${output.slice(-2000)}`));
    });
    if (options.probePort !== undefined) {
      const port = options.probePort;
      const probe = () => {
        if (child.exitCode !== null) return;
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          clearTimeout(timer);
          resolve();
        });
        socket.once('error', () => {
          socket.destroy();
          setTimeout(probe, 20);
        });
      };
      probe();
    }
  });
  whenReady.catch(() => undefined);
  return { running, whenReady };
}

/** `pid` and every process below it (wrangler runs workerd as a child). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      // The process ended while we listed /proc.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of parents.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** CPU seconds (user + system) used so far by `pid` and its descendants. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended meanwhile.
    }
  }
  return ticks / CLK_TCK;
}

/** Resident set size in bytes of `pid` and its descendants: now and the peak (VmHWM). */
export function memory(pid: number): { rss: number; peak: number } {
  let rss = 0;
  let peak = 0;
  for (const p of processTree(pid)) {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      peak += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // Ended meanwhile.
    }
  }
  return { rss, peak };
}

export interface CoreSample {
  busy: number;
  steal: number;
  total: number;
}

/** Jiffies of one core from /proc/stat: busy (not idle or iowait), stolen by the hypervisor, total. */
export function coreSample(cpu: number): CoreSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${cpu} `));
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = (line ?? '').trim().split(/\s+/).slice(1).map(Number);
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/**
 * Watches a server's core while something runs: how much of the wall time the server used, and
 * how much other processes (or the hypervisor) took from that core.
 */
export function watchCore(pid: number, cpu: number): () => { wallSeconds: number; serverShare: number; foreignShare: number } {
  const start = performance.now();
  const cpu0 = cpuSeconds(pid);
  const core0 = coreSample(cpu);
  return () => {
    const wallSeconds = (performance.now() - start) / 1000;
    const server = cpuSeconds(pid) - cpu0;
    const core1 = coreSample(cpu);
    const busy = (core1.busy - core0.busy + core1.steal - core0.steal) / CLK_TCK;
    return {
      wallSeconds,
      serverShare: server / wallSeconds,
      foreignShare: Math.max(0, busy - server) / wallSeconds,
    };
  };
}
