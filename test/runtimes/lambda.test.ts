// The Lambda entry in AWS's own runtime interface client (aws-lambda-ric), fed by a local Runtime
// API per execution environment: the conformance fixture bundled as a deployment is, behind a
// Function URL front (streaming) and a REST API front (buffered), and examples/lambda/.
//
// As on Lambda, an environment serves one invocation at a time and more start while all are busy,
// so the suite's listen checks (a tool call while a subscriptions/listen stream is open) cross
// environments: the fixture shares its Store and Bus through a real redis-server, and its MRTR
// keys through REQUEST_STATE_KEYS, as any deployment on several instances must. Lambda's default
// 3 s timeout ends each listen stream after 2 s (the entry aborts a request 1 s before the
// deadline), which frees its environment.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectScoredScenariosPassed, expectedFailuresFile, runConformance } from '../conformance/run-conformance.ts';
import { startRedis } from '../cluster/redis-server.ts';
import type { RedisServer } from '../cluster/redis-server.ts';
import { describeWith, findTool } from '../cluster/tools.ts';
import { loopbackHosts } from '../../src/http/checks.ts';
import { modernRequest } from '../support/raw-client.ts';
import { root } from '../support/processes.ts';
import { startLocalLambda } from './lambda-emulator.ts';
import type { LocalLambda, LocalLambdaOptions } from './lambda-emulator.ts';
import { callStreamed, expectFirstNotificationBeforeResult, expectHeldUntilFinished, expectListenAcknowledged } from './streamed-call.ts';
// The example is bundled and run below, never imported: this type-checks it with the tests.
export type { handler as ExampleHandler } from '../../examples/lambda/handler.ts';

const taskRoot = mkdtempSync(join(tmpdir(), 'stateless-mcp-lambda-'));
const KEYS = `k1:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
// Warm environments, as provisioned concurrency keeps them: a cold start must not eat into the
// suite's 800 ms wait for a listen stream's first frame.
const SCALING = { provisioned: 8, maxEnvironments: 16 } satisfies Partial<LocalLambdaOptions>;

interface SavedCheck { id: string; status: string; errorMessage?: string; details?: unknown }

/** Every check the conformance CLI saved under `dir` that did not pass. */
function unpassedChecks(dir: string): SavedCheck[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('checks.json'))
    .flatMap((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as SavedCheck[])
    .filter((check) => check.status === 'FAILURE' || check.status === 'WARNING');
}

/** A failed check as the suite reported it, so a failure here says why without rerunning. */
const said = (check: SavedCheck) => `${check.id}: ${check.status} ${check.errorMessage ?? ''} ${JSON.stringify(check.details ?? {})}`;

beforeAll(async () => {
  // What `sam build` (esbuild) deploys: one ES module per function, dependencies inlined. The
  // banner gives bundled CommonJS packages (ioredis) the `require` an ES module lacks.
  await build({
    entryPoints: { fixture: `${root}test/fixtures/lambda-function.ts`, example: `${root}examples/lambda/handler.ts` },
    outdir: taskRoot,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(taskRoot, { recursive: true, force: true }));

describeWith([findTool('redis-server')], 'the conformance fixture on Lambda', ({ 'redis-server': redisServer }) => {
  let redis: RedisServer | undefined;
  const fixtureEnv = (port: number) => ({ ALLOWED_HOSTS: loopbackHosts(port).join(','), REDIS_URL: redis!.url, REQUEST_STATE_KEYS: KEYS });
  beforeAll(async () => {
    redis = await startRedis(redisServer!);
  });
  afterAll(() => redis?.stop());

  describe('streamHandle behind a Function URL (InvokeMode RESPONSE_STREAM)', () => {
    let lambda: LocalLambda;
    beforeAll(async () => {
      lambda = await startLocalLambda({ taskRoot, handler: 'fixture.streamingHandler', format: 'function-url', env: fixtureEnv, ...SCALING });
    });
    afterAll(() => lambda?.stop());

    it('passes every scored 2026-07-28 scenario of the official suite', { timeout: 120_000 }, async () => {
      const results = join(taskRoot, 'conformance-streaming');
      const run = await runConformance(lambda.url('/mcp'), ['--requirements', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28'), '-o', results]);
      expect(unpassedChecks(results).map(said), lambda.output().slice(-2000)).toEqual([]);
      expectScoredScenariosPassed(run);
      expect(lambda.invocations()).toBeGreaterThan(50);
    });

    it.each(['sse', 'jsonl'] as const)('delivers the first %s notification before the tool finishes', async (mode) => {
      await expectFirstNotificationBeforeResult(lambda.url('/mcp'), mode);
    });
  });

  describe('handle behind a REST API (payload 1.0, buffered)', () => {
    let lambda: LocalLambda;
    beforeAll(async () => {
      lambda = await startLocalLambda({ taskRoot, handler: 'fixture.handler', format: 'rest-api', env: fixtureEnv, ...SCALING });
    });
    afterAll(() => lambda?.stop());

    it('passes every scored 2026-07-28 check except those a buffered response cannot: frames of an open listen stream', { timeout: 120_000 }, async () => {
      const results = join(taskRoot, 'conformance-buffered');
      const run = await runConformance(lambda.url('/mcp'), ['--requirements', '2026-07-28', '-o', results]);
      expect(run.scenarios.size).toBeGreaterThanOrEqual(37);
      // A buffered listen stream arrives whole when it ends: the suite, waiting for its
      // acknowledgement before it triggers a change, never sees a frame while it is open. How
      // many of the other listen checks time out depends on when the stream ends.
      const unpassed = unpassedChecks(results);
      expect(unpassed.map((check) => check.id)).toContain('sep-2575-server-sends-subscription-ack');
      expect(unpassed.filter((check) => !LISTEN_CHECKS.has(check.id)).map(said), lambda.output().slice(-2000)).toEqual([]);
    });

    it('answers a streamed call whole, as text: SSE is not base64 for a REST API without binary media types', async () => {
      const { response, messages } = await callStreamed(lambda.url('/mcp'), 'sse');
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(messages.map((m) => m.message.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'notifications/progress', 'result']);
      // Buffered: the client reads the tool's first report only after the tool went on.
      await expectHeldUntilFinished(lambda.url('/mcp'), 'sse');
    });
  });
});

/** The checks of server-stateless that read frames from an open subscriptions/listen stream. */
const LISTEN_CHECKS = new Set([
  'sep-2575-server-sends-subscription-ack',
  'sep-2575-server-tags-subscription-id',
  'sep-2575-server-honors-notification-filter',
  'sep-2575-server-sends-tools-list-changed-on-subscription',
  'sep-2575-server-sends-prompts-list-changed-on-subscription',
]);

describe('examples/lambda/handler.ts', () => {
  let lambda: LocalLambda;
  beforeAll(async () => {
    // Lambda's longest timeout: the listen stream below stays open until the client leaves.
    lambda = await startLocalLambda({ taskRoot, handler: 'example.handler', format: 'function-url', env: (port) => ({ ALLOWED_HOSTS: loopbackHosts(port).join(',') }), timeoutMs: 900_000 });
  });
  afterAll(() => lambda?.stop());

  it('serves the demo server, streams slow_stream progress, and passes a listen stream on as it comes', async () => {
    const { headers, body } = modernRequest('server/discover');
    const discovered = (await (await fetch(lambda.url('/mcp'), { method: 'POST', headers, body })).json()) as { result: { _meta: Record<string, { name: string }> } };
    expect(discovered.result._meta['io.modelcontextprotocol/serverInfo']?.name).toBe('stateless-mcp-demo');

    const { messages } = await callStreamed(lambda.url('/mcp'), 'sse', 'slow_stream', { steps: 3, intervalMs: 100 });
    expect(messages.map((m) => m.message.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'notifications/progress', 'result']);
    await expectListenAcknowledged(lambda.url('/mcp'));
  });
});
