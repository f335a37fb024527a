/**
 * `compute(typeName, fieldName)` once per field: for lookups made for every field of every
 * response, keyed by type then field so that no key string is built on the way. Only for names
 * the schema bounds (the map is never trimmed).
 */
export function memoByField<T>(compute: (typeName: string, fieldName: string) => T): (typeName: string, fieldName: string) => T {
  const byType = new Map<string, Map<string, T>>();
  return (typeName, fieldName) => {
    let byField = byType.get(typeName);
    if (!byField) byType.set(typeName, (byField = new Map()));
    if (byField.has(fieldName)) return byField.get(fieldName)!;
    const value = compute(typeName, fieldName);
    byField.set(fieldName, value);
    return value;
  };
}
