// Bundles each server entry once with esbuild, as a serverless deploy would, so every server
// starts from one file: no TypeScript loader in the measured process, the same treatment for all.
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { benchDir, buildDir, root } from './paths.ts';

// Some CommonJS dependencies call require(); an ESM bundle for Node gets one.
const NODE_BANNER = "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);";

/** The options every server bundle shares: one file from bench/servers/<entry>, as a deploy ships it. */
function bundle(entry: string, name: string, platform: BuildOptions): Promise<string> {
  mkdirSync(buildDir, { recursive: true });
  const outfile = `${buildDir}${name}.mjs`;
  return build({ entryPoints: [`${benchDir}servers/${entry}`], outfile, bundle: true, format: 'esm', absWorkingDir: root, logLevel: 'error', ...platform }).then(() => outfile);
}

/** Bundles bench/servers/<entry> for Node; returns the bundle's path. */
export function bundleForNode(entry: string, name: string): Promise<string> {
  return bundle(entry, name, { platform: 'node', target: 'node20', banner: { js: NODE_BANNER } });
}

/**
 * Bundles an entry for a Web-standard runtime (Bun, Deno, workerd): neutral platform, as Workers load it,
 * with Node built-ins left as imports (none are expected).
 */
export function bundleForWeb(entry: string, name: string, conditions = ['worker', 'browser', 'import']): Promise<string> {
  return bundle(entry, name, { platform: 'neutral', mainFields: ['module', 'main'], conditions, external: ['node:*'] });
}
