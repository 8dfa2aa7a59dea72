import { describe, expect, it } from 'vitest';
import { McpError } from '../protocol/jsonrpc.ts';
import { decodeCursor, encodeCursor, pageOf } from './pagination.ts';

describe('pagination', () => {
  const items = Array.from({ length: 5 }, (_, i) => i);

  it('walks every item exactly once through opaque cursors', () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = pageOf(items, cursor, 2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(items);
  });

  it('treats an empty-string cursor as the first page (2026: not an end marker)', () => {
    expect(pageOf(items, '', 2)).toEqual({ items: [0, 1], nextCursor: encodeCursor(2) });
  });

  it.each(['not-a-cursor', encodeCursor(99), 42, btoa('o-1')])('refuses cursor %j with InvalidParams', (cursor) => {
    const attempt = () => pageOf(items, cursor, 2);
    expect(attempt).toThrow(McpError);
    expect(attempt).toThrow(/cursor/);
  });

  // Each spelling of one offset would otherwise be its own entry in the server's list cache.
  it.each([btoa('o02'), btoa('o2'), ` ${encodeCursor(2)}`, btoa('o+2'), btoa('o2.0'), btoa('o0x2'), btoa('o 2'), btoa('o2e0')])('refuses %j, another spelling of an offset it issues', (cursor) => {
    expect(() => pageOf(items, encodeCursor(2), 2)).not.toThrow();
    expect(() => pageOf(items, cursor, 2)).toThrow(McpError);
  });

  it('round-trips offsets', () => {
    expect(decodeCursor(encodeCursor(1234))).toBe(1234);
  });
});
