// `npm run bench`: stateless-mcp beside the ceilings (node:http, bare Hono) and the peers (official
// SDK 2.x, mcp-handler, mcp-lite, tmcp) in one run, so the ratios share the same machine state.
// Writes BENCHMARKS.md, bench/results/chart.svg and bench/results/results.json (BENCH_QUICK=1: a
// smoke run, written under bench/results/smoke/ instead). Settings: bench/lib/config.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { runBundles } from './lib/bundle-phase.ts';
import { runColdStarts } from './lib/cold-phase.ts';
import { config, describeConfig } from './lib/config.ts';
import { runLoadGroups, runLoadMatrix, SCENARIOS } from './lib/load-phase.ts';
import { elapsedSeconds, log } from './lib/log.ts';
import { resultsDir, root } from './lib/paths.ts';
import { pinSelf, stopAll } from './lib/proc.ts';
import { runProfiles } from './lib/profile-phase.ts';
import { renderChart } from './lib/chart.ts';
import { renderReport } from './lib/report.ts';
import { renderSoak, spliceSoak } from './lib/soak-report.ts';
import type { SoakResults } from './lib/soak-report.ts';
import type { Results } from './lib/results.ts';
import { NODE_SERVERS, RUNTIME_SERVERS } from './lib/servers.ts';
import type { ServerDef } from './lib/servers.ts';
import { runStreaming } from './lib/stream-phase.ts';

const outDir = config.quick ? `${resultsDir}smoke/` : resultsDir;
const reportFile = config.quick ? `${outDir}BENCHMARKS.md` : `${root}BENCHMARKS.md`;

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(`${root}node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function tool(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch (error) {
    return `unavailable (${(error as Error).message.split('\n')[0]})`;
  }
}

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
    const results = JSON.parse(readFileSync(`${outDir}results.json`, 'utf8')) as Results;
    writeOutputs(results);
    return;
  }
  requireTools();
  pinSelf(config.clientCpu);
  const ours = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  const results: Results = {
    meta: {
      date: new Date().toISOString(),
      quick: config.quick,
      settings: describeConfig(),
      command: config.quick ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench',
      machine: {
        nproc: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        kernel: release(),
        loadAverageStart: loadavg(),
      },
      nodeVersion: process.version,
      versions: {
        'stateless-mcp': ours.version,
        hono: version('hono'),
        '@hono/node-server': version('@hono/node-server'),
        '@modelcontextprotocol/server': version('@modelcontextprotocol/server'),
        'mcp-handler': version('mcp-handler'),
        'mcp-lite': version('mcp-lite'),
        tmcp: version('tmcp'),
        '@tmcp/transport-http': version('@tmcp/transport-http'),
        '@tmcp/adapter-zod': version('@tmcp/adapter-zod'),
        zod: version('zod'),
        esbuild: version('esbuild'),
        wrangler: version('wrangler'),
        workerd: tool(`${root}node_modules/@cloudflare/workerd-linux-64/bin/workerd`, ['--version']),
        bun: tool(`${root}node_modules/.bin/bun`, ['--version']),
        deno: tool(`${root}node_modules/.bin/deno`, ['--version']),
        wrk: tool('wrk', ['--version']).replace(/ Copyright.*/, ''),
      },
      commit: tool('git', ['-C', root, 'rev-parse', '--short', 'HEAD']) + (tool('git', ['-C', root, 'status', '--porcelain', '--', 'src']) ? ' (src/ has uncommitted changes)' : ''),
      phases: config.phases,
    },
    servers: [...NODE_SERVERS, ...RUNTIME_SERVERS],
  };
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
  if (config.phases.includes('profile')) results.profiles = await runProfiles();

  results.meta.durationSeconds = elapsedSeconds();
  results.meta.machine.loadAverageEnd = loadavg();
  writeOutputs(results);
}

/** The full report keeps the Soak section of the last `bench/soak.ts` run (a separate, 30-minute command). */
function withSoak(report: string): string {
  const file = `${resultsDir}soak.json`;
  if (config.quick || !existsSync(file)) return report;
  return spliceSoak(report, renderSoak(JSON.parse(readFileSync(file, 'utf8')) as SoakResults));
}

function writeOutputs(results: Results): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}results.json`, `${JSON.stringify(results, null, 1)}\n`);
  const chartFile = `${outDir}chart.svg`;
  writeFileSync(chartFile, renderChart(results));
  const chartLink = chartFile.replace(reportFile.slice(0, reportFile.lastIndexOf('/') + 1), '');
  writeFileSync(reportFile, withSoak(renderReport(results, chartLink)));
  log(`wrote ${reportFile.replace(root, '')}, ${chartFile.replace(root, '')} and ${outDir.replace(root, '')}results.json`);
}

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
// Lingering handles (HTTP keep-alive sockets, esbuild's service) must not keep a finished run alive.
process.exit(0);
