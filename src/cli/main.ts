#!/usr/bin/env node
// The `stateless-mcp` command: parses the command line, runs one command (or the stdio bridge,
// or init) and exits with its code. `node --import tsx src/cli/main.ts …` runs it from source.
import process from 'node:process';
import { USAGE, UsageError, parseArgs } from './args.ts';
import { runBridge } from './bridge.ts';
import { ExitCode, clientOptionsFor, runCommand } from './commands.ts';
import { nodeFiles } from './files.ts';
import type { Files, Io } from './host.ts';
import { runInit } from './init.ts';

export async function main(io: Io, files: Files): Promise<number> {
  let invocation;
  try {
    invocation = parseArgs(io.argv.slice(2), io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`usage: ${error.message}\nRun stateless-mcp --help for all commands and options.\n`);
    return ExitCode.Usage;
  }
  if (invocation === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return ExitCode.Ok;
  }
  if (invocation.command === 'init') return runInit(invocation, io, files);
  if (invocation.command === 'bridge') return runBridge(invocation.url, clientOptionsFor(invocation, io), io);
  return runCommand(invocation, io);
}

main(process, nodeFiles).then(
  (code) => {
    // exitCode, not exit(): stdout may still be draining into a pipe.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`stateless-mcp: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = ExitCode.Protocol;
  },
);
