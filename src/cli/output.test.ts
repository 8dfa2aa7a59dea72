import { describe, expect, it } from 'vitest';
import type { ContentBlock } from '../protocol/types.ts';
import { formatEvent, formatPiece, formatToolResult } from './output.ts';

const text = (value: string): ContentBlock => ({ type: 'text', text: value });

describe('tool call output after pieces', () => {
  it('prints a piece one block per line, and nothing for a piece without content', () => {
    expect(formatPiece([text('a'), text('b')])).toBe('a\nb\n');
    expect(formatPiece([])).toBe('');
  });

  it('prints only what the result adds to the printed pieces, and nothing when it adds nothing', () => {
    const result = { content: [text('row 1'), text('row 2'), text('2 rows')] };
    expect(formatToolResult(result, [text('row 1'), text('row 2')])).toBe('2 rows\n');
    expect(formatToolResult({ content: [text('row 1')] }, [text('row 1')])).toBe('');
  });

  it('prints a piece that never arrived, and a block that differs from the piece printed, rather than lose either', () => {
    const result = { content: [text('row 1'), text('row 2'), text('row 3')] };
    expect(formatToolResult(result, [text('row 1'), text('row 3')])).toBe('row 2\n');
    expect(formatToolResult({ content: [text('row 1 (final)')] }, [text('row 1')])).toBe('row 1 (final)\n');
  });

  it('still shows structured content the text did not repeat, including text printed as a piece', () => {
    const structured = { rows: 2 };
    expect(formatToolResult({ content: [text('row 1')], structuredContent: structured }, [text('row 1')])).toBe('{\n  "rows": 2\n}\n');
    expect(formatToolResult({ content: [text('{"rows":2}')], structuredContent: structured }, [text('{"rows":2}')])).toBe('');
  });

  it('keeps the old output when no piece was printed', () => {
    expect(formatToolResult({ content: [] })).toBe('\n');
    expect(formatToolResult({ content: [text('5')], structuredContent: { sum: 5 } })).toBe('5\n{\n  "sum": 5\n}\n');
  });

  it('writes one JSON object per line for --json', () => {
    expect(formatEvent({ type: 'partial', seq: 0, content: [text('a')] })).toBe('{"type":"partial","seq":0,"content":[{"type":"text","text":"a"}]}\n');
    expect(formatEvent({ type: 'result', result: { content: [] } })).toBe('{"type":"result","result":{"content":[]}}\n');
  });
});
