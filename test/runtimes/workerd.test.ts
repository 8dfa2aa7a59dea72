// The primary target: the official conformance suite against the fixture running in workerd
// (`wrangler dev`, local mode, offline), a streamed call through workerd, and the demo Worker entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest, postWithHost } from '../support/raw-client.ts';
import type { Running } from '../support/processes.ts';
import { wranglerDev } from './wrangler.ts';
import { expectScoredScenariosPassed, expectedFailuresFile, runConformance } from '../conformance/run-conformance.ts';
import { expectFirstNotificationBeforeResult } from './streamed-call.ts';

describe('conformance fixture in workerd', () => {
  let url: string;
  let worker: Running;

  beforeAll(async () => {
    ({ url, worker } = await wranglerDev('test/fixtures/wrangler.conformance.toml', (port) => `127.0.0.1:${port},localhost:${port}`));
  });
  afterAll(() => worker?.stop());

  it('passes every scored 2026-07-28 scenario of the official suite', { timeout: 240_000 }, async () => {
    const run = await runConformance(url, ['--requirements', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]);
    expectScoredScenariosPassed(run);
  });

  it('passes the pending header scenarios too (workerd keeps the padding of header values)', { timeout: 240_000 }, async () => {
    const run = await runConformance(url, ['--suite', 'all', '--spec-version', '2026-07-28', '--expected-failures', expectedFailuresFile('2026-07-28')]);
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    expect(run.scenarios.get('http-header-validation')).toEqual([14, 0]);
    expect(run.scenarios.get('http-custom-header-server-validation')).toEqual([10, 0]);
  });

  it.each(['sse', 'jsonl'] as const)('delivers the first %s notification of a tools/call before the tool finishes', async (mode) => {
    await expectFirstNotificationBeforeResult(url, mode);
  });
});

describe('demo Worker entry (wrangler.toml)', () => {
  let url: string;
  let port: number;
  let worker: Running;

  beforeAll(async () => {
    ({ url, port, worker } = await wranglerDev('wrangler.toml', (p) => `127.0.0.1:${p}`));
  });
  afterAll(() => worker?.stop());

  it('serves the demo server and takes its Host allow-list from the ALLOWED_HOSTS binding', async () => {
    const { headers, body } = modernRequest('server/discover');
    const response = await fetch(url, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    const discovered = (await response.json()) as { result: { _meta: Record<string, { name: string }> } };
    expect(discovered.result._meta['io.modelcontextprotocol/serverInfo']?.name).toBe('stateless-mcp-demo');

    const refused = await postWithHost(url, `localhost:${port}`, 'server/discover');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.message).toContain(`Host "localhost:${port}" is not served here`);
  });
});
