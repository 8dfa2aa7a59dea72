// What `stateless-mcp init` writes for each runtime: a server with one tool, package.json, the
// runtime's own configuration and a README with the commands to install and run. Pure: file
// paths and contents, no I/O. Versions come from the running package's manifest, so a starter
// depends on this release and on the tool versions it was tested with.

export const RUNTIMES = ['node', 'workers', 'next', 'lambda', 'deno', 'bun'] as const;
export type Runtime = (typeof RUNTIMES)[number];

export interface Manifest {
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export type StarterFiles = Record<string, string>;

/** A package name npm accepts, from a directory name: lower case, URL-safe, 1 to 214 characters. */
export function packageName(directory: string): string {
  const base = directory.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  const name = base.toLowerCase().replace(/[^a-z0-9._~-]+/g, '-').replace(/^[._-]+/, '').slice(0, 214);
  return name || 'mcp-server';
}

// @types/bun is versioned with Bun.
const VERSIONED_WITH: Readonly<Record<string, string>> = { '@types/bun': 'bun' };

/** `^x.y.z` of a package this one depends on or is tested with. */
function range(manifest: Manifest, name: string): string {
  const source = VERSIONED_WITH[name] ?? name;
  const version = manifest.dependencies?.[source] ?? manifest.devDependencies?.[source];
  if (!version) throw new Error(`stateless-mcp's package.json names no version of ${source}; reinstall stateless-mcp.`);
  return `^${version.replace(/^[\^~]/, '')}`;
}

const versions = (manifest: Manifest, names: readonly string[]) => Object.fromEntries(names.map((name) => [name, range(manifest, name)]));

const LOCAL = 'http://127.0.0.1:3000/mcp';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A starter's package.json: stateless-mcp and zod, and what the runtime adds. */
function packageJson(name: string, manifest: Manifest, scripts: Record<string, string> | undefined, dependencies: readonly string[], devDependencies: readonly string[]): string {
  return json({
    name,
    private: true,
    type: 'module',
    scripts,
    dependencies: versions(manifest, [...dependencies, 'stateless-mcp', 'zod'].sort()),
    devDependencies: devDependencies.length > 0 ? versions(manifest, devDependencies) : undefined,
  });
}

/** The server every starter shares: one tool, registered at module scope. */
function serverDefinition(name: string): string {
  return `const server = createServer({ name: '${name}', version: '0.1.0' });

// One tool to start from; register more the same way.
server.registerTool(
  'hello',
  {
    description: 'Greets someone by name',
    inputSchema: z.object({ name: z.string().describe('Who to greet') }),
  },
  ({ name }) => ({ content: [{ type: 'text', text: \`Hello, \${name}!\` }] }),
);
`;
}

const IMPORTS = `import * as z from 'zod';
import { createMcpApp, createServer } from 'stateless-mcp';
`;

/** The options of `serve` on Node, Bun and Deno: PORT and HOST from the environment, one line once listening. */
function serveOptions(env: (name: string) => string): string {
  return `{
  port: Number(${env('PORT')} ?? 3000),
  hostname: ${env('HOST')},
  onListen: ({ url }) => console.log(\`MCP server listening on \${url}/mcp\`),
}`;
}
const processEnv = (name: string) => `process.env.${name}`;

function readme(name: string, runtime: string, steps: string, endpoint: string, note = ''): string {
  return `# ${name}

An MCP server on ${runtime}, made with [stateless-mcp](https://www.npmjs.com/package/stateless-mcp):
every request stands alone, so any instance can answer it. It has one tool, \`hello\`; add yours
where it is registered. Each request is logged on one line.

\`\`\`sh
${steps}
\`\`\`

The endpoint is ${endpoint}.${note ? ` ${note}` : ''}

Try it with the stateless-mcp CLI (or the MCP Inspector, Streamable HTTP transport):

\`\`\`sh
npx stateless-mcp tools ${endpoint}
npx stateless-mcp call ${endpoint} hello name=Ada
\`\`\`
`;
}

const NODE_TSCONFIG = {
  compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
};

function node(name: string, manifest: Manifest): StarterFiles {
  return {
    'package.json': packageJson(name, manifest, { start: 'tsx server.ts', dev: 'tsx watch server.ts', typecheck: 'tsc' }, [], ['@types/node', 'tsx', 'typescript']),
    'tsconfig.json': json({ ...NODE_TSCONFIG, include: ['*.ts'] }),
    'server.ts': `${IMPORTS}import { serve } from 'stateless-mcp/node';

${serverDefinition(name)}
// PORT and HOST from the environment; HOST=0.0.0.0 serves every interface (then set allowedHosts
// on createMcpApp to the names clients use).
await serve(createMcpApp(server), ${serveOptions(processEnv)});
`,
    'README.md': readme(name, 'Node.js', 'npm install\nnpm start            # PORT=8080 npm start for another port', LOCAL, '`npm run dev` restarts on changes.'),
  };
}

function bun(name: string, manifest: Manifest): StarterFiles {
  return {
    'package.json': packageJson(name, manifest, { start: 'bun run server.ts', dev: 'bun --watch server.ts' }, [], ['@types/bun']),
    'tsconfig.json': json({ compilerOptions: { target: 'esnext', module: 'preserve', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: true, types: ['bun'] } }),
    'server.ts': `${IMPORTS}import { serve } from 'stateless-mcp/bun';

${serverDefinition(name)}
serve(createMcpApp(server), ${serveOptions(processEnv)});
`,
    'README.md': readme(name, 'Bun', 'bun install\nbun run start        # PORT=8080 bun run start for another port', LOCAL),
  };
}

function deno(name: string, manifest: Manifest): StarterFiles {
  return {
    // Deno reads npm dependencies from package.json and installs them into node_modules.
    'package.json': packageJson(name, manifest, undefined, [], []),
    'deno.json': json({ nodeModulesDir: 'manual', tasks: { start: 'deno run --allow-net --allow-env server.ts', dev: 'deno run --watch --allow-net --allow-env server.ts' } }),
    'server.ts': `${IMPORTS}import { serve } from 'stateless-mcp/deno';

${serverDefinition(name)}
serve(createMcpApp(server), ${serveOptions((name) => `Deno.env.get('${name}')`)});
`,
    'README.md': readme(name, 'Deno', 'deno install\ndeno task start      # PORT=8080 deno task start for another port', LOCAL, 'On Deno Deploy, `export default createMcpApp(server)` is the whole entry.'),
  };
}

function workers(name: string, manifest: Manifest): StarterFiles {
  return {
    'package.json': packageJson(name, manifest, { dev: 'wrangler dev', deploy: 'wrangler deploy' }, [], ['wrangler']),
    // Web APIs only: no nodejs_compat needed.
    'wrangler.toml': `name = ${JSON.stringify(name)}\nmain = "src/index.ts"\ncompatibility_date = "2026-08-15"\n`,
    'tsconfig.json': json({ compilerOptions: { target: 'es2022', module: 'es2022', moduleResolution: 'bundler', lib: ['es2023', 'webworker'], strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['src'] }),
    'src/index.ts': `${IMPORTS}
${serverDefinition(name)}
// The app is the Worker's fetch handler.
export default createMcpApp(server);
`,
    'README.md': readme(name, 'Cloudflare Workers', 'npm install\nnpm run dev          # local workerd; npm run dev -- --port 3000 for another port\nnpm run deploy       # publish to your Cloudflare account', 'http://127.0.0.1:8787/mcp', 'That is the local one; `npm run deploy` prints the deployed URL.'),
  };
}

function next(name: string, manifest: Manifest): StarterFiles {
  return {
    'package.json': packageJson(name, manifest, { dev: 'next dev', build: 'next build', start: 'next start' }, ['next', 'react', 'react-dom'], ['@types/node', '@types/react', 'typescript']),
    'next.config.mjs': "/** @type {import('next').NextConfig} */\nexport default {};\n",
    'tsconfig.json': json({
      compilerOptions: {
        target: 'es2022',
        lib: ['dom', 'dom.iterable', 'esnext'],
        allowJs: true,
        skipLibCheck: true,
        strict: true,
        noEmit: true,
        esModuleInterop: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        resolveJsonModule: true,
        isolatedModules: true,
        jsx: 'react-jsx',
        incremental: true,
        plugins: [{ name: 'next' }],
      },
      include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
      exclude: ['node_modules'],
    }),
    'app/layout.tsx': `// Next requires a root layout; this app serves the MCP route.
import type { ReactNode } from 'react';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
    'app/mcp/route.ts': `// The MCP endpoint at /mcp: the app's default path, and this file's.
import { createMcpApp } from 'stateless-mcp';
import { handle } from 'stateless-mcp/next';
import { server } from '../../lib/server';

export const runtime = 'nodejs'; // or 'edge'
// Every call is a fresh POST: never prerender or cache this route.
export const dynamic = 'force-dynamic';

export const { GET, POST, DELETE, OPTIONS } = handle(createMcpApp(server));
`,
    'lib/server.ts': `import * as z from 'zod';
import { createServer } from 'stateless-mcp';

${serverDefinition(name).replace('const server', 'export const server')}`,
    'README.md': readme(name, 'Next.js (App Router)', 'npm install\nnpm run dev          # or: npm run build && npm start (PORT=8080 for another port)', 'http://localhost:3000/mcp', 'app/mcp/route.ts serves it.'),
  };
}

function lambda(name: string, manifest: Manifest): StarterFiles {
  return {
    // esbuild: what `sam build` bundles the handler with.
    'package.json': packageJson(name, manifest, { typecheck: 'tsc' }, [], ['@types/node', 'esbuild', 'typescript']),
    'tsconfig.json': json({ ...NODE_TSCONFIG, include: ['*.ts'] }),
    'handler.ts': `${IMPORTS}import { handle } from 'stateless-mcp/lambda';

${serverDefinition(name)}
// Buffered: API Gateway (HTTP or REST API), ALB and Function URLs. For responses that stream as
// they are written, export streamHandle(createMcpApp(server)) behind a Function URL with
// InvokeMode RESPONSE_STREAM.
export const handler = handle(createMcpApp(server));
`,
    'template.yaml': `# AWS SAM: the server behind an HTTP API at /mcp.  sam build && sam deploy --guided
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: ${name}, an MCP server on AWS Lambda

Resources:
  McpFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Architectures: [arm64]
      MemorySize: 512
      Timeout: 30
      CodeUri: .
      Handler: handler.handler
      Events:
        Mcp:
          Type: HttpApi
          Properties:
            Path: /mcp
            Method: ANY
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        Format: esm
        Platform: node
        Target: es2022
        OutExtension: ['.js=.mjs']
        EntryPoints: [handler.ts]

Outputs:
  McpEndpoint:
    Description: The MCP endpoint
    Value: !Sub 'https://\${ServerlessHttpApi}.execute-api.\${AWS::Region}.amazonaws.com/mcp'
`,
    'README.md': readme(
      name,
      'AWS Lambda',
      'npm install\nsam build && sam deploy --guided    # needs the AWS SAM CLI and an AWS account',
      'https://<api-id>.execute-api.<region>.amazonaws.com/mcp',
      'The deploy prints it as `McpEndpoint`; `sam local start-api` serves it on http://127.0.0.1:3000/mcp (needs Docker).',
    ),
  };
}

const STARTERS: Record<Runtime, (name: string, manifest: Manifest) => StarterFiles> = { node, workers, next, lambda, deno, bun };

const GITIGNORE = 'node_modules\n.wrangler\n.next\nnext-env.d.ts\n.aws-sam\n';

/** Every file of a starter for `runtime`, keyed by its path inside the project. */
export function starterFiles(runtime: Runtime, name: string, manifest: Manifest): StarterFiles {
  // The package depends on itself at the running version.
  const own = { ...manifest, dependencies: { ...manifest.dependencies, 'stateless-mcp': manifest.version } };
  return { ...STARTERS[runtime](name, own), '.gitignore': GITIGNORE };
}
