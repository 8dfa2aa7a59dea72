// What a run records about itself: versions of everything measured, the machine, the commit.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { config, describeConfig } from './config.ts';
import { root } from './paths.ts';
import type { Results } from './results.ts';

export function packageVersion(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(`${root}node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** The first line a tool prints for `args`, or why it could not run. */
export function toolVersion(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch (error) {
    return `unavailable (${(error as Error).message.split('\n')[0]})`;
  }
}

export function runMeta(): Results['meta'] {
  const ours = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  return {
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
      hono: packageVersion('hono'),
      '@hono/node-server': packageVersion('@hono/node-server'),
      '@modelcontextprotocol/server': packageVersion('@modelcontextprotocol/server'),
      'mcp-handler': packageVersion('mcp-handler'),
      'mcp-lite': packageVersion('mcp-lite'),
      tmcp: packageVersion('tmcp'),
      '@tmcp/transport-http': packageVersion('@tmcp/transport-http'),
      '@tmcp/adapter-zod': packageVersion('@tmcp/adapter-zod'),
      zod: packageVersion('zod'),
      esbuild: packageVersion('esbuild'),
      wrangler: packageVersion('wrangler'),
      workerd: toolVersion(`${root}node_modules/@cloudflare/workerd-linux-64/bin/workerd`, ['--version']),
      bun: toolVersion(`${root}node_modules/.bin/bun`, ['--version']),
      deno: toolVersion(`${root}node_modules/.bin/deno`, ['--version']),
      wrk: toolVersion('wrk', ['--version']).replace(/ Copyright.*/, ''),
    },
    commit: commit(),
    phases: config.phases,
  };
}

/** The short commit, flagged when src/ differs from it. */
export function commit(): string {
  return toolVersion('git', ['-C', root, 'rev-parse', '--short', 'HEAD']) + (toolVersion('git', ['-C', root, 'status', '--porcelain', '--', 'src']) ? ' (src/ has uncommitted changes)' : '');
}
