// examples/workers in local workerd (`wrangler dev`, offline): MCP through the Worker, and work
// handed to `waitUntil` by middleware finishing after the response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest } from '../support/raw-client.ts';
import { freePorts, root, startProcess } from '../support/processes.ts';
import type { Running } from '../support/processes.ts';
import { callStreamed, expectListenAcknowledged } from './streamed-call.ts';
// wrangler bundles and runs the example, never this file: this type-checks it with the tests.
export type { default as ExampleWorker } from '../../examples/workers/worker.ts';

describe('examples/workers in workerd', () => {
  let origin: string;
  let worker: Running | undefined;

  beforeAll(async () => {
    const [port = 0, inspectorPort = 0] = await freePorts(2);
    origin = `http://127.0.0.1:${port}`;
    worker = await startProcess(
      `${root}node_modules/.bin/node`,
      [`${root}node_modules/wrangler/bin/wrangler.js`, 'dev', '--config', 'examples/workers/wrangler.toml', '--show-interactive-dev-session=false', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--var', `ALLOWED_HOSTS:127.0.0.1:${port}`],
      { ready: /Ready on http:\/\/127\.0\.0\.1:\d+/, env: { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }, timeoutMs: 45_000 },
    );
  });
  afterAll(() => worker?.stop());

  it('finishes work handed to waitUntil after each response', async () => {
    const before = ((await (await fetch(`${origin}/reports`)).json()) as { reported: number }).reported;
    const { headers, body } = modernRequest('tools/call', { params: { name: 'echo', arguments: { text: 'hi' } } });
    const response = await fetch(`${origin}/mcp`, { method: 'POST', headers, body });
    expect(((await response.json()) as { result: { content: { text: string }[] } }).result.content[0]!.text).toBe('hi');
    await expect.poll(async () => ((await (await fetch(`${origin}/reports`)).json()) as { reported: number }).reported, { timeout: 10_000 }).toBe(before + 1);
  });

  it('streams slow_stream progress, and passes a listen stream on as it comes, through the Worker', async () => {
    const { messages } = await callStreamed(`${origin}/mcp`, 'sse', 'slow_stream', { steps: 3, intervalMs: 100 });
    expect(messages.map((m) => m.message.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'notifications/progress', 'result']);
    await expectListenAcknowledged(`${origin}/mcp`);
  });
});
