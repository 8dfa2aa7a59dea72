// Every server the bench runs: what it is, how it starts, which request forms and response modes
// it serves, and what its stateless mode needs from a client.
import { writeFileSync } from 'node:fs';
import { bundleForNode, bundleForWeb } from './build.ts';
import { bin, buildDir, root } from './paths.ts';
import type { StartOptions } from './proc.ts';
import type { Form } from './requests.ts';

export type Runtime = 'node' | 'bun' | 'deno' | 'workerd' | 'wrangler';
export type Kind = 'ceiling' | 'ours' | 'peer';
export type StreamMode = 'sse' | 'jsonl' | 'json';

export interface ServerDef {
  id: string;
  label: string;
  kind: Kind;
  runtime: Runtime;
  /** File in bench/servers. */
  entry: string;
  /** Request forms it answers under load (the ceilings ignore the form). */
  forms: Form[];
  /** Response modes measured in the streaming phase (empty: not measured). */
  stream: StreamMode[];
  /** The form used for cold start and streaming: 2026-07-28 where supported. */
  preferredForm: Form;
  /** Package whose version is reported. */
  pkg?: string;
  /** What its stateless mode is and needs, for BENCHMARKS.md. */
  notes: string;
}

const node = (d: Omit<ServerDef, 'runtime'>): ServerDef => ({ ...d, runtime: 'node' });

export const NODE_SERVERS: ServerDef[] = [
  node({
    id: 'node-http', label: 'node:http (hand-written)', kind: 'ceiling', entry: 'node-http.ts', forms: ['2026', '2025'], stream: ['sse'], preferredForm: '2026',
    notes: 'Ceiling: parses the body and answers echo / a fixed tools/list with no MCP library and no checks; streams slow_stream as SSE by hand.',
  }),
  node({
    id: 'hono', label: 'Hono route (bare)', kind: 'ceiling', entry: 'hono-node.ts', forms: ['2026', '2025'], stream: [], preferredForm: '2026', pkg: 'hono',
    notes: 'Ceiling: the same JSON-RPC as one `hono/tiny` POST route on @hono/node-server (the stack stateless-mcp runs on).',
  }),
  node({
    id: 'ours', label: 'stateless-mcp (zod)', kind: 'ours', entry: 'ours-node.ts', forms: ['2026', '2025'], stream: ['sse', 'jsonl', 'json'], preferredForm: '2026',
    notes: 'createServer + createMcpApp, served by @hono/node-server. Every POST stands alone on both lanes; 2025 requests need no initialize.',
  }),
  node({
    id: 'ours-json', label: 'stateless-mcp (JSON Schema)', kind: 'ours', entry: 'ours-node-json.ts', forms: ['2026', '2025'], stream: [], preferredForm: '2026',
    notes: 'The same with plain JSON Schema objects instead of zod: no schema library loaded.',
  }),
  node({
    id: 'sdk', label: 'official SDK 2.x', kind: 'peer', entry: 'sdk.ts', forms: ['2026', '2025'], stream: ['sse'], preferredForm: '2026', pkg: '@modelcontextprotocol/server',
    notes: "`createMcpHandler(factory)`: a fresh McpServer from the factory per request (its stateless idiom). 2026-07-28 natively (JSON unless a notification comes first, then SSE); 2025 through `legacy: 'stateless'` (the default), a streamable HTTP transport with no session id per request, answering in SSE; no initialize needed.",
  }),
  node({
    id: 'mcp-handler', label: 'mcp-handler (Vercel)', kind: 'peer', entry: 'mcp-handler.ts', forms: ['2026', '2025'], stream: ['sse'], preferredForm: '2026', pkg: 'mcp-handler',
    notes: "`createMcpHandler(init, { serverInfo })` on the SDK's createMcpHandler: the same per-request factory and lanes as the SDK, plus its own routing and telemetry hooks (no tracer registered).",
  }),
  node({
    id: 'mcp-lite', label: 'mcp-lite', kind: 'peer', entry: 'mcp-lite.ts', forms: ['2025'], stream: ['sse'], preferredForm: '2025', pkg: 'mcp-lite',
    notes: '`StreamableHttpTransport()` with no session adapter is its stateless mode: no initialize needed. Speaks 2025-03-26 and 2025-06-18 only (a 2026-07-28 header gets 400). Answers in SSE whenever Accept lists text/event-stream, as every conforming client sends.',
  }),
  node({
    id: 'tmcp', label: 'tmcp + transport-http', kind: 'peer', entry: 'tmcp.ts', forms: ['2026', '2025'], stream: ['sse'], preferredForm: '2026', pkg: 'tmcp',
    notes: '`HttpTransport(server, { path })`: 2026-07-28 per-request calls are sessionless; a 2025 POST with no Mcp-Session-Id gets a fresh session id and is answered without initialize. Always answers in SSE.',
  }),
];

export const RUNTIME_NAMES: Record<Runtime, string> = { node: 'Node', bun: 'Bun', deno: 'Deno', workerd: 'workerd', wrangler: 'wrangler dev' };

export const RUNTIME_SERVERS: ServerDef[] = (['bun', 'deno', 'workerd', 'wrangler'] as const).flatMap((runtime): ServerDef[] => {
  const prefix = runtime === 'workerd' || runtime === 'wrangler' ? 'worker' : runtime;
  const name = RUNTIME_NAMES[runtime];
  return [
    { id: `hono-${runtime}`, label: `Hono route (bare) on ${name}`, kind: 'ceiling', runtime, entry: `${prefix}-hono.ts`, forms: ['2026'], stream: [], preferredForm: '2026', notes: '' },
    { id: `ours-${runtime}`, label: `stateless-mcp (zod) on ${name}`, kind: 'ours', runtime, entry: `${prefix}-ours.ts`, forms: ['2026'], stream: [], preferredForm: '2026', notes: '' },
  ];
});

export const OFFLINE_WRANGLER = { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** Bundles (or configures) a server once; returns how to start it on a given port. */
export async function prepare(def: ServerDef): Promise<(port: number, extra?: { inspectorPort?: number; nodeArgs?: string[] }) => Omit<StartOptions, 'cpu'>> {
  switch (def.runtime) {
    case 'node': {
      const file = await bundleForNode(def.entry, def.id);
      return (port, extra) => ({ command: process.execPath, args: [...(extra?.nodeArgs ?? []), file], env: { PORT: String(port) }, ready: /READY \d+/, stopSignal: 'SIGTERM' });
    }
    case 'bun': {
      const file = await bundleForWeb(def.entry, def.id);
      return (port) => ({ command: bin('bun'), args: ['run', file], env: { PORT: String(port) }, ready: /READY \d+/ });
    }
    case 'deno': {
      const file = await bundleForWeb(def.entry, def.id);
      return (port) => ({
        command: bin('deno'),
        args: ['run', '--allow-net', '--allow-env', file],
        env: { PORT: String(port), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
        ready: /READY \d+/,
      });
    }
    case 'workerd': {
      // workerd itself, as production Workers run the module: one worker, one socket, no dev tooling.
      const file = await bundleForWeb(def.entry, def.id, ['workerd', 'worker', 'browser', 'import']);
      return (port) => {
        const config = `${buildDir}workerd-${def.id}-${port}.capnp`;
        writeFileSync(config, workerdConfig(file.slice(file.lastIndexOf('/') + 1), port));
        return { command: `${root}node_modules/@cloudflare/workerd-linux-64/bin/workerd`, args: ['serve', config], ready: /READY/, probePort: port };
      };
    }
    case 'wrangler': {
      // `wrangler dev` (local mode): wrangler bundles the TypeScript itself and serves it through
      // its own entry worker, in a second workerd process.
      const config = `${buildDir}wrangler-${def.id}.toml`;
      writeFileSync(config, `name = "bench-${def.id}"\nmain = "../servers/${def.entry}"\ncompatibility_date = "2026-08-15"\n`);
      return (port, extra) => ({
        // wrangler needs Node >= 22: the `node` devDependency's binary.
        command: bin('node'),
        args: [
          `${root}node_modules/wrangler/bin/wrangler.js`, 'dev', '--config', config, '--show-interactive-dev-session=false', '--log-level', 'warn',
          '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(extra?.inspectorPort ?? port + 1),
        ],
        env: OFFLINE_WRANGLER,
        ready: /READY/,
        probePort: port,
        timeoutMs: 90_000,
      });
    }
  }
}

/** A workerd config serving one ES module worker on 127.0.0.1:port (the file sits beside it). */
function workerdConfig(moduleFile: string, port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "${moduleFile}", esModule = embed "${moduleFile}") ],
  compatibilityDate = "2026-08-15",
);
`;
}
