import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';

/** `depth` objects, each holding the next: built in a loop, as JSON.parse would build it. */
function nested(depth: number, wrap: (inner: unknown) => unknown = (inner) => ({ a: inner })): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

describe('nestsDeeperThan', () => {
  it.each([1, 'text', null, undefined, true])('never counts a scalar (%j) as nested', (value) => {
    expect(nestsDeeperThan(value, 0)).toBe(false);
  });

  it.each([
    ['objects', (inner: unknown) => ({ a: inner })],
    ['arrays', (inner: unknown) => [inner]],
    ['objects and arrays', (inner: unknown) => ({ list: [0, inner] })],
  ])('counts each level of %s, the value itself being level 1', (_kind, wrap) => {
    const value = nested(MAX_JSON_DEPTH, wrap);
    const levels = JSON.stringify(value).split('').filter((c) => c === '{' || c === '[').length;
    expect(nestsDeeperThan(value)).toBe(levels > MAX_JSON_DEPTH);
    expect(nestsDeeperThan(value, levels)).toBe(false);
    expect(nestsDeeperThan(value, levels - 1)).toBe(true);
  });

  it('finds the one deep branch among many shallow ones', () => {
    const wide = Array.from({ length: 1000 }, (_, i) => (i === 500 ? nested(MAX_JSON_DEPTH) : { a: 1 }));
    expect(nestsDeeperThan({ wide })).toBe(true);
    expect(nestsDeeperThan({ wide: wide.slice(0, 500) })).toBe(false);
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(1_000_000))).toBe(true);
  });
});
