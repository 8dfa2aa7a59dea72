// A/B of stateless-mcp's hot path: the bench server (bench/servers/ours-node.ts) built against the
// src/ of two or more source trees, served side by side (pinned like the bench) and loaded in
// interleaved rounds, so a change's effect shows through a noisy machine. Prints requests per
// CPU-second of the server (throughput divided by the share of its core it got).
//
//   git worktree add /tmp/base HEAD
//   node --import tsx bench/compare.ts /tmp/base .      # BENCH_SECONDS (4), BENCH_ROUNDS (3)
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { runWrk } from './lib/load.ts';
import { buildDir, root } from './lib/paths.ts';
import { freePort, memory, pinSelf, startPinned, stopAll, watchCore } from './lib/proc.ts';
import { expectedMarkers, operationRequest } from './lib/requests.ts';
import type { Form, Operation } from './lib/requests.ts';
import { median } from './lib/stats.ts';

const trees = process.argv.slice(2).map((t) => resolve(t));
if (trees.length < 2) throw new TypeError('usage: node --import tsx bench/compare.ts <tree A> <tree B> [...]: each a checkout with src/');
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const cases: [Form, Operation][] = [
  ['2026', 'echo'],
  ['2025', 'echo'],
  ['2026', 'list'],
];

/** Bundles the bench server with `src/index.ts` taken from `tree` (packages still from this checkout). */
async function bundle(tree: string, index: number): Promise<string> {
  mkdirSync(buildDir, { recursive: true });
  const outfile = `${buildDir}compare-${index}.mjs`;
  await build({
    entryPoints: [`${root}bench/servers/ours-node.ts`],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
    nodePaths: [`${root}node_modules`],
    plugins: [
      {
        name: 'src-from-tree',
        setup(b) {
          b.onResolve({ filter: /\/src\/index\.ts$/ }, () => ({ path: `${tree}/src/index.ts` }));
        },
      },
    ],
    logLevel: 'error',
  });
  return outfile;
}

pinSelf(1);
const servers: { tree: string; url: string; pid: number }[] = [];
try {
  for (const [i, tree] of trees.entries()) {
    const file = await bundle(tree, i);
    const port = await freePort();
    const { running, whenReady } = startPinned({ command: process.execPath, args: [file], env: { PORT: String(port) }, cpu: 0, ready: /READY \d+/ });
    await whenReady;
    servers.push({ tree, url: `http://127.0.0.1:${port}/mcp`, pid: running.pid });
  }
  for (const [form, operation] of cases) {
    const spec = operationRequest(form, operation);
    const markers = expectedMarkers(operation);
    for (const s of servers) await runWrk(s.url, spec, markers, { seconds: 2, connections: 50, cpu: 1 });
    const perCpu = new Map<string, number[]>(servers.map((s) => [s.tree, []]));
    for (let round = 0; round < rounds; round++) {
      for (const s of servers) {
        for (let attempt = 1; ; attempt++) {
          const watch = watchCore(s.pid, 0);
          const result = await runWrk(s.url, spec, markers, { seconds, connections: 50, cpu: 1 });
          const { serverShare, foreignShare } = watch();
          if (result.bad || result.socketErrors) throw new Error(`${s.tree}: wrong answers under load: ${result.badSample ?? ''}`);
          if ((foreignShare <= 0.1 && serverShare >= 0.85) || attempt === 4) {
            perCpu.get(s.tree)!.push(result.rps / Math.max(0.05, serverShare));
            break;
          }
        }
      }
    }
    const base = median(perCpu.get(servers[0]!.tree)!);
    for (const s of servers) {
      const m = median(perCpu.get(s.tree)!);
      console.log(`${operation} ${form}  ${s.tree.padEnd(40)} ${Math.round(m).toString().padStart(7)} req per CPU-second  ×${(m / base).toFixed(2)}  (rounds: ${perCpu.get(s.tree)!.map(Math.round).join(', ')})`);
    }
  }
  for (const s of servers) console.log(`RSS after load  ${s.tree.padEnd(40)} ${(memory(s.pid).rss / 2 ** 20).toFixed(1)} MB`);
} finally {
  stopAll();
}
process.exit(0);
