import { describe, expect, it } from 'vitest';
import { maxOverlap, median, quantile } from './stats.ts';

describe('maxOverlap', () => {
  it('counts the most intervals open at one moment', () => {
    expect(maxOverlap([])).toBe(0);
    expect(maxOverlap([{ start: 0, end: 10 }])).toBe(1);
    expect(maxOverlap([{ start: 0, end: 10 }, { start: 2, end: 4 }, { start: 3, end: 12 }, { start: 11, end: 20 }])).toBe(3);
  });

  it('does not count an interval that starts as another ends', () => {
    expect(maxOverlap([{ start: 0, end: 5 }, { start: 5, end: 9 }, { start: 9, end: 10 }])).toBe(1);
  });
});

describe('median and quantile', () => {
  it('interpolate between the sorted values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([0, 10], 0.99)).toBeCloseTo(9.9);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});
