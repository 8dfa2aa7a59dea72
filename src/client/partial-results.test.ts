import { describe, expect, it } from 'vitest';
import { PartialStream } from './partial-results.ts';
import type { PartialResult } from './partial-results.ts';

const text = (value: string) => [{ type: 'text', text: value }];
const piece = (partialResultToken: unknown, seq: unknown, content: unknown = text(`row ${String(seq)}`), extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0' as const,
  method: 'notifications/tools/partial_result',
  params: { partialResultToken, seq, content, ...extra },
});

function stream() {
  const pieces: PartialResult[] = [];
  const warnings: string[] = [];
  const partials = new PartialStream((p) => void pieces.push(p), (w) => void warnings.push(w));
  return { partials, pieces, warnings, seqs: () => pieces.map((p) => p.seq) };
}

describe('PartialStream', () => {
  it('returns the opt-in token and hands over pieces in order with structuredContent and final', () => {
    const { partials, pieces, warnings } = stream();
    expect(partials.begin('t-1')).toEqual({ partialResultToken: 't-1' });
    partials.receive(piece('t-1', 0));
    partials.receive(piece('t-1', 1, text('last'), { structuredContent: { rows: [1] }, final: true }));
    expect(pieces).toEqual([
      { seq: 0, content: text('row 0') },
      { seq: 1, content: text('last'), structuredContent: { rows: [1] }, final: true },
    ]);
    expect(warnings).toEqual([]);
  });

  it('ignores tokens it did not issue, other notifications, and everything before a request began', () => {
    const { partials, pieces, warnings } = stream();
    partials.receive(piece(undefined, 0));
    partials.begin('t-1');
    partials.receive(piece('t-2', 0));
    partials.receive(piece(1, 0));
    partials.receive(piece(undefined, 0));
    partials.receive({ jsonrpc: '2.0', method: 'notifications/progress', params: { partialResultToken: 't-1', seq: 0, content: [] } });
    partials.receive({ jsonrpc: '2.0', method: 'notifications/tools/partial_result' });
    expect(pieces).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('drops a repeated or backward seq with a warning, so no piece is shown twice', () => {
    const { partials, seqs, warnings } = stream();
    partials.begin('t');
    for (const seq of [0, 1, 1, 0, 2]) partials.receive(piece('t', seq));
    expect(seqs()).toEqual([0, 1, 2]);
    expect(warnings).toEqual([
      'Ignoring partial result 1: it repeats or goes back (expected 2). The final result still holds every piece.',
      'Ignoring partial result 0: it repeats or goes back (expected 2). The final result still holds every piece.',
    ]);
  });

  it('delivers the piece after a gap and says which ones never arrived', () => {
    const { partials, seqs, warnings } = stream();
    partials.begin('t');
    for (const seq of [0, 2, 6]) partials.receive(piece('t', seq));
    expect(seqs()).toEqual([0, 2, 6]);
    expect(warnings).toEqual([
      'Partial result 1 never arrived; showing 2. The final result still holds every piece.',
      'Partial results 3–5 never arrived; showing 6. The final result still holds every piece.',
    ]);
  });

  it('drops pieces whose seq or content is malformed, with a warning', () => {
    const { partials, seqs, warnings } = stream();
    partials.begin('t');
    partials.receive(piece('t', '0'));
    partials.receive(piece('t', -1));
    partials.receive(piece('t', 0.5));
    partials.receive(piece('t', 0, 'text'));
    partials.receive(piece('t', 0, [{ text: 'no type' }]));
    partials.receive(piece('t', 0));
    expect(seqs()).toEqual([0]);
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toBe('Ignoring a partial result with seq "0": seq must be 0, 1, 2, … The final result still holds every piece.');
    expect(warnings[3]).toBe('Ignoring partial result 0: its content is not an array of content blocks. The final result still holds every piece.');
  });

  it('skips the pieces a later request of the same call replays, and takes its new ones', () => {
    const { partials, seqs, warnings } = stream();
    partials.begin('round-1');
    for (const seq of [0, 1]) partials.receive(piece('round-1', seq));
    partials.begin('round-2');
    partials.receive(piece('round-1', 2));
    for (const seq of [0, 1, 2, 3]) partials.receive(piece('round-2', seq));
    expect(seqs()).toEqual([0, 1, 2, 3]);
    expect(warnings).toEqual([]);
  });

  it('passes on the promise a receiver returns, so the reader can wait for it', async () => {
    let release!: () => void;
    const partials = new PartialStream(() => new Promise<void>((resolve) => (release = resolve)), () => undefined);
    partials.begin('t');
    let settled = false;
    const pending = Promise.resolve(partials.receive(piece('t', 0))).then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await pending;
    expect(settled).toBe(true);
  });
});
