import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // Many suites start real servers, runtimes, nginx and Redis and measure arrival order: on a
    // two-core machine, files run one at a time so one suite's load cannot starve another's timing.
    fileParallelism: false,
    // In-process apps keep their default one-line-per-request log; the tests' output stays readable.
    onConsoleLog: (log) => !/^mcp \S+ \S+/.test(log),
  },
});
