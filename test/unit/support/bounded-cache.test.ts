import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../local/support/bounded-cache.ts';
import { isPlainObject } from '../../../local/support/objects.ts';

describe('BoundedCache', () => {
  it('makes a value once per key and forgets the oldest entry beyond its capacity', () => {
    const cache = new BoundedCache<string, number>(2);
    let made = 0;
    const make = (key: string) => (made++, key.length);
    expect(cache.getOrCreate('a', make)).toBe(1);
    expect(cache.getOrCreate('a', make)).toBe(1);
    expect(made).toBe(1);
    cache.getOrCreate('bb', make);
    cache.getOrCreate('ccc', make);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('ccc')).toBe(3);
  });

  it('stores nothing when making the value throws', () => {
    const cache = new BoundedCache<string, number>(2);
    expect(() =>
      cache.getOrCreate('bad', () => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(cache.size).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new BoundedCache(0)).toThrow(/at least one/);
  });
});

describe('isPlainObject', () => {
  it('is true for objects only, not arrays or null', () => {
    expect([{}, { a: 1 }, null, [], 'x', 1].map(isPlainObject)).toEqual([true, true, false, false, false, false]);
  });
});
