// The soak: the demo server under mixed calls from many concurrent client loops for a long time,
// its RSS and heap read every minute, to show memory levels off after warm-up.
//
//   node --import tsx bench/soak.ts [--minutes 30] [--connections 20]
//
// Writes bench/results/soak.json and the "Soak" section of BENCHMARKS.md; a run shorter than 10
// minutes (e.g. `--minutes 2`, to check the harness) writes bench/results/smoke/soak.json only.
// `--report` re-renders the section from bench/results/soak.json without running anything.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryStore } from '../src/store/memory.ts';
import { bundleForNode } from './lib/build.ts';
import { log } from './lib/log.ts';
import { resultsDir, root } from './lib/paths.ts';
import { freePort, memory, pinSelf, startPinned, stopAll } from './lib/proc.ts';
import type { Running } from './lib/proc.ts';
import { failedTotal, modernMrtr, okByKind, startLoad } from './lib/soak-load.ts';
import { claimsAlive, renderSoak, spliceSoak } from './lib/soak-report.ts';
import type { SoakResults, SoakSample } from './lib/soak-report.ts';

const SERVER_CPU = 1;
const HARNESS_CPU = 0;
/** The requestState TTL the demo runs with (src/mrtr/request-state.ts, DEFAULT_TTL_MS). */
const CLAIM_TTL_MINUTES = 10;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`soak: --${name} needs a positive whole number, e.g. --${name} ${fallback}.`);
    process.exit(1);
  }
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks the server for its heap (SIGUSR2 → one `HEAP {…}` line) and waits for the answer. */
async function heapOf(server: Running): Promise<Partial<SoakSample>> {
  const count = () => server.output().split('\nHEAP ').length;
  const before = count();
  process.kill(server.pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000 && count() === before; waited += 50) await sleep(50);
  const line = server.output().split('\nHEAP ').at(-1)?.split('\n')[0];
  if (count() === before || line === undefined) return {};
  const heap = JSON.parse(line) as { heapUsed: number; heapTotal: number; heapUsedAfterGc?: number; external: number };
  return { heapUsed: heap.heapUsed, heapTotal: heap.heapTotal, heapUsedAfterGc: heap.heapUsedAfterGc, external: heap.external };
}

/**
 * Heap bytes per claim record in a MemoryStore holding `count` of them in steady state: records made
 * at a constant rate for two TTLs on a simulated clock, so that for the second they expire as fast as
 * they are made, as in the soak after warm-up. The Map keeps deleted entries' slots until it rebuilds
 * its table, so under churn it holds up to twice the slots a fresh fill would.
 */
async function claimBytes(count: number): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const ttlSeconds = CLAIM_TTL_MINUTES * 60;
  const perSecond = Math.max(1, Math.round(count / ttlSeconds));
  let now = 0;
  const first = 'requestState:first';
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = new MemoryStore({ now: () => now });
  for (let second = 1; second <= 2 * ttlSeconds; second++) {
    now = second * 1000;
    // Keys shaped as input-round.ts makes them, each a fresh string.
    for (let i = 0; i < perSecond; i++) await store.claim(`requestState:${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')}`, now + ttlSeconds * 1000);
  }
  await store.claim(first, now + ttlSeconds * 1000);
  gc();
  const after = process.memoryUsage().heapUsed;
  // Touch the store after measuring, so it is still alive when the heap is read.
  if (await store.claim(first, now)) throw new Error('soak: the claim probe lost its records before they were measured');
  return (after - before) / (perSecond * ttlSeconds);
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function writeSection(results: SoakResults): string[] {
  const section = renderSoak(results);
  writeFileSync(`${root}BENCHMARKS.md`, spliceSoak(readFileSync(`${root}BENCHMARKS.md`, 'utf8'), section));
  return section;
}

async function main(): Promise<void> {
  if (process.argv.includes('--report')) {
    const saved = JSON.parse(readFileSync(`${resultsDir}soak.json`, 'utf8')) as SoakResults;
    // --claim-bytes: measure the per-record cost again (e.g. after a change to the MemoryStore).
    const results = process.argv.includes('--claim-bytes') ? { ...saved, claimBytes: await claimBytes(Math.max(...saved.samples.map((s) => claimsAlive(saved, s)))) } : saved;
    writeFileSync(`${resultsDir}soak.json`, `${JSON.stringify(results, null, 1)}\n`);
    writeSection(results);
    return log('rewrote the Soak section of BENCHMARKS.md from bench/results/soak.json');
  }
  const minutes = option('minutes', 30);
  const connections = option('connections', 20);
  const smoke = minutes < 10;
  const warmupMinutes = Math.min(5, Math.max(1, Math.floor(minutes / 6)));
  const command = `node --import tsx bench/soak.ts --minutes ${minutes} --connections ${connections}`;
  const measured = commit();

  log(`soak: ${minutes} min, ${connections} connections; bundling the demo server`);
  const file = await bundleForNode('soak-demo.ts', 'soak-demo');
  const port = await freePort();
  const { running: server, whenReady } = startPinned({
    command: process.execPath,
    args: ['--expose-gc', file],
    cpu: SERVER_CPU,
    env: { PORT: String(port), REQUEST_LOG: 'off' },
    ready: /READY \d+/,
    stopSignal: 'SIGTERM',
  });
  await whenReady;
  pinSelf(HARNESS_CPU);
  const loadAverageStart = loadavg();
  log(`server pid ${server.pid} on 127.0.0.1:${port}; load average ${loadAverageStart.map((n) => n.toFixed(2)).join(' ')}`);

  const load = startLoad(`http://127.0.0.1:${port}/mcp`, connections);
  const samples: SoakSample[] = [];
  const started = performance.now();
  const sample = async (minute: number) => {
    // RSS first: the heap probe below forces a collection.
    const { rss } = memory(server.pid);
    const heap = await heapOf(server);
    const s: SoakSample = { minute, rss, ...heap, load1: loadavg()[0]!, ok: okByKind(load.counts), modernMrtr: modernMrtr(load.counts), failed: failedTotal(load.counts) };
    samples.push(s);
    const ops = Object.values(s.ok).reduce((a, b) => a + b, 0);
    log(`minute ${minute}: RSS ${(rss / 2 ** 20).toFixed(1)} MiB, heap ${((s.heapUsed ?? NaN) / 2 ** 20).toFixed(1)} MiB (${((s.heapUsedAfterGc ?? NaN) / 2 ** 20).toFixed(1)} after GC), ${ops} ops, ${s.failed} failed, load ${s.load1.toFixed(2)}`);
  };
  await sample(0);
  for (let minute = 1; minute <= minutes; minute++) {
    await sleep(Math.max(0, started + minute * 60_000 - performance.now()));
    if (server.child.exitCode !== null) throw new Error(`the server exited during the soak:\n${server.output().slice(-2000)}`);
    await sample(minute);
  }
  await load.stop();
  await server.stop();

  const partial: SoakResults = {
    date: new Date().toISOString(),
    command,
    commit: measured,
    nodeVersion: process.version,
    minutes,
    connections,
    warmupMinutes,
    claimTtlMinutes: CLAIM_TTL_MINUTES,
    claimBytes: 0,
    samples,
    counts: load.counts,
    errors: load.errors,
    loadAverageStart,
    loadAverageEnd: loadavg(),
  };
  const results: SoakResults = { ...partial, claimBytes: await claimBytes(Math.max(...samples.map((s) => claimsAlive(partial, s)))) };
  const outDir = smoke ? `${resultsDir}smoke/` : resultsDir;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}soak.json`, `${JSON.stringify(results, null, 1)}\n`);
  const section = smoke ? renderSoak(results) : writeSection(results);
  console.log(`\n${section.join('\n')}`);
  log(`wrote ${outDir}soak.json${smoke ? '' : ' and the Soak section of BENCHMARKS.md'}`);
}

process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
main().catch((error: unknown) => {
  console.error(error);
  stopAll();
  process.exit(1);
});
