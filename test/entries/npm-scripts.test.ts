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
