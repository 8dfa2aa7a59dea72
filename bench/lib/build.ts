// Bundles each server entry once with esbuild, as a serverless deploy would, so every server
// starts from one file: no TypeScript loader in the measured process, the same treatment for all.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { benchDir, buildDir, root } from './paths.ts';

// Some CommonJS dependencies call require(); an ESM bundle for Node gets one.
const NODE_BANNER = "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);";

/** Bundles bench/servers/<entry> for Node; returns the bundle's path. */
export async function bundleForNode(entry: string, name: string): Promise<string> {
  mkdirSync(buildDir, { recursive: true });
  const outfile = `${buildDir}${name}.mjs`;
  await build({
    entryPoints: [`${benchDir}servers/${entry}`],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: NODE_BANNER },
    absWorkingDir: root,
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Bundles an entry for a Web-standard runtime (Bun, Deno, workerd): neutral platform, as Workers load it,
 * with Node built-ins left as imports (none are expected).
 */
export async function bundleForWeb(entry: string, name: string, conditions = ['worker', 'browser', 'import']): Promise<string> {
  mkdirSync(buildDir, { recursive: true });
  const outfile = `${buildDir}${name}.mjs`;
  await build({
    entryPoints: [`${benchDir}servers/${entry}`],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions,
    external: ['node:*'],
    absWorkingDir: root,
    logLevel: 'error',
  });
  return outfile;
}
