// Bytes allocated per in-process request, and how many of them outlive a minor GC, from V8's
// sampling heap profiler: counts that barely move when other processes share the machine, unlike
// times. Per-request objects that survive minor GCs make scavenges slow and fill the old space (a
// fresh closure stored on a long-lived object once kept every 2026 call's objects alive this way).
// `node --import tsx bench/gc.ts` (BENCH_GC_REQUESTS, default 5000 per case; BENCH_GC_TOP=n also
// lists the n functions whose allocations survive most, for finding the cause). Each case runs in a
// process of its own: V8's pretenuring decisions persist, so one case would colour the next.
import { execFileSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { IN_PROCESS_APPS, IN_PROCESS_CASES, fetchOnce } from './lib/in-process.ts';
import type { App } from './lib/in-process.ts';
import type { Form, Operation } from './lib/requests.ts';

const requests = Number(process.env.BENCH_GC_REQUESTS ?? 5000);
const top = Number(process.env.BENCH_GC_TOP ?? 0);

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Self bytes per function ("name file:line"), summed over the sampled tree. */
function bytesBySite(head: ProfileNode): Map<string, number> {
  const sites = new Map<string, number>();
  const stack = [head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.slice(url.lastIndexOf('/') + 1)}:${lineNumber + 1}`;
    sites.set(site, (sites.get(site) ?? 0) + node.selfSize);
    stack.push(...node.children);
  }
  return sites;
}

async function sample(session: Session, app: App, form: Form, operation: Operation, survivorsOnly: boolean): Promise<Map<string, number>> {
  await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivorsOnly });
  for (let i = 0; i < requests; i++) await fetchOnce(app, form, operation);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  return bytesBySite(profile.head as ProfileNode);
}

const perRequest = (sites: Map<string, number>) => [...sites.values()].reduce((a, b) => a + b, 0) / requests;

async function measureCase(form: Form, operation: Operation, appIndex: number): Promise<void> {
  const [name, create] = IN_PROCESS_APPS[appIndex]!;
  const app = create();
  const problem = await fetchOnce(app, form, operation);
  if (problem) throw new Error(`${name} ${operation} ${form}: wrong answer: ${problem}`);
  for (let i = 0; i < 2000; i++) await fetchOnce(app, form, operation); // warm-up: optimised code allocates differently
  const session = new Session();
  session.connect();
  const allocated = perRequest(await sample(session, app, form, operation, false));
  const surviving = await sample(session, app, form, operation, true);
  session.disconnect();
  console.log(`${`${operation} ${form}`.padEnd(10)} ${name.padEnd(30)} ${Math.round(allocated).toLocaleString('en-US').padStart(7)} B allocated ${Math.round(perRequest(surviving)).toLocaleString('en-US').padStart(7)} B surviving`);
  if (top > 0) {
    for (const [site, bytes] of [...surviving].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${''.padStart(12)}${Math.round(bytes / requests).toString().padStart(7)} B  ${site}`);
  }
}

const [form, operation, app] = process.argv.slice(2);
if (form !== undefined) await measureCase(form as Form, operation as Operation, Number(app));
else {
  console.log(`in-process app.fetch, ${requests} requests per case, each case in a fresh process; bytes per request: allocated, and surviving a minor GC; ${process.version}`);
  for (const [form, operation] of IN_PROCESS_CASES) {
    for (let i = 0; i < IN_PROCESS_APPS.length; i++) {
      const args = [...process.execArgv, process.argv[1]!, form, operation, String(i)];
      process.stdout.write(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    }
  }
}
