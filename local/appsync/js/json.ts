// Values cross between the host and handler code as JSON, as they do in AppSync: a handler's
// return value, ctx data, error data. JSON also drops functions and undefined members and
// turns NaN/Infinity into null, the way AppSync's serialisation does.

/**
 * A deep JSON copy, `JSON.parse(JSON.stringify(value))`; `undefined` stays undefined. Throws on
 * cycles (TypeError).
 *
 * Plain data (host-realm plain objects and arrays of strings, finite numbers, booleans and
 * null: GraphQL arguments, identities, data-source results) is copied directly, which is what
 * almost every request crosses with; a unit resolver makes about ten of these copies, and the
 * JSON round trip was about a tenth of a simple query's time in a CPU profile. Anything
 * else JSON treats specially, anywhere in the value (toJSON, undefined members, NaN, -0, other
 * prototypes or realms, a `__proto__` key, deep or cyclic nesting), takes the round trip
 * itself, so the result is always exactly JSON's (test/unit/js/json-copy.test.ts). The one
 * difference: a getter met before the round trip is decided on is read twice.
 */
export function jsonClone<T>(value: T): T {
  if (value === undefined) return value;
  const copy = plainCopy(value, 0);
  if (copy !== NOT_PLAIN) return copy as T;
  const text = JSON.stringify(value);
  return (text === undefined ? undefined : JSON.parse(text)) as T;
}

const NOT_PLAIN: unique symbol = Symbol('not plain data');

/** Past this depth the round trip decides (and reports a cycle as JSON does). */
const MAX_PLAIN_DEPTH = 64;

/** The copy of plain data, or NOT_PLAIN where JSON would do something other than copy. */
function plainCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // -0 serialises as 0; NaN and ±Infinity as null.
      return Number.isFinite(value) && !Object.is(value, -0) ? value : NOT_PLAIN;
    case 'object':
      if (value === null) return null;
      if (depth >= MAX_PLAIN_DEPTH) return NOT_PLAIN;
      return Array.isArray(value) ? plainArray(value, depth) : plainObject(value as Record<string, unknown>, depth);
    default:
      return NOT_PLAIN;
  }
}

function plainArray(value: unknown[], depth: number): unknown {
  if (Object.getPrototypeOf(value) !== Array.prototype) return NOT_PLAIN;
  const out = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item = plainCopy(value[i], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    out[i] = item;
  }
  return out;
}

function plainObject(value: Record<string, unknown>, depth: number): unknown {
  const proto = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // Assigning `__proto__` would set the copy's prototype; JSON.parse makes it an own property.
    if (key === '__proto__') return NOT_PLAIN;
    const member = plainCopy(value[key], depth + 1);
    if (member === NOT_PLAIN) return NOT_PLAIN;
    out[key] = member;
  }
  return out;
}
