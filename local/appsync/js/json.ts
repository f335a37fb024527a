// Values cross between the host and handler code as JSON, as they do in AppSync: a handler's
// return value, ctx data, error data. JSON also drops functions and undefined members and
// turns NaN/Infinity into null, the way AppSync's serialisation does.

/** A deep JSON copy; `undefined` stays undefined. Throws on cycles (TypeError). */
export function jsonClone<T>(value: T): T {
  if (value === undefined) return value;
  const text = JSON.stringify(value);
  return (text === undefined ? undefined : JSON.parse(text)) as T;
}

/** `undefined` (nothing returned) as null: a field's value or a request is never undefined. */
export function jsonValue(value: unknown): unknown {
  const copy = jsonClone(value);
  return copy === undefined ? null : copy;
}
