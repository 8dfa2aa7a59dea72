import { describe, expect, it } from 'vitest';
import { FrameSplitter, framingOf } from './frames.ts';

/** Feeds `body` in pieces of `size` characters and collects every message, the end included. */
function split(framing: 'sse' | 'jsonl' | 'json', body: string, size: number): string[] {
  const splitter = new FrameSplitter(framing);
  const out: string[] = [];
  for (let i = 0; i < body.length; i += size) out.push(...splitter.push(body.slice(i, i + size)));
  return [...out, ...splitter.end()];
}

describe('framingOf', () => {
  it('reads the framing from the Content-Type, parameters and case aside', () => {
    expect(framingOf('text/event-stream; charset=utf-8')).toBe('sse');
    expect(framingOf('Application/JSON-Lines')).toBe('jsonl');
    expect(framingOf('application/jsonl')).toBe('jsonl');
    expect(framingOf('application/x-ndjson')).toBe('jsonl');
    expect(framingOf('application/json')).toBe('json');
    expect(framingOf('')).toBe('json');
  });
});

describe('FrameSplitter', () => {
  const sse = ': keep-alive\n\nevent: message\ndata: {"a":1}\n\nevent: message\r\ndata: {"b":\r\ndata: 2}\r\n\r\nid: 7\n\ndata:{"c":3}';
  const sseMessages = ['{"a":1}', '{"b":\n2}', '{"c":3}'];

  it('yields each SSE event once it is complete, whatever the chunk size', () => {
    for (const size of [1, 2, 3, 7, 1000]) expect(split('sse', sse, size)).toEqual(sseMessages);
  });

  it('keeps an event whose CRLF is cut between two chunks whole', () => {
    const splitter = new FrameSplitter('sse');
    expect(splitter.push('data: x\r')).toEqual([]);
    expect(splitter.push('\ndata: y\r')).toEqual([]);
    expect(splitter.push('\n\r\n')).toEqual(['x\ny']);
  });

  it('yields a message as soon as its event ends, before the body does', () => {
    const splitter = new FrameSplitter('sse');
    expect(splitter.push('data: {"a":1}\n\ndata: {"b"')).toEqual(['{"a":1}']);
  });

  it('yields each JSON Lines line, blank lines skipped and an unterminated last line at the end', () => {
    const body = '{"a":1}\n\n{"b":2}\r\n{"c":3}';
    for (const size of [1, 4, 1000]) expect(split('jsonl', body, size)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('yields a plain JSON body only at the end, whole', () => {
    const splitter = new FrameSplitter('json');
    expect(splitter.push('{"a":\n')).toEqual([]);
    expect(splitter.push('1}\n')).toEqual([]);
    expect(splitter.end()).toEqual(['{"a":\n1}']);
  });
});
