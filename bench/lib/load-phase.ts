// Throughput and latency under load: every server of a set started at once (pinned to the server
// core), warmed up, then measured in interleaved rounds; a run whose core was stolen is repeated.
import { config } from './config.ts';
import { runWrk } from './load.ts';
import type { WrkResult } from './load.ts';
import { log } from './log.ts';
import { freePort, memory, startPinned, watchCore } from './proc.ts';
import type { Running } from './proc.ts';
import { checkResponse, expectedMarkers, operationRequest } from './requests.ts';
import type { Form, Operation } from './requests.ts';
import { prepare } from './servers.ts';
import type { ServerDef } from './servers.ts';
import { max, median, min } from './stats.ts';

export interface Scenario {
  id: string;
  form: Form;
  operation: Operation;
}

export const SCENARIOS: Scenario[] = [
  { id: 'echo-2026', form: '2026', operation: 'echo' },
  { id: 'list-2026', form: '2026', operation: 'list' },
  { id: 'echo-2025', form: '2025', operation: 'echo' },
  { id: 'list-2025', form: '2025', operation: 'list' },
];

export interface RunRecord {
  server: string;
  scenario: string;
  round: number;
  attempt: number;
  result: WrkResult;
  serverShare: number;
  foreignShare: number;
  clean: boolean;
  /** The run that stands for its round (the clean one, or the best of the noisy tries). */
  chosen: boolean;
}

export interface Aggregate {
  server: string;
  scenario: string;
  /** Median over rounds of each round's chosen run. */
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50Ms: number;
  p99Ms: number;
  rounds: number;
  /** Rounds whose chosen run was clean (core not stolen). */
  cleanRounds: number;
  attempts: number;
  requests: number;
  checked: number;
  bad: number;
  non2xx: number;
  socketErrors: number;
  badSample?: string;
}

export interface MemorySample {
  rss: number;
  peak: number;
}

export interface LoadOutcome {
  records: RunRecord[];
  aggregates: Aggregate[];
  memory: Record<string, { start: MemorySample; afterLoad?: MemorySample }>;
  /** Servers or scenarios that could not be measured, and why. */
  failures: { server: string; scenario?: string; reason: string }[];
}

interface Live {
  def: ServerDef;
  running: Running;
  url: string;
}

async function verify(url: string, scenario: Scenario): Promise<string | undefined> {
  const spec = operationRequest(scenario.form, scenario.operation);
  for (let i = 0; i < 3; i++) {
    const response = await fetch(url, { method: 'POST', headers: spec.headers, body: spec.body });
    const problem = checkResponse(scenario.operation, response.status, await response.text());
    if (problem) return problem;
  }
  return undefined;
}

/** RSS of each server right after its latest load run. */
const lastMemory = new Map<string, MemorySample>();

/** One measured run, repeated while another process steals the server's core. */
async function measure(live: Live, scenario: Scenario, round: number, records: RunRecord[]): Promise<RunRecord> {
  const spec = operationRequest(scenario.form, scenario.operation);
  const tries: RunRecord[] = [];
  for (let attempt = 1; attempt <= Math.max(1, config.attempts); attempt++) {
    const watch = watchCore(live.running.pid, config.serverCpu);
    const result = await runWrk(live.url, spec, expectedMarkers(scenario.operation), { seconds: config.seconds, connections: config.connections, cpu: config.clientCpu });
    const { serverShare, foreignShare } = watch();
    // Right after the run, before the server idles and V8 shrinks its heap.
    lastMemory.set(live.def.id, memory(live.running.pid));
    const clean = foreignShare <= config.maxForeign && serverShare >= config.minServerShare;
    const record: RunRecord = { server: live.def.id, scenario: scenario.id, round, attempt, result, serverShare, foreignShare, clean, chosen: false };
    records.push(record);
    tries.push(record);
    const note = clean ? '' : `  (noisy: server ${(serverShare * 100).toFixed(0)}% of its core, others ${(foreignShare * 100).toFixed(0)}%${attempt < config.attempts ? ', repeating' : ''})`;
    const errors = result.bad + result.socketErrors ? `  ERRORS bad=${result.bad} socket=${result.socketErrors}` : '';
    log(`    ${live.def.label.padEnd(30)} ${Math.round(result.rps).toString().padStart(7)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms${errors}${note}`);
    if (clean) return record;
  }
  return tries.reduce((best, r) => (r.result.rps > best.result.rps ? r : best));
}

export async function runLoadMatrix(title: string, defs: ServerDef[], scenariosOf: (def: ServerDef) => Scenario[]): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { records: [], aggregates: [], memory: {}, failures: [] };
  log(`${title}: preparing ${defs.length} servers`);
  const lives: Live[] = [];
  for (const def of defs) {
    try {
      const startOptions = await prepare(def);
      const port = await freePort();
      const inspectorPort = def.runtime === 'workerd' ? await freePort() : undefined;
      const { running, whenReady } = startPinned({ ...startOptions(port, { inspectorPort }), cpu: config.serverCpu });
      await whenReady;
      lives.push({ def, running, url: `http://127.0.0.1:${port}/mcp` });
      log(`  started ${def.label} (pid ${running.pid}, port ${port})`);
    } catch (error) {
      outcome.failures.push({ server: def.id, reason: `did not start: ${(error as Error).message.slice(0, 500)}` });
      log(`  FAILED to start ${def.label}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const live of lives) outcome.memory[live.def.id] = { start: memory(live.running.pid) };

    // Full check of every answer first: a server that answers wrongly is reported, not timed.
    const plan: { live: Live; scenario: Scenario }[] = [];
    for (const live of lives) {
      for (const scenario of scenariosOf(live.def)) {
        const problem = await verify(live.url, scenario).catch((error: Error) => error.message);
        if (problem) {
          outcome.failures.push({ server: live.def.id, scenario: scenario.id, reason: problem });
          log(`  ${live.def.label} ${scenario.id}: WRONG ANSWER, not measured: ${problem.slice(0, 200)}`);
        } else plan.push({ live, scenario });
      }
    }

    if (config.warmup > 0) {
      log(`  warming up (${config.warmup} s per server${config.warmupEvery ? ' and request' : ''})`);
      const warmed = new Set<string>();
      for (const { live, scenario } of plan) {
        if (!config.warmupEvery && warmed.has(live.def.id)) continue;
        warmed.add(live.def.id);
        const spec = operationRequest(scenario.form, scenario.operation);
        await runWrk(live.url, spec, expectedMarkers(scenario.operation), { seconds: config.warmup, connections: config.connections, cpu: config.clientCpu }).catch((error: Error) =>
          log(`    ${live.def.label} ${scenario.id}: warm-up failed: ${error.message.split('\n')[0]}`),
        );
      }
    }

    const scenarioIds = [...new Set(plan.map((p) => p.scenario.id))];
    for (let round = 1; round <= config.rounds; round++) {
      for (const scenarioId of scenarioIds) {
        log(`  round ${round}/${config.rounds} · ${scenarioId}`);
        const entries = plan.filter((p) => p.scenario.id === scenarioId);
        // Rotate the order each round, so no server always runs first or last.
        const shift = (round - 1) % entries.length;
        for (const { live, scenario } of [...entries.slice(shift), ...entries.slice(0, shift)]) {
          try {
            (await measure(live, scenario, round, outcome.records)).chosen = true;
          } catch (error) {
            // A crashed server or load generator fails this cell only; the run goes on.
            outcome.failures.push({ server: live.def.id, scenario: scenario.id, reason: `round ${round}: ${(error as Error).message.slice(0, 500)}` });
            log(`    ${live.def.label}: FAILED ${(error as Error).message.split('\n')[0]}`);
          }
        }
      }
    }

    for (const live of lives) {
      const mem = outcome.memory[live.def.id];
      if (mem) mem.afterLoad = lastMemory.get(live.def.id) ?? memory(live.running.pid);
    }

    for (const { live, scenario } of plan) {
      const all = outcome.records.filter((r) => r.server === live.def.id && r.scenario === scenario.id);
      const chosen = all.filter((r) => r.chosen);
      if (chosen.length === 0) continue;
      outcome.aggregates.push({
        server: live.def.id,
        scenario: scenario.id,
        rps: median(chosen.map((r) => r.result.rps)),
        rpsMin: min(chosen.map((r) => r.result.rps)),
        rpsMax: max(chosen.map((r) => r.result.rps)),
        p50Ms: median(chosen.map((r) => r.result.p50Ms)),
        p99Ms: median(chosen.map((r) => r.result.p99Ms)),
        rounds: chosen.length,
        cleanRounds: chosen.filter((r) => r.clean).length,
        attempts: all.length,
        requests: all.reduce((s, r) => s + r.result.requests, 0),
        checked: all.reduce((s, r) => s + r.result.checked, 0),
        bad: all.reduce((s, r) => s + r.result.bad, 0),
        non2xx: all.reduce((s, r) => s + r.result.non2xx, 0),
        socketErrors: all.reduce((s, r) => s + r.result.socketErrors, 0),
        badSample: all.find((r) => r.result.badSample)?.result.badSample,
      });
    }
  } finally {
    await Promise.all(lives.map((l) => l.running.stop()));
  }
  return outcome;
}

/** Runs each group of servers on its own (alive together, measured in interleaved rounds), one group after another. */
export async function runLoadGroups(title: string, groups: ServerDef[][], scenariosOf: (def: ServerDef) => Scenario[]): Promise<LoadOutcome> {
  const merged: LoadOutcome = { records: [], aggregates: [], memory: {}, failures: [] };
  for (const group of groups.filter((g) => g.length > 0)) {
    const outcome = await runLoadMatrix(`${title}: ${group.map((d) => d.label).join(', ')}`, group, scenariosOf);
    merged.records.push(...outcome.records);
    merged.aggregates.push(...outcome.aggregates);
    Object.assign(merged.memory, outcome.memory);
    merged.failures.push(...outcome.failures);
  }
  return merged;
}
