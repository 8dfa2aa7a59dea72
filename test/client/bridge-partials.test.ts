// Partial tool results through the stdio bridge, as a desktop app sees them: the official SDK's
// stdio client spawns the bridge, which calls the demo server's query_rows over HTTP. Pieces reach
// the desktop only when it declared `partialResults` at initialize and sent a token with the call.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Notification } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../src/demo/app.ts';
import { serveApp } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A desktop client on the bridge; every notification the SDK has no handler for is recorded, with the moment the call settled. */
async function connectDesktop(url: string, capabilities: Record<string, unknown>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'src/cli/main.ts', 'bridge', url],
    cwd: root,
    env: { PATH: process.env.PATH ?? '' },
    stderr: 'pipe',
  });
  const desktop = new Client({ name: 'desktop', version: '1.0.0' }, { capabilities });
  const events: (Notification | 'result')[] = [];
  desktop.fallbackNotificationHandler = async (notification) => void events.push(notification);
  await desktop.connect(transport);
  const call = async (meta: Record<string, unknown>) => {
    const result = await desktop.callTool({ name: 'query_rows', arguments: { rows: 3, intervalMs: 5 }, _meta: meta });
    events.push('result');
    return result;
  };
  return { desktop, events, call };
}

const rows = [1, 2, 3].map((id) => ({ type: 'text', text: JSON.stringify({ id, name: `row ${id}`, value: (id * 37) % 101 }) }));

describe('stdio bridge: partial tool results by desktop capability', () => {
  let demo: Served;
  let declared: Awaited<ReturnType<typeof connectDesktop>>;
  let undeclared: Awaited<ReturnType<typeof connectDesktop>>;

  beforeAll(async () => {
    demo = await serveApp((options) => createDemoApp(options));
    [declared, undeclared] = await Promise.all([connectDesktop(demo.url, { partialResults: {} }), connectDesktop(demo.url, {})]);
  }, 60_000);
  afterAll(async () => {
    await declared?.desktop.close();
    await undeclared?.desktop.close();
    await demo.close();
  });

  it('forwards each piece under the desktop token, seq from 0, before the complete result', async () => {
    declared.events.length = 0;
    const result = await declared.call({ partialResultToken: 'desk-7' });
    expect(result.content).toEqual(rows);
    expect(declared.events).toEqual([
      ...rows.map((row, seq) => ({ jsonrpc: '2.0', method: 'notifications/tools/partial_result', params: { partialResultToken: 'desk-7', seq, content: [row] } })),
      'result',
    ]);
  });

  it('leaves pieces out for a call without a token, even from a desktop that declared the capability', async () => {
    declared.events.length = 0;
    expect((await declared.call({})).content).toEqual(rows);
    expect(declared.events).toEqual(['result']);
  });

  it('leaves pieces out for a desktop that did not declare partialResults, even with a token', async () => {
    undeclared.events.length = 0;
    expect((await undeclared.call({ partialResultToken: 'desk-8' })).content).toEqual(rows);
    expect(undeclared.events).toEqual(['result']);
  });
});
