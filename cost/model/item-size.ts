/**
 * The size DynamoDB bills an item at: each attribute's name (UTF-8 bytes) plus its value. Strings
 * and binaries are their length; a number is about one byte per two significant digits plus one;
 * booleans and nulls one byte; a list or map 3 bytes plus its elements (a map's keys count as names),
 * plus one byte per element (DynamoDB developer guide, "Item sizes and formats").
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { BOOL: boolean }
  | { NULL: boolean }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] };

const utf8 = (text: string) => new TextEncoder().encode(text).length;

export function itemSizeBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  if ('S' in value) return utf8(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return value.B.length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('L' in value) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if ('M' in value) return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + utf8(k) + valueSize(v), 0);
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  return value.BS.reduce((sum, b) => sum + b.length, 0);
}

function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/e.*$/i, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}
