import { describe, expect, it } from 'vitest';
import { autoKsuid, autoUlid } from '../../../local/appsync/js/util/ids.ts';
import { value } from './helpers.ts';

describe('util ids', () => {
  it('autoId is a random version 4 UUID', () => {
    const a = value('util.autoId()') as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(value('util.autoId()')).not.toBe(a);
  });

  it('autoUlid is 26 Crockford base32 characters whose first ten encode the time', () => {
    const id = autoUlid(1_469_918_176_385);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    // The ULID spec's example timestamp.
    expect(id.slice(0, 10)).toBe('01ARYZ6S41');
    expect(autoUlid(1000) < autoUlid(2000)).toBe(true);
    expect(value('util.autoUlid()')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('autoKsuid is 27 base62 characters that sort by time', () => {
    const id = autoKsuid(1_700_000_000_000);
    expect(id).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(autoKsuid(1_500_000_000_000) < autoKsuid(1_700_000_000_000)).toBe(true);
    // The timestamp is the first four bytes, in seconds since 2014-05-13T16:53:20Z.
    let n = 0n;
    for (const c of id) n = n * 62n + BigInt('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c));
    expect(Number(n >> 128n)).toBe(1_700_000_000 - 1_400_000_000);
    expect(value('util.autoKsuid()')).toMatch(/^[0-9A-Za-z]{27}$/);
  });
});
