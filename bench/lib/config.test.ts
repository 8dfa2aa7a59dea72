import { describe, expect, it } from 'vitest';
import { parseCounts, parsePoints } from './config.ts';

describe('parsePoints', () => {
  it('reads rows x gap pairs, spaces and fractional gaps allowed', () => {
    expect(parsePoints('P', '10x20, 50 x 10,1x0.5')).toEqual([
      { rows: 10, gapMs: 20 },
      { rows: 50, gapMs: 10 },
      { rows: 1, gapMs: 0.5 },
    ]);
  });

  it('names the variable and the bad point', () => {
    expect(() => parsePoints('BENCH_AGENT_POINTS', '10x20,10')).toThrow(/BENCH_AGENT_POINTS: "10" is not a point/);
    expect(() => parsePoints('BENCH_AGENT_POINTS', '0x20')).toThrow(/"0x20"/);
    expect(() => parsePoints('BENCH_AGENT_POINTS', '10x-1')).toThrow(/"10x-1"/);
  });
});

describe('parseCounts', () => {
  it('reads positive whole numbers', () => {
    expect(parseCounts('C', '1, 8,32')).toEqual([1, 8, 32]);
  });

  it('refuses zero, fractions and words', () => {
    for (const bad of ['0', '1.5', 'eight', '']) expect(() => parseCounts('BENCH_AGENT_COUNTS', bad)).toThrow(/BENCH_AGENT_COUNTS/);
  });
});
