// jsonClone copies plain data directly and everything else by a JSON round trip; either way the
// result must be exactly JSON.parse(JSON.stringify(value)) (local/appsync/js/json.ts).
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonClone } from '../../../local/appsync/js/json.ts';

function roundTrip(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** Deep equality that also tells -0 from 0, own `__proto__` members and prototypes apart. */
function expectSameAsJson(value: unknown): void {
  const copy = jsonClone(value);
  const expected = roundTrip(value);
  expect(shapeOf(copy)).toEqual(shapeOf(expected));
}

function shapeOf(value: unknown): unknown {
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return { proto: Object.getPrototypeOf(value) === Array.prototype, items: value.map(shapeOf) };
  return {
    proto: Object.getPrototypeOf(value) === Object.prototype,
    members: Object.getOwnPropertyNames(value).map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
  };
}

describe('jsonClone', () => {
  it('gives exactly what a JSON round trip gives for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expectSameAsJson(value)), { numRuns: 500 });
  });

  it('gives exactly what a JSON round trip gives for any value, JSON or not', () => {
    const anything = fc.anything({ withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true });
    fc.assert(
      fc.property(anything, (value) => {
        let expected: unknown;
        try {
          expected = roundTrip(value);
        } catch (error) {
          expect(() => jsonClone(value)).toThrow((error as Error).constructor as ErrorConstructor);
          return;
        }
        expect(shapeOf(jsonClone(value))).toEqual(shapeOf(expected));
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['-0 (serialised as 0)', { a: -0 }],
    ['NaN and Infinity (null)', [NaN, Infinity, -Infinity]],
    ['undefined and function members (dropped)', { a: undefined, b: () => 1, c: 1 }],
    ['undefined in an array (null)', [1, undefined, () => 1]],
    ['an array hole (null)', [1, , 3]],
    ['a toJSON method', { a: { toJSON: () => 'x' } }],
    ['a Date', { at: new Date(0) }],
    ['an own __proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1 })],
    ['integer-like keys (they come first, ascending)', { b: 1, 2: 'two', a: 2, 1: 'one' }],
    ['a Map (an empty object)', { m: new Map([[1, 2]]) }],
    ['boxed primitives', [Object(1), Object('s'), Object(false)]],
    ['non-enumerable and symbol members (dropped)', Object.defineProperty({ a: 1, [Symbol('s')]: 2 }, 'hidden', { value: 3, enumerable: false })],
    ['nesting deeper than the direct copy goes', Array.from({ length: 200 }).reduce<unknown>((inner) => ({ inner }), 'leaf')],
  ])('matches JSON for %s', (_name, value) => {
    expectSameAsJson(value);
  });

  it('honours a toJSON that plain objects inherit', () => {
    Object.defineProperty(Object.prototype, 'toJSON', { value: () => 'inherited', configurable: true, writable: true });
    try {
      expect(jsonClone({ a: 1 })).toBe('inherited');
    } finally {
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
    }
  });

  it('copies values made in another realm (a handler’s vm context) into plain host objects', () => {
    const foreign = vm.runInNewContext('({ a: [1, { b: "c" }], d: null })') as unknown;
    const copy = jsonClone(foreign) as { a: unknown[] };
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(copy.a)).toBe(Array.prototype);
    expect(copy).toEqual({ a: [1, { b: 'c' }], d: null });
  });

  it('shares nothing with what it copied', () => {
    const value = { a: { b: [1, 2] } };
    const copy = jsonClone(value);
    copy.a.b.push(3);
    expect(value.a.b).toEqual([1, 2]);
  });

  it('throws as JSON does on a cycle and on a BigInt', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { again: cyclic };
    expect(() => jsonClone(cyclic)).toThrow(TypeError);
    expect(() => jsonClone({ n: 1n })).toThrow(TypeError);
  });

  it('leaves undefined undefined', () => {
    expect(jsonClone(undefined)).toBeUndefined();
  });
});
