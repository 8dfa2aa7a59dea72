// `stateless-mcp init <dir> --runtime <runtime>`: writes a starter project, refusing a directory
// that already has files unless --force, then says how to install and run it.
import type { InitInvocation } from './args.ts';
import type { Files, Io } from './host.ts';
import { packageName, starterFiles } from './starter.ts';
import type { Manifest } from './starter.ts';

const NEXT_STEPS: Record<InitInvocation['runtime'], string> = {
  node: 'npm install\n  npm start',
  bun: 'bun install\n  bun run start',
  deno: 'deno install\n  deno task start',
  workers: 'npm install\n  npm run dev',
  next: 'npm install\n  npm run dev',
  lambda: 'npm install\n  sam build && sam deploy --guided',
};

function reason(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

/** 0 written; 1 the files could not be written; 2 the directory is not empty (a usage error). */
export async function runInit(invocation: InitInvocation, io: Io, files: Files): Promise<number> {
  const { directory, runtime, force } = invocation;
  let existing: string[] | undefined;
  try {
    existing = await files.entries(directory);
  } catch (error) {
    io.stderr.write(`init: cannot use "${directory}" (${reason(error)}). Name a directory that does not exist yet, or an empty one.\n`);
    return 2;
  }
  if (existing && existing.length > 0 && !force) {
    io.stderr.write(
      `init: "${directory}" is not empty (${existing.length} ${existing.length === 1 ? 'entry' : 'entries'}). Name a new directory, or add --force to write the starter into it (files with the same names are replaced).\n`,
    );
    return 2;
  }
  const written = starterFiles(runtime, packageName(directory), (await files.manifest()) as Manifest);
  const base = directory.replace(/[\\/]+$/, '');
  for (const [path, text] of Object.entries(written)) {
    try {
      await files.write(`${base}/${path}`, text);
    } catch (error) {
      io.stderr.write(`init: cannot write ${base}/${path} (${reason(error)}). Check the directory's permissions, or choose another directory.\n`);
      return 1;
    }
  }
  io.stdout.write(`Created a ${runtime} MCP server in ${base}:\n${Object.keys(written).map((path) => `  ${path}\n`).join('')}\nNext:\n  cd ${base}\n  ${NEXT_STEPS[runtime]}\n`);
  return 0;
}
