// The guard behind tsconfig.core.json: the core and the Web-standard folders are type-checked with no
// Node types at all, so a module there that reaches for `Buffer` or `process` fails `tsc -p
// tsconfig.core.json` instead of failing later on Workers. One Node import anywhere in that program
// would load @types/node for all of it and silently switch the guard off, so this test compiles the
// program with a probe module that uses Node globals and requires the compiler to refuse it.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

/** Node-only modules: checked by tsconfig.json with Node types, never part of the Web-standard program. */
const NODE_ONLY = ['cli/', 'redis/', 'adapter/node.ts', 'adapter/express.ts', 'adapter/fastify.ts', 'demo/node.ts'];

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [relative(src, path)] : [];
  });
}

function coreConfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.core.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => expect.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) });
  if (!parsed) throw new Error('tsconfig.core.json could not be read');
  return parsed;
}

/** Compiles the core program plus `probe` as a module of src/protocol; returns the program and the probe's path. */
function compileWithProbe(config: ts.ParsedCommandLine, probe: string): { program: ts.Program; probePath: string } {
  const probePath = join(src, 'protocol', '__node_probe__.ts');
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => resolve(file) === probePath || fileExists.call(host, file);
  host.readFile = (file) => (resolve(file) === probePath ? probe : readFile.call(host, file));
  host.getSourceFile = (file, language, ...rest) => (resolve(file) === probePath ? ts.createSourceFile(file, probe, language) : getSourceFile.call(host, file, language, ...rest));
  return { program: ts.createProgram({ rootNames: [...config.fileNames, probePath], options: config.options, host }), probePath };
}

describe('Node types stay out of the Web-standard program (tsconfig.core.json)', () => {
  it('loads no Node types', () => {
    expect(coreConfig().options.types).toEqual([]);
  });

  it('covers every module of src except the Node-only ones', () => {
    const checked = new Set(coreConfig().fileNames.map((file) => relative(src, resolve(file))));
    const isNodeOnly = (rel: string) => NODE_ONLY.some((entry) => (entry.endsWith('/') ? rel.startsWith(entry) : rel === entry));
    const missing = modules(src).filter((rel) => !isNodeOnly(rel) && !checked.has(rel));
    const nodeOnlyChecked = [...checked].filter(isNodeOnly);
    expect({ missing, nodeOnlyChecked }).toEqual({ missing: [], nodeOnlyChecked: [] });
  });

  it('refuses a core module that uses Buffer and process, because nothing in the program loads @types/node', () => {
    const { program, probePath } = compileWithProbe(coreConfig(), "export const leak = Buffer.byteLength('x') + process.pid;\n");
    const nodeTypes = program.getSourceFiles().filter((file) => file.fileName.includes('/@types/node/'));
    // Something in the program loads Node types (a node: import, or a package whose types reference Node):
    // `npx tsc -p tsconfig.core.json --explainFiles` says who; fix that import or list the module as Node-only.
    expect(nodeTypes.map((f) => relative(root, f.fileName))).toEqual([]);
    const probe = program.getSourceFile(probePath)!;
    const refused = program.getSemanticDiagnostics(probe).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(refused).toEqual([expect.stringContaining("Cannot find name 'Buffer'"), expect.stringContaining("Cannot find name 'process'")]);
  }, 60_000);

  it('accepts the same probe written with Web-standard APIs (the probe itself compiles)', () => {
    const { program, probePath } = compileWithProbe(coreConfig(), "export const fine = new TextEncoder().encode('x').byteLength + (globalThis.crypto ? 1 : 0);\n");
    expect(program.getSemanticDiagnostics(program.getSourceFile(probePath)!)).toEqual([]);
  }, 60_000);
});
