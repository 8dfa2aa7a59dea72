// The init grammar: a directory, --runtime (default node) and --force, each mistake a UsageError
// that names the fix; init's options refused on the other commands.
import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs } from './args.ts';

const parse = (...argv: string[]) => parseArgs(argv, {});

describe('init arguments', () => {
  it('takes a directory, a runtime (node by default) and --force', () => {
    expect(parse('init', 'my-server')).toEqual({ command: 'init', directory: 'my-server', runtime: 'node', force: false });
    expect(parse('init', 'edge', '--runtime', 'workers', '--force')).toEqual({ command: 'init', directory: 'edge', runtime: 'workers', force: true });
    expect(parse('init', '--runtime=deno', 'd')).toEqual({ command: 'init', directory: 'd', runtime: 'deno', force: false });
  });

  it.each([
    [['init'], 'init needs a directory for the project, e.g. stateless-mcp init my-server --runtime node'],
    [['init', 'a', 'b'], 'init takes one directory, got 2: a b. Quote a path with spaces.'],
    [['init', 'a', '--runtime', 'rust'], 'Unknown runtime "rust": choose one of node, workers, next, lambda, deno, bun.'],
    [['init', 'a', '--token', 't'], '--token is not an option of init; init takes --runtime and --force.'],
    [['tools', 'http://127.0.0.1/mcp', '--runtime', 'node'], '--runtime is an option of init, not of tools.'],
    [['call', 'http://127.0.0.1/mcp', 'echo', '--force'], '--force is an option of init, not of call.'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parse(...argv)).toThrow(new UsageError(message));
  });
});
