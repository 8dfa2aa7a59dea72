// The package as a user gets it: `npm pack` (which builds through `prepack`) into a temporary
// directory, and npm run in projects there the way a user runs it (dependencies from the npm
// cache when it has them). Suites pack once per file.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './processes.ts';

export const run = promisify(execFile);

const QUIET_NPM = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

export interface Packed {
  /** The temporary directory holding the tarball; projects go beside it. */
  work: string;
  tarball: string;
  /** Runs `command` in `cwd` with npm kept quiet; rejects with its output on a non-zero exit. */
  runIn(cwd: string, command: string, args: string[], env?: Record<string, string>): Promise<{ stdout: string; stderr: string }>;
  /** `npm install --prefer-offline` in `cwd`, with `extra` arguments (packages, flags). */
  install(cwd: string, extra: string[]): Promise<void>;
  remove(): void;
}

export async function pack(prefix: string): Promise<Packed> {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  const runIn: Packed['runIn'] = (cwd, command, args, env = {}) => run(command, args, { cwd, env: { ...process.env, ...QUIET_NPM, ...env }, maxBuffer: 16 * 1024 * 1024 });
  return {
    work,
    tarball,
    runIn,
    install: async (cwd, extra) => void (await runIn(cwd, 'npm', ['install', '--prefer-offline', ...extra])),
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
