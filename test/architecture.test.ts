// The layering rules of the README's Layout section as a test: imports only flow down the request path, the
// core depends on no package, nothing outside the Node adapter touches Node built-ins, and no public module reaches the demo.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEMO_WORKER, DEMO_WORKER_BUDGET, OUR_VARIANTS, bundleForEdge, measure } from '../scripts/bundle-size.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.contract.ts') ? [path] : [];
  });
}

/** The module specifiers a file really imports (static, dynamic, re-exports), as the compiler reads them: import-like lines inside strings and templates (cli/starter.ts writes whole files) are not imports. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);
}

const files = sourceFiles(src).map((path) => ({ path, rel: relative(src, path), imports: importsOf(path) }));
const folderOf = (rel: string) => (rel.includes('/') ? rel.split('/')[0]! : '.');

/** What each folder may import (relative imports resolve to folders; '.' is src/index.ts). Every folder of src has a rule. */
const ALLOWED: Record<string, string[]> = {
  // The public barrel: the library's own layers, never the demo, the CLI or the optional integrations (they have their own entry points).
  '.': ['.', 'protocol', 'schema', 'store', 'mrtr', 'server', 'http', 'rest'],
  protocol: ['protocol'],
  schema: ['schema'],
  store: ['store', 'protocol'],
  mrtr: ['mrtr', 'protocol', 'store'],
  server: ['server', 'protocol', 'schema', 'store', 'mrtr'],
  // Rate limits count in the shared Store (Store.hit) and tell its outage apart (StoreUnavailableError).
  http: ['http', 'server', 'protocol', 'store', 'otel'],
  auth: ['auth', 'protocol'],
  redis: ['redis', 'store', 'protocol'],
  durable: ['durable', 'store', 'protocol'],
  client: ['client', 'protocol', 'otel'],
  // The REST face sits on the MCP endpoint and plays its client: it mirrors headers as clients do.
  rest: ['rest', 'http', 'server', 'protocol', 'client'],
  // OpenTelemetry (its API package only), for the endpoint and the client: it knows neither.
  otel: ['otel', 'protocol'],
  // Library adapters take the user's app: they never reach the demo.
  adapter: ['adapter', 'http', 'server', 'protocol'],
  // The CLI is a client of MCP servers (plus the stdio bridge and the starter writer): it never reaches into a server.
  cli: ['cli', 'client', 'protocol'],
  // The demo and its launchers sit on top of everything; nothing public imports them.
  demo: ['demo', 'adapter', 'http', 'rest', 'server', 'protocol', 'mrtr', '.'],
};
/** The only modules that may use Node built-ins: the adapters for Node hosts, the Node launcher and the CLI's entry and file access. */
const NODE_MODULES = ['adapter/node.ts', 'adapter/express.ts', 'adapter/fastify.ts', 'demo/node.ts', 'cli/main.ts', 'cli/files.ts'];
const CORE = ['protocol', 'schema', 'store', 'mrtr', 'server'];
/** A module longer than this does more than one job: split it by job. */
const MAX_MODULE_LINES = 310;

interface SourceFile {
  path: string;
  rel: string;
  imports: string[];
}

/** Every import that leaves what its folder may import; a folder without a rule is itself a violation, so a new folder needs one. */
function layeringViolations(sources: SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of sources) {
    const folder = folderOf(file.rel);
    const allowed = Object.hasOwn(ALLOWED, folder) ? ALLOWED[folder]! : undefined;
    if (!allowed) {
      violations.push(`${file.rel}: src/${folder} has no rule in ALLOWED; say what it may import`);
      continue;
    }
    for (const target of file.imports.filter((i) => i.startsWith('.'))) {
      const resolved = relative(src, join(file.path, '..', target));
      if (!allowed.includes(folderOf(resolved))) violations.push(`${file.rel} → ${resolved}`);
    }
  }
  return violations;
}

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('keeps node: imports inside the Node adapter and launcher', () => {
    const offenders = files.filter((f) => !NODE_MODULES.includes(f.rel) && f.imports.some((i) => i.startsWith('node:')));
    expect(offenders.map((f) => f.rel)).toEqual([]);
  });

  it('keeps the core free of packages', () => {
    const offenders = files.filter((f) => CORE.includes(folderOf(f.rel)) && f.imports.some((i) => !i.startsWith('.')));
    expect(offenders.map((f) => `${f.rel}: ${f.imports.filter((i) => !i.startsWith('.')).join(', ')}`)).toEqual([]);
  });

  it('imports only downward: protocol ← schema ← server ← http', () => {
    expect(layeringViolations(files)).toEqual([]);
  });

  it('has a rule for every folder of src and no rule for a folder that is gone', () => {
    const folders = new Set(readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory()));
    folders.add('.');
    expect([...folders].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('refuses a folder it has no rule for', () => {
    const stray = { path: join(src, 'newfolder', 'thing.ts'), rel: join('newfolder', 'thing.ts'), imports: ['../protocol/jsonrpc.ts'] };
    expect(layeringViolations([stray])).toEqual(['newfolder/thing.ts: src/newfolder has no rule in ALLOWED; say what it may import']);
  });

  it('reads real imports only, not import-like text in strings and templates', () => {
    const starter = files.find((f) => f.rel === join('cli', 'starter.ts'));
    expect(readFileSync(starter!.path, 'utf8')).toContain("from 'stateless-mcp'");
    expect(starter!.imports).toEqual([]);
    const bridge = files.find((f) => f.rel === join('cli', 'bridge.ts'));
    expect(bridge!.imports).toContain('../client/index.ts');
  });

  it('flags an upward import out of the CLI', () => {
    const reach = { path: join(src, 'cli', 'x.ts'), rel: join('cli', 'x.ts'), imports: ['../server/server.ts'] };
    expect(layeringViolations([reach])).toEqual(['cli/x.ts → server/server.ts']);
  });

  it('keeps every module of src within ~300 lines (small modules, one job each)', () => {
    const lengths = new Map(files.map((f) => [f.rel, readFileSync(f.path, 'utf8').split('\n').length - 1]));
    const oversized = [...lengths].filter(([, lines]) => lines > MAX_MODULE_LINES);
    expect(oversized).toEqual([]);
  });

  it('casts around the type checker in at most 8 places (`as unknown as`): values are checked, not asserted', () => {
    const casts = files.flatMap((f) => readFileSync(f.path, 'utf8').split('\n').flatMap((line, i) => (line.includes('as unknown as') ? [`${f.rel}:${i + 1}`] : [])));
    expect(casts.length, casts.join('\n')).toBeLessThanOrEqual(8);
  });

  it('bundles the app with the auth gate for a neutral platform (Workers, Edge) with no Node built-ins', async () => {
    const entry = `
      import { createDemoApp } from './src/demo/app.ts';
      import { createBearerAuth, jwtVerifier } from './src/auth/index.ts';
      export default createDemoApp({ auth: createBearerAuth({ verify: jwtVerifier({ jwksUrl: 'https://as.example/jwks', issuer: 'https://as.example' }), authorizationServers: ['https://as.example'] }) });`;
    const code = new TextDecoder().decode(await bundleForEdge(entry));
    expect(code).toContain('insufficient_scope');
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(/require\(["'](fs|path|http|crypto|buffer|stream)["']\)/);
    expect(code.length).toBeGreaterThan(10_000);
  });

  it('ships our JSON Schema validator only with servers that use jsonSchema()', async () => {
    const validatorText = 'invalid JSON Schema at';
    const decode = async (entry: string) => new TextDecoder().decode(await bundleForEdge(entry));
    expect(await decode(OUR_VARIANTS['no schema library'])).toContain(validatorText);
    expect(await decode(OUR_VARIANTS['with zod'])).not.toContain(validatorText);
    expect(await decode(OUR_VARIANTS['with zod/mini'])).not.toContain(validatorText);
  });

  it('ships the rate limiter and the health routes only with apps that use them', async () => {
    const decode = async (entry: string) => new TextDecoder().decode(await bundleForEdge(entry));
    const plain = await decode(OUR_VARIANTS['no schema library']);
    expect(plain).not.toContain('Too many requests');
    expect(plain).not.toContain('Not ready');
    const limited = await decode(`
      import { createMcpApp, createServer, healthRoutes, rateLimit } from './src/index.ts';
      const server = createServer({ name: 'limited', version: '1' });
      export default createMcpApp(server, { rateLimit: rateLimit({ windowMs: 60_000, max: 100 }) }).route('/', healthRoutes(server));`);
    expect(limited).toContain('Too many requests');
    expect(limited).toContain('Not ready');
  });

  it('keeps the demo Worker within its bundle budget (npm run bundle-size)', async () => {
    const demo = await measure(DEMO_WORKER);
    expect(demo.usesNode).toBe(false);
    expect(demo.gzipped).toBeLessThanOrEqual(DEMO_WORKER_BUDGET);
  });
});
