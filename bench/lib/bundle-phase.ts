// Edge bundle size: a one-tool (echo) server bundled as Workers and the Edge runtime load it
// (esbuild, platform neutral, minified; the options of scripts/bundle-size.ts), gzipped at -9.
// Each bundle is then imported and asked one tools/call, so a size is only reported for a bundle
// that works.
import { build } from 'esbuild';
import { OUR_VARIANTS, edgeBuildOptions } from '../../scripts/bundle-size.ts';
import type { Metafile } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { log } from './log.ts';
import { buildDir, root } from './paths.ts';
import { checkResponse, operationRequest } from './requests.ts';
import type { Form } from './requests.ts';

export interface BundleVariant {
  id: string;
  label: string;
  server: string;
  schema: 'none' | 'zod' | 'zod (named import)' | 'zod/mini';
  form: Form;
  code: string;
  note?: string;
}

const ECHO_JSON_SCHEMA = `{ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }`;

export const BUNDLE_VARIANTS: BundleVariant[] = [
  {
    id: 'hono', label: 'Hono route (bare)', server: 'hono', schema: 'none', form: '2026',
    code: `
      import { Hono } from 'hono/tiny';
      const app = new Hono();
      app.post('/mcp', async (c) => { const m = await c.req.json(); return c.json({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: m.params.arguments.text }] } }); });
      export default app;`,
  },
  { id: 'ours-none', label: 'stateless-mcp', server: 'ours', schema: 'none', form: '2026', code: OUR_VARIANTS['no schema library'] },
  { id: 'ours-zod', label: 'stateless-mcp', server: 'ours', schema: 'zod', form: '2026', code: OUR_VARIANTS['with zod'] },
  {
    id: 'ours-zod-named', label: 'stateless-mcp', server: 'ours', schema: 'zod (named import)', form: '2026',
    note: "`import { z } from 'zod'`: esbuild cannot tree-shake through the re-exported namespace, so all of zod classic, locales included, is bundled. README.md tells users to write `import * as z from 'zod'`.",
    code: OUR_VARIANTS['with zod'].replace("import * as z from 'zod';", "import { z } from 'zod';"),
  },
  {
    id: 'ours-zod-mini', label: 'stateless-mcp', server: 'ours', schema: 'zod/mini', form: '2026',
    note: 'zod/mini has no Standard JSON Schema: the server is given `z.toJSONSchema` as its `toJsonSchema` option.',
    code: OUR_VARIANTS['with zod/mini'],
  },
  {
    id: 'sdk-zod', label: 'official SDK 2.x', server: 'sdk', schema: 'zod', form: '2026',
    note: 'zod is a dependency of the SDK: there is no build without it.',
    code: `
      import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
      import * as z from 'zod';
      const handler = createMcpHandler(() => {
        const server = new McpServer({ name: 'one', version: '1.0.0' });
        server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
        return server;
      });
      export default { fetch: (request) => handler.fetch(request) };`,
  },
  {
    id: 'mcp-handler-zod', label: 'mcp-handler (Vercel)', server: 'mcp-handler', schema: 'zod', form: '2026',
    note: 'On the official SDK, so zod comes with it.',
    code: `
      import { createMcpHandler } from 'mcp-handler';
      import * as z from 'zod';
      const handler = createMcpHandler((server) => {
        server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
      }, { serverInfo: { name: 'one', version: '1.0.0' } });
      export default { fetch: (request) => handler(request) };`,
  },
  {
    id: 'mcp-lite-none', label: 'mcp-lite', server: 'mcp-lite', schema: 'none', form: '2025',
    note: 'A plain JSON Schema is advertised but not validated by mcp-lite.',
    code: `
      import { McpServer, StreamableHttpTransport } from 'mcp-lite';
      const mcp = new McpServer({ name: 'one', version: '1.0.0' });
      mcp.tool('echo', { inputSchema: ${ECHO_JSON_SCHEMA}, handler: (args) => ({ content: [{ type: 'text', text: String(args.text) }] }) });
      const handle = new StreamableHttpTransport().bind(mcp);
      export default { fetch: (request) => handle(request) };`,
  },
  {
    id: 'mcp-lite-zod', label: 'mcp-lite', server: 'mcp-lite', schema: 'zod', form: '2025',
    code: `
      import { McpServer, StreamableHttpTransport } from 'mcp-lite';
      import * as z from 'zod';
      const mcp = new McpServer({ name: 'one', version: '1.0.0', schemaAdapter: (s) => z.toJSONSchema(s) });
      mcp.tool('echo', { inputSchema: z.object({ text: z.string() }), handler: ({ text }) => ({ content: [{ type: 'text', text }] }) });
      const handle = new StreamableHttpTransport().bind(mcp);
      export default { fetch: (request) => handle(request) };`,
  },
  {
    id: 'tmcp-zod', label: 'tmcp + transport-http', server: 'tmcp', schema: 'zod', form: '2026',
    note: 'Imports node:async_hooks (AsyncLocalStorage): on Workers it needs the nodejs_compat flag. tmcp also bundles valibot for its own protocol validation.',
    code: `
      import { McpServer } from 'tmcp';
      import { ZodJsonSchemaAdapter } from '@tmcp/adapter-zod';
      import { HttpTransport } from '@tmcp/transport-http';
      import * as z from 'zod';
      const server = new McpServer({ name: 'one', version: '1.0.0', description: 'one' }, { adapter: new ZodJsonSchemaAdapter(), capabilities: { tools: { listChanged: true } } });
      server.tool({ name: 'echo', description: 'echo', schema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
      const transport = new HttpTransport(server, { path: '/mcp' });
      export default { fetch: async (request) => (await transport.respond(request)) ?? new Response(null, { status: 404 }) };`,
  },
];

export interface BundleResult {
  id: string;
  label: string;
  server: string;
  schema: string;
  minified: number;
  gzipped: number;
  nodeImports: string[];
  /** Bytes in the minified output per source file, largest first. */
  inputs: { path: string; bytes: number }[];
  /** The same grouped by package (or src/<folder> for ours). */
  groups: { name: string; bytes: number }[];
  works: boolean;
  error?: string;
  note?: string;
}

function groupOf(path: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (pkg) {
    const [, name, rest = ''] = pkg;
    // zod's JSON Schema converter is the part a lazy conversion could leave out.
    if (name === 'zod' && /to-json-schema|json-schema/.test(rest)) return 'zod (JSON Schema converter)';
    if (name === 'zod' && /locales/.test(rest)) return 'zod (locales)';
    return name!;
  }
  const src = /^src\/([^/]+)\//.exec(path);
  if (src) return `stateless-mcp src/${src[1]}`;
  return path.startsWith('<stdin>') ? '(entry)' : path;
}

async function bundle(variant: BundleVariant): Promise<{ code: Uint8Array; metafile: Metafile }> {
  const result = await build({
    ...edgeBuildOptions(variant.code),
    // Left as imports (and reported): Workers provide some under nodejs_compat.
    external: ['node:*'],
    metafile: true,
  });
  return { code: result.outputFiles[0]!.contents, metafile: result.metafile };
}

async function works(file: string, form: Form): Promise<string | undefined> {
  const mod = (await import(pathToFileURL(file).href)) as { default: { fetch(request: Request): Promise<Response> | Response } };
  const spec = operationRequest(form, 'echo');
  const response = await mod.default.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', headers: { ...spec.headers, host: '127.0.0.1' }, body: spec.body }));
  return checkResponse('echo', response.status, await response.text());
}

export async function runBundles(): Promise<BundleResult[]> {
  log('edge bundles: one echo tool, esbuild --platform=neutral --minify, gzip -9');
  mkdirSync(buildDir, { recursive: true });
  const results: BundleResult[] = [];
  for (const variant of BUNDLE_VARIANTS) {
    const base = { id: variant.id, label: variant.label, server: variant.server, schema: variant.schema, note: variant.note };
    try {
      const { code, metafile } = await bundle(variant);
      const text = new TextDecoder().decode(code);
      const file = `${buildDir}edge-${variant.id}.mjs`;
      writeFileSync(file, code);
      const output = Object.values(metafile.outputs)[0]!;
      const inputs = Object.entries(output.inputs)
        .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
        .filter((i) => i.bytes > 0)
        .sort((a, b) => b.bytes - a.bytes);
      const groups = new Map<string, number>();
      for (const input of inputs) groups.set(groupOf(input.path), (groups.get(groupOf(input.path)) ?? 0) + input.bytes);
      let error: string | undefined;
      try {
        error = await works(file, variant.form);
      } catch (e) {
        error = (e as Error).message.slice(0, 300);
      }
      const result: BundleResult = {
        ...base,
        minified: code.byteLength,
        gzipped: gzipSync(code, { level: 9 }).byteLength,
        nodeImports: [...new Set(text.match(/["']node:[a-z_/]+["']/g) ?? [])].map((s) => s.slice(1, -1)),
        inputs,
        groups: [...groups].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
        works: error === undefined,
        error: error === undefined ? undefined : `bundle does not answer correctly: ${error}`,
      };
      results.push(result);
      log(`  ${`${variant.label} (${variant.schema})`.padEnd(40)} ${(result.minified / 1024).toFixed(1).padStart(7)} KB min  ${(result.gzipped / 1024).toFixed(1).padStart(6)} KB gz${result.nodeImports.length ? `  imports ${result.nodeImports.join(', ')}` : ''}${result.works ? '' : `  ${result.error}`}`);
    } catch (error) {
      results.push({ ...base, minified: NaN, gzipped: NaN, nodeImports: [], inputs: [], groups: [], works: false, error: (error as Error).message.slice(0, 500) });
      log(`  ${variant.label} (${variant.schema}): FAILED ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return results;
}
