import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';

const encode = (text: string) => new TextEncoder().encode(text);

function split(chunks: (string | Uint8Array)[], max = 1 << 20): string[] {
  const splitter = new LineSplitter(max);
  const lines = chunks.flatMap((chunk) => splitter.push(typeof chunk === 'string' ? encode(chunk) : chunk));
  const last = splitter.end();
  return last === undefined ? lines : [...lines, last];
}

describe('LineSplitter', () => {
  it('splits on LF, CRLF and CR wherever the chunks break, keeping empty lines and a last line without an end', () => {
    expect(split(['a\nb\r', '\nc\r', 'd\r\n\r\n', 'e'])).toEqual(['a', 'b', 'c', 'd', '', 'e']);
    expect(split(['a\r', '\r', '\n', 'b\n'])).toEqual(['a', '', 'b']);
  });

  it('drops a byte-order mark at the start of the stream only, and keeps a character split across chunks', () => {
    const bytes = encode('\ufeff世界\n\ufeffx\n');
    expect(split([bytes.slice(0, 2), bytes.slice(2, 5), bytes.slice(5)])).toEqual(['世界', '\ufeffx']);
  });

  it('reads a 20 MB line delivered in 64 KiB chunks in linear work: each byte is searched at most twice', () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const splitter = new LineSplitter(32 * 1024 * 1024);
    const chunks = 320; // 20 MiB
    for (let i = 0; i < chunks; i++) expect(splitter.push(chunk)).toEqual([]);
    const [line] = splitter.push(encode('\n'));
    expect(line).toHaveLength(chunks * chunk.byteLength);
    // Rescanning the held bytes on every chunk (the old reader) examined about chunks² / 2 chunks' worth.
    expect(splitter.examined).toBeLessThanOrEqual(2 * (chunks * chunk.byteLength + 1));
  });

  it('searches many short lines in one chunk linearly too', () => {
    const splitter = new LineSplitter(1024);
    const text = 'ab\n'.repeat(10_000) + 'cd\r'.repeat(10_000);
    expect(splitter.push(encode(text))).toHaveLength(20_000);
    expect(splitter.examined).toBeLessThanOrEqual(2 * text.length);
  });

  it('refuses a line longer than the cap, whether it arrives whole or in pieces', () => {
    expect(() => split(['x'.repeat(11) + '\n'], 10)).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
    expect(() => split(['xxxxxx', 'xxxxx'], 10)).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
    expect(split(['xxxxx', 'xxxxx\n'], 10)).toEqual(['x'.repeat(10)]);
  });
});
