// The cluster and Redis suites need real redis-server and nginx binaries. A missing binary fails
// the suite with the command that installs it, unless its skip variable is set: then the suite is
// skipped with a warning, never silently.
import { delimiter } from 'node:path';
import { describe, it } from 'vitest';
import { locateBinary } from '../support/processes.ts';

export interface Tool {
  name: string;
  /** Absolute path when installed. */
  path: string | undefined;
  /** Why the suite cannot run and how to fix it, when the binary is missing and no skip was asked for. */
  failure: string | undefined;
}

const TOOLS = {
  'redis-server': { apt: 'redis-server', skip: 'STATELESS_MCP_SKIP_REDIS' },
  nginx: { apt: 'nginx', skip: 'STATELESS_MCP_SKIP_NGINX' },
} as const;

export function findTool(name: keyof typeof TOOLS): Tool {
  const { apt, skip } = TOOLS[name];
  const { path, searched } = locateBinary(name);
  if (path) return { name, path, failure: undefined };
  const install = `apt-get install -y ${apt}`;
  if (process.env[skip] === '1') {
    console.warn(`\n!!!!!!!!!!\n!!! ${name} is not installed and ${skip}=1: SKIPPING the suites that need it.\n!!! Install it with \`${install}\` to run them.\n!!!!!!!!!!\n`);
    return { name, path: undefined, failure: undefined };
  }
  return {
    name,
    path: undefined,
    failure: `${name} was not found on PATH (${searched.join(delimiter)}). These tests start a real ${name}: install it with \`${install}\` (as .ci/run does), or set ${skip}=1 to skip them with a warning.`,
  };
}

/** `describe` when every tool is present; one failing test naming the fix when one is missing; a skip when asked. */
export function describeWith(tools: Tool[], title: string, body: (paths: Record<string, string>) => void): void {
  const failures = tools.flatMap((tool) => (tool.failure ? [tool.failure] : []));
  if (failures.length > 0) {
    describe(title, () => {
      it(`needs ${tools.map((t) => t.name).join(' and ')}`, () => {
        throw new Error(failures.join('\n'));
      });
    });
    return;
  }
  const paths = Object.fromEntries(tools.map((tool) => [tool.name, tool.path]));
  if (tools.every((tool) => tool.path)) describe(title, () => body(paths as Record<string, string>));
  else describe.skip(title, () => body({}));
}
