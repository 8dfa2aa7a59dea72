// `npm run bench`: stateless-mcp beside the ceilings (node:http, bare Hono) and the peers (official
// SDK 2.x, mcp-handler, mcp-lite, tmcp) in one run, so the ratios share the same machine state.
// Writes BENCHMARKS.md, bench/results/chart.svg and bench/results/results.json (BENCH_QUICK=1: a
// smoke run, written under bench/results/smoke/ instead). Settings: bench/lib/config.ts.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { runAgentLoop } from './lib/agent-loop-phase.ts';
import { runBundles } from './lib/bundle-phase.ts';
import { runColdStarts } from './lib/cold-phase.ts';
import { config } from './lib/config.ts';
import { runLoadGroups, runLoadMatrix, SCENARIOS } from './lib/load-phase.ts';
import { elapsedSeconds, log } from './lib/log.ts';
import { runMeta } from './lib/meta.ts';
import { readResults, writeOutputs } from './lib/outputs.ts';
import { pinSelf, runToEnd } from './lib/proc.ts';
import { runProfiles } from './lib/profile-phase.ts';
import type { Results } from './lib/results.ts';
import { NODE_SERVERS, RUNTIME_SERVERS } from './lib/servers.ts';
import type { ServerDef } from './lib/servers.ts';
import { runStreaming } from './lib/stream-phase.ts';

function selected(defs: ServerDef[]): ServerDef[] {
  return config.servers ? defs.filter((d) => config.servers!.includes(d.id)) : defs;
}

/** The bench drives load with wrk and pins processes with taskset: say how to get them before anything starts. */
function requireTools(): void {
  for (const [tool, pkg] of [['wrk', 'wrk'], ['taskset', 'util-linux']]) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      console.error(`bench: \`${tool}\` is not installed. On Debian/Ubuntu: sudo apt-get install -y ${pkg}; then run npm run bench again.`);
      process.exit(1);
    }
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_REPORT_ONLY === '1') {
    // Re-render the report from the last results.json, e.g. after changing the report's layout.
    const results = readResults();
    if (!results) throw new Error('BENCH_REPORT_ONLY=1 re-renders the last run, but there is none yet: run npm run bench first.');
    writeOutputs(results);
    return;
  }
  requireTools();
  pinSelf(config.clientCpu);
  const results: Results = { meta: runMeta(), servers: [...NODE_SERVERS, ...RUNTIME_SERVERS] };
  log(`bench ${config.quick ? '(smoke run) ' : ''}on ${results.meta.machine.nproc} cores (${results.meta.machine.cpuModel}), node ${process.version}`);
  log(`settings: ${results.meta.settings}; phases: ${config.phases.join(', ')}; servers on cpu ${config.serverCpu}, load generator and harness on cpu ${config.clientCpu}`);

  const nodeServers = selected(NODE_SERVERS);
  if (config.phases.includes('bundle')) results.bundles = await runBundles();
  if (config.phases.includes('load')) {
    results.load = await runLoadMatrix('load (tools/call echo, tools/list)', nodeServers, (def) => SCENARIOS.filter((s) => def.forms.includes(s.form)));
  }
  if (config.phases.includes('runtimes')) {
    // One runtime at a time: an idle wrangler or workerd would otherwise disturb the others' core.
    // wrangler dev is never idle (file watching, its proxy worker), so each runs alone.
    const groups = [
      selected(NODE_SERVERS.filter((d) => d.id === 'hono' || d.id === 'ours')),
      ...(['bun', 'deno', 'workerd'] as const).map((rt) => selected(RUNTIME_SERVERS.filter((d) => d.runtime === rt))),
      ...selected(RUNTIME_SERVERS.filter((d) => d.runtime === 'wrangler')).map((d) => [d]),
    ];
    results.runtimes = await runLoadGroups('runtimes (tools/call echo, 2026 form)', groups, () => SCENARIOS.filter((s) => s.id === 'echo-2026'));
  }
  if (config.phases.includes('cold')) {
    results.cold = await runColdStarts(selected([...NODE_SERVERS, ...RUNTIME_SERVERS.filter((d) => d.runtime !== 'wrangler')]));
  }
  if (config.phases.includes('stream')) results.stream = await runStreaming(nodeServers.filter((d) => d.stream.length > 0));
  if (config.phases.includes('agents')) results.agentLoop = await runAgentLoop(results.meta.command);
  if (config.phases.includes('profile')) results.profiles = await runProfiles();

  results.meta.durationSeconds = elapsedSeconds();
  results.meta.machine.loadAverageEnd = loadavg();
  writeOutputs(results);
}

await runToEnd(main);
