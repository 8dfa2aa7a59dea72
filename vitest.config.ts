import { defineConfig } from 'vitest/config';
import { BaseSequencer } from 'vitest/node';
import type { TestSpecification } from 'vitest/node';

/**
 * Suites that start real processes (runtimes, proxies, Redis, the conformance CLI, npm pack):
 * their own project, so `vitest run --project processes` runs only them, and
 * `--project unit --project integration` everything that stays in this process.
 */
const PROCESSES = [
  'test/cli/**',
  'test/client/cli.test.ts',
  'test/client/cli-partials.test.ts',
  'test/client/conformance-client.test.ts',
  'test/cluster/**',
  'test/conformance/**',
  'test/durable/**',
  'test/entries/**',
  'test/package/**',
  'test/runtimes/**',
];

/**
 * The longest files, longest first (minutes each: npm installs, next build, whole conformance
 * runs). Started first, they overlap everything else instead of running on alone at the end.
 */
const LONGEST = [
  'test/cli/init.test.ts',
  'test/runtimes/workerd.test.ts',
  'test/conformance/conformance.test.ts',
  'test/client/conformance-client.test.ts',
  'test/runtimes/next.test.ts',
  'test/cluster/cluster.test.ts',
  'test/runtimes/lambda.test.ts',
  'test/runtimes/express-fastify.test.ts',
  'test/package/packaging.test.ts',
  'test/runtimes/deno-bun.test.ts',
];

/** Vitest's own order (which runs projects one after another by name), with the longest files moved to the front. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONGEST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      if (at !== -1) return at;
      return file.project.name === 'processes' ? LONGEST.length : LONGEST.length + 1;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // Files run side by side: no test asserts a wall-clock window, suites bind free loopback ports,
    // and what they share on disk (the packed build, temporary directories) is made per suite or
    // taken in turn (test/support/packed.ts). Most suites wait on sockets and child processes, so
    // more workers than the two cores keep both busy.
    maxWorkers: 4,
    sequence: { sequencer: LongestFirst },
    // In-process apps keep their default one-line-per-request log; the tests' output stays readable.
    onConsoleLog: (log) => !/^mcp \S+ \S+/.test(log),
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'bench/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: PROCESSES } },
      // A test that spawns node, tsc or a runtime several times gets room for a busy machine.
      { extends: true, test: { name: 'processes', include: PROCESSES.map((glob) => (glob.endsWith('/**') ? `${glob}/*.test.ts` : glob)), testTimeout: 60_000 } },
    ],
  },
});
