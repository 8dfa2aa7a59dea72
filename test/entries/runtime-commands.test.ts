// Every command the README documents for running the demo, run as a user runs it from a fresh
// clone: each serves on 127.0.0.1, prints its URL on one line, and answers loopback Host names only.
import { describe, expect, it } from 'vitest';
import { modernRequest, postWithHost } from '../support/raw-client.ts';
import { freePorts, startProcess } from '../support/processes.ts';

async function discover(url: string): Promise<string | undefined> {
  const { headers, body } = modernRequest('server/discover');
  const response = await fetch(url, { method: 'POST', headers, body });
  expect(response.status).toBe(200);
  const discovered = (await response.json()) as { result: { _meta: Record<string, { name: string }> } };
  return discovered.result._meta['io.modelcontextprotocol/serverInfo']?.name;
}

const READY = /^MCP server listening on http:\/\/127\.0\.0\.1:\d+\/mcp$/m;

describe.each([
  ['npm start', 'npm', ['start', '--silent']],
  ['deno task start', 'node_modules/.bin/deno', ['task', 'start']],
  ['npm run start:bun', 'npm', ['run', '--silent', 'start:bun']],
])('%s', (_title, command, args) => {
  it('serves the demo on 127.0.0.1:$PORT, for loopback Host names only', { timeout: 60_000 }, async () => {
    const [port = 0] = await freePorts(1);
    const server = await startProcess(command, args, { ready: READY, env: { PORT: String(port), DENO_NO_UPDATE_CHECK: '1' }, timeoutMs: 45_000 });
    try {
      const url = `http://127.0.0.1:${port}/mcp`;
      expect(await discover(url)).toBe('stateless-mcp-demo');
      expect((await postWithHost(url, `localhost:${port}`, 'server/discover')).status).toBe(200);
      expect((await postWithHost(url, 'evil.example.com', 'server/discover')).status).toBe(403);
      // One request log line per request.
      await expect.poll(() => server.output()).toMatch(/^mcp 2026-07-28 server\/discover 200 json [\d.]+ms$/m);
    } finally {
      await server.stop();
    }
  });
});

describe('npx wrangler dev', () => {
  it('serves the demo Worker (wrangler.toml) locally', { timeout: 90_000 }, async () => {
    const [port = 0, inspectorPort = 0] = await freePorts(2);
    const worker = await startProcess('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false'], {
      ready: /Ready on http:\/\/127\.0\.0\.1:\d+/,
      // Nothing leaves the machine: no telemetry, update check or fetch of `Request.cf`.
      env: { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      timeoutMs: 60_000,
    });
    try {
      expect(await discover(`http://127.0.0.1:${port}/mcp`)).toBe('stateless-mcp-demo');
    } finally {
      await worker.stop();
    }
  });
});


describe('npm run fixture', () => {
  it('serves the conformance fixture on 127.0.0.1:$PORT', { timeout: 60_000 }, async () => {
    const [port = 0] = await freePorts(1);
    const server = await startProcess('npm', ['run', '--silent', 'fixture'], { ready: READY, env: { PORT: String(port) } });
    try {
      expect(await discover(`http://127.0.0.1:${port}/mcp`)).toBe('stateless-mcp-conformance');
    } finally {
      await server.stop();
    }
  });
});

describe('npm run demo:auth', () => {
  it('serves the demo behind the bearer gate, with tokens from its own authorization server', { timeout: 60_000 }, async () => {
    const [port = 0, asPort = 0] = await freePorts(2);
    const server = await startProcess('npm', ['run', '--silent', 'demo:auth'], { ready: READY, env: { PORT: String(port), AS_PORT: String(asPort) } });
    try {
      const url = `http://127.0.0.1:${port}/mcp`;
      const { headers, body } = modernRequest('tools/list');
      expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
      const grant = await fetch(`http://127.0.0.1:${asPort}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa('demo-cli:demo-cli-secret-not-for-production')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'mcp', resource: url }),
      });
      const { access_token } = (await grant.json()) as { access_token: string };
      const listed = await fetch(url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${access_token}` }, body });
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name)).toContain('echo');
    } finally {
      await server.stop();
    }
  });
});
