import { describe, expect, it } from 'vitest';
import { negotiateStreamMode } from './checks.ts';

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
