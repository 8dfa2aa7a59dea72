import { describe, expect, it } from 'vitest';
import { checkOriginAndHost, streamModeNegotiator } from './checks.ts';

const withAccept = (accept?: string) => new Request('http://localhost/mcp', { method: 'POST', headers: accept === undefined ? {} : { accept } });

/** The mode as one short string: framing, content type, and "!" when even a lone result streams. */
function modeOf(negotiate: ReturnType<typeof streamModeNegotiator>, accept?: string): string | number {
  const mode = negotiate(withAccept(accept));
  if (mode instanceof Response) return mode.status;
  return `${mode.framing} ${mode.contentType}${mode.alwaysStream ? ' !' : ''}`;
}

describe('streamModeNegotiator', () => {
  it.each([
    ['no Accept at all', undefined, 'sse text/event-stream'],
    ['an empty Accept', '', 'sse text/event-stream'],
    ['the two types every client must send', 'application/json, text/event-stream', 'sse text/event-stream'],
    ['*/*', '*/*', 'sse text/event-stream'],
    ['JSON and JSON Lines', 'application/json, text/event-stream, application/jsonl', 'jsonl application/jsonl'],
    ['JSON and the json-lines spelling', 'application/json, application/json-lines', 'jsonl application/json-lines'],
    ['JSON and the x-ndjson spelling', 'application/json, application/x-ndjson', 'jsonl application/x-ndjson'],
    ['only application/jsonl', 'application/jsonl', 'jsonl application/jsonl !'],
    ['only application/json-lines', 'application/json-lines', 'jsonl application/json-lines !'],
    ['only application/x-ndjson', 'application/x-ndjson', 'jsonl application/x-ndjson !'],
    ['the JSON Lines spelling of highest weight', 'application/x-ndjson;q=0.5, application/json-lines;q=0.9', 'jsonl application/json-lines !'],
    ['only text/event-stream', 'text/event-stream', 'sse text/event-stream !'],
    ['only application/json', 'application/json', 'json application/json'],
    ['application/* without streams named', 'application/*', 'json application/json'],
    ['JSON Lines weighted under SSE', 'application/json, text/event-stream, application/jsonl;q=0.5', 'sse text/event-stream'],
    ['JSON Lines refused with q=0', 'application/jsonl;q=0, application/json, text/event-stream', 'sse text/event-stream'],
    ['SSE refused with q=0 beside JSON', 'application/json, text/event-stream;q=0', 'json application/json'],
    ['JSON refused with q=0 beside SSE', 'application/json;q=0, text/event-stream', 'sse text/event-stream !'],
    ['*/* but JSON refused', '*/*, application/json;q=0', 'sse text/event-stream !'],
    ['an unreadable weight, read as 1', 'application/json;q=high, text/event-stream', 'sse text/event-stream'],
    ['nothing we write', 'text/html', 406],
    ['everything refused', '*/*;q=0', 406],
    ['only refused types', 'application/json;q=0, text/event-stream;q=0, application/jsonl;q=0', 406],
  ])('%s → %s', (_row, accept, expected) => {
    expect(modeOf(streamModeNegotiator(), accept)).toBe(expected);
  });

  it('answers each Accept value on its own, whatever came before', async () => {
    const negotiate = streamModeNegotiator();
    const sequence: [string | undefined, string | number][] = [
      ['application/json, text/event-stream, application/jsonl', 'jsonl application/jsonl'],
      ['application/json, text/event-stream, application/jsonl', 'jsonl application/jsonl'],
      ['application/json, text/event-stream', 'sse text/event-stream'],
      [undefined, 'sse text/event-stream'],
      ['application/json, application/x-ndjson', 'jsonl application/x-ndjson'],
      ['text/html', 406],
      ['text/html', 406],
      ['application/json, application/x-ndjson', 'jsonl application/x-ndjson'],
      ['', 'sse text/event-stream'],
    ];
    for (const [accept, expected] of sequence) expect(modeOf(negotiate, accept), String(accept)).toBe(expected);
    const refused = negotiate(withAccept('text/html'));
    expect(refused instanceof Response && (await refused.json()).error.message).toMatch(/^Not Acceptable/);
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
    // The official SDK's form for IPv6: the URL hostname, brackets kept.
    [['[::1]'], '[::1]:3000', true],
    [['[::1]'], '[::1]', true],
    [['[::1]'], '[::2]:3000', false],
    [['[::1]:3000'], '[::1]:3000', true],
    [['[::1]:3000'], '[::1]:3001', false],
    [['localhost:3000'], 'localhost', false],
    [['mcp.example.com'], 'evil.example.com', false],
    [['mcp.example.com'], 'mcp.example.com.evil.net', false],
  ])('allowedHosts %j, Host %s: allowed %s', (allowed, host, ok) => {
    const refused = checkOriginAndHost(post(host), allowed, undefined);
    expect(refused === undefined).toBe(ok);
    if (refused) expect(refused.status).toBe(403);
  });
});
