// The package as a user gets it: `npm pack` (which builds through `prepack`) into a temporary
// directory, and npm run in projects there the way a user runs it (dependencies from the npm
// cache when it has them). Suites pack once per file.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
  const { stdout } = await inTurn(() => run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 16 * 1024 * 1024 }));
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

/**
 * Runs `work` while holding this checkout's pack lock. `npm pack` rebuilds `dist/` in place
 * (`prepack`): two suites packing at once, in parallel test files, would delete each other's
 * build. The lock is a file naming its holder's pid; one whose holder died is taken over.
 */
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `stateless-mcp-pack-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.lock`);
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive(lock)) rmSync(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return true; // Just released or not yet written: look again.
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
