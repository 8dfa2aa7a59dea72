// The multi-agent tool loop: K simulated agents each run L steps; a step calls `cursor`, whose
// result is N rows `gap` ms apart, and the agent's next step starts at the step's first usable
// piece (the first row for a streaming consumer, the whole result for a buffered one). Measured for
// stateless-mcp in four response modes and the official SDK 2.x (buffered: it has no partial
// results), on one instance and on three behind nginx, every configuration in turn for each
// (point, K), so drift hits all alike.
import { execFileSync } from 'node:child_process';
import { Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { startNginx } from '../../test/cluster/nginx.ts';
import { locateBinary } from '../../test/support/processes.ts';
import { startCall } from './agent-call.ts';
import type { AgentMode, CallTiming } from './agent-call.ts';
import { config } from './config.ts';
import type { CursorPoint } from './config.ts';
import { log } from './log.ts';
import { packageVersion } from './meta.ts';
import { cpuSeconds, freePort, startPinned, stopOnExit } from './proc.ts';
import type { Running } from './proc.ts';
import { prepare } from './servers.ts';
import type { ServerDef } from './servers.ts';
import { max, maxOverlap, median, quantile } from './stats.ts';

export type Topology = 'one' | 'nginx';
type Server = 'ours' | 'sdk';

/** What one measured configuration is: which server, how the agents read, and where it runs. */
export interface LoopConfig {
  server: Server;
  mode: AgentMode;
  topology: Topology;
}

export const LOOP_CONFIGS: LoopConfig[] = (['one', 'nginx'] as const).flatMap((topology) => [
  { server: 'ours' as const, mode: 'json' as const, topology },
  { server: 'ours' as const, mode: 'sse-progress' as const, topology },
  { server: 'ours' as const, mode: 'sse-partial' as const, topology },
  { server: 'ours' as const, mode: 'jsonl-partial' as const, topology },
  { server: 'sdk' as const, mode: 'json' as const, topology },
]);

const INSTANCES: Record<Topology, number> = { one: 1, nginx: 3 };
/** Enough for every stream K=32 agents keep open (each agent up to min(L, N) at once), client and upstream sides. */
const NGINX_CONNECTIONS = 4096;

const DEFS: Record<Server, ServerDef> = {
  ours: {
    id: 'ours-cursor', label: 'stateless-mcp', kind: 'ours', runtime: 'node', entry: 'ours-cursor.ts', forms: ['2026'], stream: [], preferredForm: '2026',
    notes: 'createServer + createMcpApp on @hono/node-server; `cursor` is an async-generator tool.',
  },
  sdk: {
    id: 'sdk-cursor', label: 'official SDK 2.x', kind: 'peer', runtime: 'node', entry: 'sdk-cursor.ts', forms: ['2026'], stream: [], preferredForm: '2026', pkg: '@modelcontextprotocol/server',
    notes: '`createMcpHandler(factory)` on @hono/node-server; `cursor` returns every row at the end.',
  },
};

export interface Quantiles {
  p50: number;
  p99: number;
}

export interface LoopCell extends LoopConfig {
  rows: number;
  gapMs: number;
  agents: number;
  steps: number;
  /** Request → first usable piece, over every step of every agent. */
  firstMs: Quantiles;
  /** Request → response complete, over every step. */
  totalMs: Quantiles;
  /** Per agent: start → its last step's first usable piece (the loop is through), median and slowest. */
  loopMs: { p50: number; max: number };
  /** Per agent: start → its last response complete (the server's work for it is done), median. */
  allInMs: number;
  /** All agents: start → every response complete. */
  wallMs: number;
  /** Steps completed per second over the wall time. */
  stepsPerSecond: number;
  /** Server CPU (every instance; nginx not counted) per step, ms. */
  serverCpuMsPerStep: number;
  /** The harness's CPU time over the wall time: near 1, its core (all agents share it) was the limit. */
  harnessCpuShare: number;
  /** Response body bytes per step (median). */
  bytesPerStep: number;
  /** Most calls open at once. */
  maxInFlight: number;
  calls: number;
  errors: number;
  firstError?: string;
}

export interface AgentLoopResult {
  meta: {
    date: string;
    command: string;
    settings: string;
    durationSeconds: number;
    nproc: number;
    cpuModel: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
    nginx: string;
    sdk: string;
  };
  configs: LoopConfig[];
  points: CursorPoint[];
  agentCounts: number[];
  steps: number;
  cells: LoopCell[];
  /** Configurations that could not start, and why. */
  failures: string[];
}

export const configId = (c: LoopConfig) => `${c.server}/${c.mode}/${c.topology}`;

interface Target {
  port: number;
  pids: number[];
}

/** Runs one simulated agent: L steps, each starting at the previous one's first usable piece. */
async function runAgent(target: Target, cfg: LoopConfig, point: CursorPoint, steps: number, index: number) {
  const http = new Agent({ keepAlive: true });
  const start = performance.now();
  const calls: Promise<CallTiming>[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const call = startCall(target.port, http, cfg.mode, point, step + 1, `a${index}-s${step}`);
      calls.push(call.done);
      await call.first;
    }
    const loopMs = performance.now() - start;
    const timings = await Promise.all(calls);
    return { loopMs, allInMs: performance.now() - start, timings };
  } finally {
    http.destroy();
  }
}

/** K agents at once on one configuration and point. */
async function runCell(target: Target, cfg: LoopConfig, point: CursorPoint, agents: number, steps: number): Promise<LoopCell> {
  const cpu0 = target.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const harness0 = process.cpuUsage();
  const start = performance.now();
  const runs = await Promise.all(Array.from({ length: agents }, (_, i) => runAgent(target, cfg, point, steps, i)));
  const wallMs = performance.now() - start;
  const harness = process.cpuUsage(harness0);
  const cpu = target.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpu0;
  const timings = runs.flatMap((r) => r.timings).map((t) => ({ ...t, problem: t.check() }));
  const good = timings.filter((t) => t.problem === undefined);
  const q = (values: number[]): Quantiles => ({ p50: median(values), p99: quantile(values, 0.99) });
  return {
    ...cfg,
    rows: point.rows,
    gapMs: point.gapMs,
    agents,
    steps,
    firstMs: q(good.map((t) => t.firstMs)),
    totalMs: q(good.map((t) => t.totalMs)),
    loopMs: { p50: median(runs.map((r) => r.loopMs)), max: max(runs.map((r) => r.loopMs)) },
    allInMs: median(runs.map((r) => r.allInMs)),
    wallMs,
    stepsPerSecond: (timings.length / wallMs) * 1000,
    serverCpuMsPerStep: (cpu * 1000) / timings.length,
    harnessCpuShare: (harness.user + harness.system) / 1000 / wallMs,
    bytesPerStep: median(good.map((t) => t.bytes)),
    maxInFlight: maxOverlap(timings.map((t) => ({ start: t.sentAt, end: t.endedAt }))),
    calls: timings.length,
    errors: timings.length - good.length,
    firstError: timings.find((t) => t.problem)?.problem,
  };
}

function nginxVersion(binary: string): string {
  try {
    // nginx -v writes to stderr.
    return execFileSync(binary, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || 'unknown';
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? '').trim().replace(/^nginx version: /, '') || 'unknown';
  }
}

export async function runAgentLoop(command: string): Promise<AgentLoopResult> {
  const began = performance.now();
  const steps = config.agentSteps;
  const points = config.agentPoints;
  const counts = config.agentCounts;
  const nginxBinary = locateBinary('nginx').path;
  const result: AgentLoopResult = {
    meta: {
      date: new Date().toISOString(),
      command,
      settings: `BENCH_AGENT_STEPS=${steps} BENCH_AGENT_COUNTS=${counts.join(',')} BENCH_AGENT_POINTS=${points.map((p) => `${p.rows}x${p.gapMs}`).join(',')}`,
      durationSeconds: 0,
      nproc: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAverageStart: loadavg(),
      loadAverageEnd: [],
      nginx: nginxBinary ? nginxVersion(nginxBinary) : 'not installed',
      sdk: packageVersion('@modelcontextprotocol/server'),
    },
    configs: [],
    points,
    agentCounts: counts,
    steps,
    cells: [],
    failures: [],
  };
  log(`agent loop: ${counts.join('/')} agents × ${steps} steps, cursor ${points.map((p) => `${p.rows}×${p.gapMs} ms`).join(', ')}; ${LOOP_CONFIGS.length} configurations`);

  const processes: Running[] = [];
  const balancers: { stop(): Promise<void> }[] = [];
  const targets = new Map<string, Target>();
  try {
    for (const server of ['ours', 'sdk'] as const) {
      const start = await prepare(DEFS[server]);
      for (const topology of ['one', 'nginx'] as const) {
        try {
          if (topology === 'nginx' && !nginxBinary) throw new Error('nginx is not installed (sudo apt-get install -y nginx)');
          const ports = await Promise.all(Array.from({ length: INSTANCES[topology] }, () => freePort()));
          const started = ports.map((port) => startPinned({ ...start(port), cpu: config.serverCpu }));
          processes.push(...started.map((s) => s.running));
          await Promise.all(started.map((s) => s.whenReady));
          const pids = started.map((s) => s.running.pid);
          if (topology === 'one') targets.set(`${server}/${topology}`, { port: ports[0]!, pids });
          else {
            const port = await freePort();
            const nginx = await startNginx(nginxBinary!, port, ports, { workerConnections: NGINX_CONNECTIONS });
            const forget = stopOnExit(nginx.pid);
            balancers.push({ stop: () => nginx.stop().finally(forget) });
            targets.set(`${server}/${topology}`, { port, pids });
          }
          log(`  started ${DEFS[server].label}, ${topology === 'one' ? 'one instance' : 'three instances behind nginx'}`);
        } catch (error) {
          result.failures.push(`${DEFS[server].label} (${topology}): ${(error as Error).message.split('\n')[0]}`);
          log(`  FAILED ${DEFS[server].label} (${topology}): ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
    const live = LOOP_CONFIGS.filter((c) => targets.has(`${c.server}/${c.topology}`));
    result.configs = live;

    // Warm-up, not recorded: every configuration's code paths JIT-compiled before the first cell.
    const warmPoint = { rows: 5, gapMs: 1 };
    for (const cfg of live) {
      const cell = await runCell(targets.get(`${cfg.server}/${cfg.topology}`)!, cfg, warmPoint, 4, 5);
      if (cell.errors > 0) {
        result.failures.push(`${configId(cfg)}: wrong answers in the warm-up: ${cell.firstError}`);
        log(`  ${configId(cfg)}: WRONG ANSWER in the warm-up: ${cell.firstError}`);
      }
    }

    let turn = 0;
    for (const point of points) {
      for (const agents of counts) {
        log(`  cursor ${point.rows}×${point.gapMs} ms, ${agents} agent${agents === 1 ? '' : 's'}`);
        // Rotate the order each turn, so no configuration always runs first or last.
        const shift = turn++ % live.length;
        for (const cfg of [...live.slice(shift), ...live.slice(0, shift)]) {
          const cell = await runCell(targets.get(`${cfg.server}/${cfg.topology}`)!, cfg, point, agents, steps);
          result.cells.push(cell);
          log(
            `    ${configId(cfg).padEnd(28)} first p50 ${cell.firstMs.p50.toFixed(1).padStart(7)} ms  total p50 ${cell.totalMs.p50.toFixed(1).padStart(7)} ms  loop p50 ${cell.loopMs.p50.toFixed(0).padStart(6)} ms  ${cell.stepsPerSecond.toFixed(1).padStart(7)} steps/s  cpu ${cell.serverCpuMsPerStep.toFixed(2)} ms/step  harness ${(cell.harnessCpuShare * 100).toFixed(0)}%${cell.errors ? `  ERRORS ${cell.errors}: ${cell.firstError}` : ''}`,
          );
        }
      }
    }
  } finally {
    await Promise.all(balancers.map((b) => b.stop()));
    await Promise.all(processes.map((p) => p.stop()));
  }
  result.meta.loadAverageEnd = loadavg();
  result.meta.durationSeconds = (performance.now() - began) / 1000;
  return result;
}
