// In-process cost of one request through app.fetch, with no HTTP server and no sockets: what the
// MCP layer itself costs per request on this runtime. `node --import tsx bench/micro.ts`
// (BENCH_MICRO_SECONDS, default 2 per case). Quick to rerun while changing the hot path; on a busy
// machine the times drift, and bench/gc.ts (allocation per request) is the steadier signal.
import { IN_PROCESS_APPS, IN_PROCESS_CASES, fetchOnce as once } from './lib/in-process.ts';
import type { App } from './lib/in-process.ts';
import type { Form, Operation } from './lib/requests.ts';

const seconds = Number(process.env.BENCH_MICRO_SECONDS ?? 2);
const apps: [string, App][] = IN_PROCESS_APPS.map(([name, create]) => [name, create()]);
const cases = IN_PROCESS_CASES;

const ROUNDS = 5;

async function measure(app: App, form: Form, operation: Operation, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) await once(app, form, operation);
    n += 50;
  }
  return ((performance.now() - start) * 1000) / n;
}

console.log(`in-process app.fetch: ${ROUNDS} interleaved rounds of ${((seconds * 1000) / ROUNDS).toFixed(0)} ms per app and case; median (min) µs per request; ${process.version}`);
for (const [form, operation] of cases) {
  const samples = new Map<string, number[]>();
  const live = apps;
  for (const [name, app] of live) {
    const problem = await once(app, form, operation);
    if (problem) throw new Error(`${name} ${operation} ${form}: wrong answer: ${problem}`);
    for (let i = 0; i < 2000; i++) await once(app, form, operation); // warm-up
    samples.set(name, []);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, app] of live) samples.get(name)!.push(await measure(app, form, operation, (seconds * 1000) / ROUNDS));
  }
  for (const [name, values] of samples) {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1]!;
    console.log(`${`${operation} ${form}`.padEnd(10)} ${name.padEnd(30)} ${median.toFixed(1).padStart(7)} µs  (min ${sorted[0]!.toFixed(1)})  ${Math.round(1e6 / median).toLocaleString('en-US')}/s`);
  }
}
