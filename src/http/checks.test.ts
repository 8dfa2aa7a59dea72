import { describe, expect, it } from 'vitest';
import { checkOriginAndHost, negotiateStreamMode } from './checks.ts';

const withAccept = (accept?: string) => new Request('http://localhost/mcp', { method: 'POST', headers: accept === undefined ? {} : { accept } });

describe('negotiateStreamMode', () => {
  it('answers each Accept value on its own, whatever came before', async () => {
    const sequence: [string | undefined, string | number][] = [
      ['application/json, text/event-stream, application/jsonl', 'jsonl'],
      ['application/json, text/event-stream, application/jsonl', 'jsonl'],
      ['application/json, text/event-stream', 'sse'],
      [undefined, 'sse'],
      ['application/json, application/x-ndjson', 'jsonl'],
      ['text/html', 406],
      ['text/html', 406],
      ['application/json, application/x-ndjson', 'jsonl'],
      ['', 'sse'],
    ];
    for (const [accept, expected] of sequence) {
      const mode = negotiateStreamMode(withAccept(accept));
      expect(mode instanceof Response ? mode.status : mode, String(accept)).toBe(expected);
      if (mode instanceof Response) expect((await mode.json()).error.message).toMatch(/^Not Acceptable/);
    }
  });
});

describe('checkOriginAndHost: allowedHosts', () => {
  const post = (host: string) => new Request('http://placeholder/mcp', { method: 'POST', headers: { host } });

  it.each([
    [['localhost'], 'localhost:3000', true],
    [['localhost'], 'localhost', true],
    [['LocalHost'], 'localhost:8080', true],
    [['localhost:3000'], 'localhost:3000', true],
    [['localhost:3000'], 'localhost:3001', false],
    [['127.0.0.1'], '127.0.0.1:3000', true],
    [['::1'], '[::1]:3000', true],
    [['[::1]:3000'], '[::1]:3000', true],
    [['mcp.example.com'], 'evil.example.com', false],
    [['mcp.example.com'], 'mcp.example.com.evil.net', false],
  ])('allowedHosts %j, Host %s: allowed %s', (allowed, host, ok) => {
    const refused = checkOriginAndHost(post(host), allowed, undefined);
    expect(refused === undefined).toBe(ok);
    if (refused) expect(refused.status).toBe(403);
  });
});
