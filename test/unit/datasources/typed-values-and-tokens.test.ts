import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNextTokens } from '../../../local/appsync/datasources/dynamodb/next-token.ts';
import { sameItem, toAttributeValue, toPlain, toTyped } from '../../../local/appsync/datasources/dynamodb/typed-values.ts';

describe('typed values', () => {
  const typed: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string().map((S) => ({ S })),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((N) => ({ N: Object.is(N, -0) ? 0 : N })),
      fc.boolean().map((BOOL) => ({ BOOL })),
      fc.constant({ NULL: null }),
      fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 4 }).map((SS) => ({ SS })),
      fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 4 }).map((NS) => ({ NS })),
      fc.uint8Array({ maxLength: 8 }).map((b) => ({ B: Buffer.from(b).toString('base64') })),
      fc.array(tie('value'), { maxLength: 3 }).map((L) => ({ L })),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), tie('value'), { maxKeys: 3 }).map((M) => ({ M })),
    ),
  })).value;

  it('a request typed value survives SDK form and back (toTyped ∘ toAttributeValue = id)', () => {
    fc.assert(
      fc.property(typed, (value) => {
        expect(toTyped(toAttributeValue(value, '$'))).toEqual(value);
      }),
    );
  });

  it('plain results: numbers are numbers, binaries base64, sets lists', () => {
    expect(toPlain(toAttributeValue({ M: { n: { N: 1.25 }, b: { B: 'AAE=' }, ns: { NS: [2, 1] }, l: { L: [{ NULL: null }] } } }, '$'))).toEqual({ n: 1.25, b: 'AAE=', ns: [2, 1], l: [null] });
  });

  it('compares items as DynamoDB stores them: numbers by value, sets in any order, ignoring named attributes', () => {
    const a = { n: { N: '1.50' }, s: { SS: ['x', 'y'] }, v: { N: '8' } };
    const b = { n: { N: '1.5' }, s: { SS: ['y', 'x'] }, v: { N: '2' } };
    expect(sameItem(a, b)).toBe(false);
    expect(sameItem(a, b, new Set(['v']))).toBe(true);
    expect(sameItem(a, { ...b, extra: { S: '' } }, new Set(['v']))).toBe(false);
  });
});

describe('nextToken', () => {
  const key = { id: { S: 'm1' }, n: { N: '12345678901234567890' }, b: { B: new Uint8Array([1, 2]) } };

  it('round-trips the key exactly for the same binding and refuses any other', () => {
    const tokens = createNextTokens('secret');
    const token = tokens.encode(key, 'Query.a')!;
    expect(tokens.decode(token, 'Query.a')).toEqual(key);
    expect(() => tokens.decode(token, 'Query.b')).toThrow(/Invalid pagination token given/);
    expect(() => createNextTokens('other secret').decode(token, 'Query.a')).toThrow(/Invalid pagination token given/);
    expect(createNextTokens('secret').decode(token, 'Query.a')).toEqual(key);
  });

  it('no LastEvaluatedKey is a null token; a null token starts from the beginning', () => {
    const tokens = createNextTokens();
    expect(tokens.encode(undefined, 'x')).toBeNull();
    expect(tokens.decode(null, 'x')).toBeUndefined();
    expect(tokens.decode(undefined, 'x')).toBeUndefined();
  });
});
