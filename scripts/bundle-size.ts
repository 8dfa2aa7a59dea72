// Prints the minified and gzipped size of a one-tool server bundled for a neutral platform
// (what Workers and the Edge runtime load), with no schema library and with zod, and the demo
// Worker as `wrangler deploy` ships it.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const serve = (schemaImport: string, options: string, inputSchema: string, handler: string) => `
    ${schemaImport}
    import { createServer, createMcpApp } from './src/index.ts';
    const server = createServer({ name: 'one', version: '1.0.0'${options} });
    server.registerTool('echo', { inputSchema: ${inputSchema} }, ${handler});
    export default createMcpApp(server);`;

/** A one-tool server per schema choice, as README.md tells users to write it (the bench bundles these too). */
export const OUR_VARIANTS = {
  'no schema library': serve(
    "import { jsonSchema } from './src/index.ts';",
    '',
    "jsonSchema({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] })",
    "(args) => ({ content: [{ type: 'text', text: String(args.text) }] })",
  ),
  'with zod': serve("import * as z from 'zod';", '', 'z.object({ text: z.string() })', "({ text }) => ({ content: [{ type: 'text', text }] })"),
  'with zod/mini': serve(
    "import * as z from 'zod/mini';",
    ", toJsonSchema: (s) => z.toJSONSchema(s, { io: 'input' })",
    'z.object({ text: z.string() })',
    "({ text }) => ({ content: [{ type: 'text', text }] })",
  ),
};

/** esbuild options for `contents` bundled as Workers and the Edge runtime load it (the bench uses them too). */
export function edgeBuildOptions(contents: string) {
  return {
    stdin: { contents, resolveDir: root, loader: 'ts' as const },
    bundle: true,
    write: false as const,
    minify: true,
    format: 'esm' as const,
    platform: 'neutral' as const,
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser', 'import'],
    logLevel: 'silent' as const,
  };
}

/** Bundles `contents` (resolved from the repo root) as Workers and the Edge runtime load it. */
export async function bundleForEdge(contents: string): Promise<Uint8Array> {
  const result = await build(edgeBuildOptions(contents));
  return result.outputFiles[0]!.contents;
}

/** The demo Worker as `wrangler deploy` ships it (wrangler.toml's `main`). */
export const DEMO_WORKER = "export { default } from './src/demo/workers.ts';";

/**
 * What the demo Worker may weigh, gzipped. It follows the README's advice on importing zod: 52.4 KB
 * when it served MCP alone. It now also serves the REST/OpenAPI face and health routes and carries
 * the OpenTelemetry API (about 3.5, 1 and 4.5 KB), hence 66 KB; the Hono shape of issue 12 (CORS
 * from hono/cors, the endpoint's middleware, the core split into method modules) added 2 KB, hence
 * 68 KB. A bundle past it means something else grew, so look before raising it.
 */
export const DEMO_WORKER_BUDGET = 68 * 1024;

export async function measure(contents: string): Promise<{ minified: number; gzipped: number; usesNode: boolean }> {
  const code = await bundleForEdge(contents);
  const text = new TextDecoder().decode(code);
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, usesNode: /["']node:/.test(text) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('one-tool server, neutral platform, esbuild --minify, gzip -9');
  for (const [name, contents] of Object.entries(OUR_VARIANTS)) {
    const size = await measure(contents);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`${name.padEnd(18)} minified ${kb(size.minified).padStart(9)}   gzipped ${kb(size.gzipped).padStart(8)}   node: imports ${size.usesNode ? 'YES' : 'none'}`);
  }
  const demo = await measure(DEMO_WORKER);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`\ndemo Worker (wrangler.toml) minified ${kb(demo.minified)}   gzipped ${kb(demo.gzipped)} (budget ${kb(DEMO_WORKER_BUDGET)})`);
}
