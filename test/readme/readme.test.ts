// The README as code: every ```ts block type-checks under the project's strict settings against
// the package as users import it (`stateless-mcp`, `stateless-mcp/node`, …), and every options
// table lists exactly the options the code has. A block may be preceded by
// `<!-- prelude: … -->`, code the reader does not need to see (e.g. `declare const server: McpServer`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from '../support/processes.ts';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { import: string } | string> };

interface Block {
  line: number;
  code: string;
}

function typescriptBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const pattern = /(?:<!--\s*prelude:([\s\S]*?)-->\s*\n)?```ts\n([\s\S]*?)```/g;
  for (const match of markdown.matchAll(pattern)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    blocks.push({ line, code: `${match[1]?.trim() ?? ''}\n${match[2]}` });
  }
  return blocks;
}

/** `stateless-mcp` and its subpaths, resolved to the sources their built files come from. */
function packagePaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const [key, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string') continue;
    const source = join(root, target.import.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
    paths[key === '.' ? 'stateless-mcp' : `stateless-mcp/${key.slice(2)}`] = [source];
  }
  return paths;
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return { ...parsed.options, noEmit: true, paths: packagePaths() };
}

const blocks = typescriptBlocks(readme);
const blockFile = (index: number) => join(root, 'test', 'readme', `readme-block-${index}.ts`);

/** One program over every block, served from memory: nothing is written next to the README. */
function checkBlocks(): Map<number, string[]> {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const virtual = new Map(blocks.map((block, index) => [blockFile(index), block.code]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError) => {
    const code = virtual.get(fileName);
    return code === undefined ? getSourceFile(fileName, language, onError) : ts.createSourceFile(fileName, code, language);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => virtual.get(fileName) ?? readFile(fileName);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const problems = new Map<number, string[]>();
  blocks.forEach((_block, index) => {
    const file = program.getSourceFile(blockFile(index))!;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    problems.set(
      index,
      diagnostics.map((d) => {
        const where = d.start === undefined ? '' : `line ${file.getLineAndCharacterOfPosition(d.start).line} of the block: `;
        return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
  });
  return problems;
}

describe('README TypeScript blocks', () => {
  const problems = checkBlocks();

  it('has blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  it.each(blocks.map((block, index) => [block.line, index] as const))('the block at README.md line %i type-checks', (_line, index) => {
    expect(problems.get(index)).toEqual([]);
  });
});

/** The option names in the first column of the table whose header cell is `header`. */
function tableOptions(header: string): string[] {
  const start = readme.indexOf(`| ${header} |`);
  expect(start, `README has a table headed "${header}"`).toBeGreaterThan(-1);
  const rows = readme.slice(start).split('\n').slice(2);
  const names: string[] = [];
  for (const row of rows) {
    if (!row.startsWith('|')) break;
    const first = row.split('|')[1]!;
    names.push(...[...first.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  }
  return names.sort();
}

function interfaceProperties(file: string, name: string): string[] {
  const options = compilerOptions();
  const program = ts.createProgram([join(root, file)], options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(root, file))!;
  let found: ts.InterfaceDeclaration | undefined;
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) found = node;
  });
  expect(found, `${name} in ${file}`).toBeDefined();
  return checker.getPropertiesOfType(checker.getTypeAtLocation(found!)).map((p) => p.name).sort();
}

describe('README options tables match the code', () => {
  it.each([
    ['`createServer` option', 'src/server/server.ts', 'ServerOptions'],
    ['`createMcpApp` / `mcp` / `mcpRoutes` option', 'src/http/options.ts', 'McpHttpOptions'],
    ['`serve` option (Node)', 'src/adapter/node.ts', 'NodeServeOptions'],
  ])('%s lists every field of %s#%s', (header, file, name) => {
    expect(tableOptions(header)).toEqual(interfaceProperties(file, name));
  });
});
