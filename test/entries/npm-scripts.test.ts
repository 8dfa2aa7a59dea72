// The README's promise: `PORT=N npm start` serves the demo and `PORT=N npm run fixture` the
// conformance fixture on 127.0.0.1:N, each printing its URL on one line.
import { describe, expect, it } from 'vitest';
import { modernRequest } from '../support/raw-client.ts';
import { freePorts, startProcess } from '../support/processes.ts';


describe.each([
  ['start', 'stateless-mcp-demo'],
  ['fixture', 'stateless-mcp-conformance'],
])('npm run %s', (script, serverName) => {
  it('serves on 127.0.0.1:$PORT and prints the URL on one line', { timeout: 60_000 }, async () => {
    const [port = 0] = await freePorts(1);
    const server = await startProcess('npm', ['run', '--silent', script], { ready: /^MCP server listening on http:\/\/127\.0\.0\.1:\d+\/mcp$/m, env: { PORT: String(port) } });
    try {
      const { headers, body } = modernRequest('server/discover');
      const response = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers, body });
      expect(response.status).toBe(200);
      const discovered = (await response.json()) as { result: { _meta: Record<string, { name: string }> } };
      expect(discovered.result._meta['io.modelcontextprotocol/serverInfo']?.name).toBe(serverName);
    } finally {
      await server.stop();
    }
  });
});

describe('npm run demo:auth', () => {
  it('serves the demo behind the bearer gate, with tokens from its own authorization server', { timeout: 60_000 }, async () => {
    const [port = 0, asPort = 0] = await freePorts(2);
    const server = await startProcess('npm', ['run', '--silent', 'demo:auth'], { ready: /^MCP server listening on http:\/\/127\.0\.0\.1:\d+\/mcp$/m, env: { PORT: String(port), AS_PORT: String(asPort) } });
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
