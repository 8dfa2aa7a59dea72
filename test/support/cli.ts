// Runs the `stateless-mcp` command from source as a user does: a child process per invocation,
// with its stdout, stderr and exit code (0 ok, 1 isError, 2 usage, 3 protocol/HTTP, 4 unreachable).
import { execFile } from 'node:child_process';
import { root } from './processes.ts';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<CliOutcome> {
  return new Promise((resolve) => {
    // stdin is not a TTY here, so elicitation answers come only from --answer.
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}
