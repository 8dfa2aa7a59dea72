// The MCP app mounted in Express (behind express.json()) and in Fastify, as examples/express and
// examples/fastify do it: the official conformance suite and a streamed call through each.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpressApp } from '../../examples/express/server.ts';
import { createFastifyApp } from '../../examples/fastify/server.ts';
import { loopbackHosts } from '../../src/http/index.ts';
import { expectScoredScenariosPassed, expectedFailuresFile, runConformance } from '../conformance/run-conformance.ts';
import { createConformanceServer } from '../fixtures/conformance-server.ts';
import { freePorts } from '../support/processes.ts';
import { expectFirstNotificationBeforeResult } from './streamed-call.ts';

const frameworks = [
  {
    name: 'Express',
    async start(port: number) {
      const app = createExpressApp(createConformanceServer(), { allowedHosts: loopbackHosts(port) });
      const server = await new Promise<Server>((resolve) => {
        const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
      });
      return () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
    },
  },
  {
    name: 'Fastify',
    async start(port: number) {
      const fastify = await createFastifyApp(createConformanceServer(), { allowedHosts: loopbackHosts(port) });
      await fastify.listen({ host: '127.0.0.1', port });
      return async () => {
        fastify.server.closeAllConnections();
        await fastify.close();
      };
    },
  },
];

describe.each(frameworks)('mounted in $name', ({ start }) => {
  let url: string;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const [port = 0] = await freePorts(1);
    stop = await start(port);
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => stop?.());

  it('passes every scored 2026-07-28 scenario of the official suite', { timeout: 120_000 }, async () => {
    expectScoredScenariosPassed(await runConformance(`${url}/mcp`, ['--requirements', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]));
  });

  it.each(['sse', 'jsonl'] as const)('delivers the first %s notification before the tool finishes', async (mode) => {
    await expectFirstNotificationBeforeResult(`${url}/mcp`, mode);
  });

  it("keeps the framework's own routes", async () => {
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true });
  });
});
