// The primary target: the official conformance suite against the fixture running in workerd
// (`wrangler dev`, local mode, offline), a streamed call through workerd, and the demo Worker entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest, postWithHost } from '../support/raw-client.ts';
import type { Running } from '../support/processes.ts';
import { wranglerDev } from './wrangler.ts';
import { expectScoredScenariosPassed, expectedFailuresFile, runConformance } from '../conformance/run-conformance.ts';

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

  it('streams progress notifications before the result of a tools/call', async () => {
    const { headers, body } = modernRequest('tools/call', { params: { name: 'test_tool_with_progress', arguments: {} }, meta: { progressToken: 'p1' } });
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);

    // Each SSE event's JSON-RPC message, with the time its last byte arrived.
    const events: { message: { method?: string; result?: { content: { text: string }[] }; params?: { progress: number } }; at: number }[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
        buffer = buffer.slice(end + 2);
        if (data) events.push({ message: JSON.parse(data), at: performance.now() - started });
      }
    }

    expect(events.map((e) => e.message.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'notifications/progress', 'result']);
    expect(events.slice(0, 3).map((e) => e.message.params?.progress)).toEqual([0, 50, 100]);
    expect(events[3]!.message.result?.content[0]?.text).toBe('Progress test completed');
    // The tool sleeps 150 ms after its first report: a buffered body would deliver all at once.
    expect(events[3]!.at - events[0]!.at).toBeGreaterThan(75);
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
