import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { malformedRequest } from '../errors.ts';

/** AppSync's typed values (docs/reference/appsync-js-runtime.md §6.1): one key; N and NS are JSON numbers; B and BS base64. */
export type TypedValue = Record<string, unknown>;

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;

/** A request's typed value as the SDK sends it; `path` names it in errors (`$.key.id`). */
export function toAttributeValue(value: unknown, path: string): AttributeValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw malformedRequest(`${path} must be a typed value such as {"S": "text"} or {"N": 1}; got ${describe(value)}`);
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || !(TYPES as readonly string[]).includes(keys[0]!)) {
    // "If more than one key-value pair is specified, the request object isn't parsed." [D-DDB-typed-values-request]
    throw malformedRequest(`${path} must be a typed value with exactly one key of ${TYPES.join(', ')}; got keys [${keys.join(', ')}]`);
  }
  const type = keys[0] as (typeof TYPES)[number];
  const inner = (value as Record<string, unknown>)[type];
  const where = `${path}.${type}`;
  switch (type) {
    case 'S':
      return { S: expect(inner, 'string', where) };
    case 'N':
      return { N: numberText(inner, where) };
    case 'B':
      return { B: base64Bytes(expect(inner, 'string', where)) };
    case 'BOOL':
      return { BOOL: expect(inner, 'boolean', where) };
    case 'NULL':
      if (inner !== null && inner !== true) throw malformedRequest(`${where} must be null or true; got ${describe(inner)}`);
      return { NULL: true };
    case 'SS':
      return { SS: list(inner, where).map((s, i) => expect(s, 'string', `${where}[${i}]`)) };
    case 'NS':
      return { NS: list(inner, where).map((n, i) => numberText(n, `${where}[${i}]`)) };
    case 'BS':
      return { BS: list(inner, where).map((b, i) => base64Bytes(expect(b, 'string', `${where}[${i}]`))) };
    case 'L':
      return { L: list(inner, where).map((v, i) => toAttributeValue(v, `${where}[${i}]`)) };
    case 'M':
      return { M: toAttributeMap(inner, where) };
  }
}

/** A map of typed values (a key, an item, expressionValues). */
export function toAttributeMap(value: unknown, path: string): Record<string, AttributeValue> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformedRequest(`${path} must be an object of typed values; got ${describe(value)}`);
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, toAttributeValue(v, `${path}.${name}`)]));
}

/** A typed value as plain JSON for `ctx.result` (docs/reference/appsync-js-runtime.md §6.1). */
export function toPlain(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64');
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString('base64'));
  if (value.L !== undefined) return value.L.map(toPlain);
  if (value.M !== undefined) return plainItem(value.M);
  throw new Error(`unknown DynamoDB attribute value ${JSON.stringify(value)}`);
}

export function plainItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, v]) => [name, toPlain(v)]));
}

/** An SDK value back in AppSync's typed form (N as a JSON number), for a conflict-handler Lambda. */
export function toTyped(value: AttributeValue): TypedValue {
  if (value.N !== undefined) return { N: Number(value.N) };
  if (value.NS !== undefined) return { NS: value.NS.map(Number) };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.NULL !== undefined) return { NULL: null };
  if (value.L !== undefined) return { L: value.L.map(toTyped) };
  if (value.M !== undefined) return { M: typedItem(value.M) };
  return { ...value } as TypedValue;
}

export function typedItem(item: Record<string, AttributeValue>): Record<string, TypedValue> {
  return Object.fromEntries(Object.entries(item).map(([name, v]) => [name, toTyped(v)]));
}

/** Equality as DynamoDB stores values: numbers by value, sets in any order. */
export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if (a.S !== undefined) return a.S === b.S;
  if (a.N !== undefined) return b.N !== undefined && Number(a.N) === Number(b.N);
  if (a.B !== undefined) return b.B !== undefined && Buffer.from(a.B).equals(Buffer.from(b.B));
  if (a.BOOL !== undefined) return a.BOOL === b.BOOL;
  if (a.NULL !== undefined) return b.NULL !== undefined;
  if (a.SS !== undefined) return b.SS !== undefined && sameSet(a.SS, b.SS);
  if (a.NS !== undefined) return b.NS !== undefined && sameSet(a.NS.map(Number), b.NS.map(Number));
  if (a.BS !== undefined) return b.BS !== undefined && sameSet(a.BS.map((x) => Buffer.from(x).toString('base64')), b.BS.map((x) => Buffer.from(x).toString('base64')));
  if (a.L !== undefined) return b.L !== undefined && a.L.length === b.L.length && a.L.every((v, i) => sameValue(v, b.L![i]!));
  if (a.M !== undefined) return b.M !== undefined && sameItem(a.M, b.M);
  return false;
}

export function sameItem(a: Record<string, AttributeValue>, b: Record<string, AttributeValue>, ignore: ReadonlySet<string> = new Set()): boolean {
  const names = (item: Record<string, AttributeValue>) => Object.keys(item).filter((n) => !ignore.has(n)).sort();
  const an = names(a);
  const bn = names(b);
  return an.length === bn.length && an.every((n, i) => n === bn[i] && sameValue(a[n]!, b[n]!));
}

function sameSet<T>(a: T[], b: T[]): boolean {
  const bs = new Set(b);
  return a.length === b.length && a.every((x) => bs.has(x));
}

function expect<T extends 'string' | 'boolean'>(value: unknown, type: T, path: string): T extends 'string' ? string : boolean {
  if (typeof value !== type) throw malformedRequest(`${path} must be a ${type}; got ${describe(value)}`);
  return value as T extends 'string' ? string : boolean;
}

function numberText(value: unknown, path: string): string {
  // JSON numbers, as the docs and EvaluateCode output have them ({"N": 1234}). UNVERIFIED
  // whether AppSync also accepts numeric strings; we refuse them so such code is noticed here.
  if (typeof value !== 'number' || !Number.isFinite(value)) throw malformedRequest(`${path} must be a JSON number, e.g. {"N": 12.5}; got ${describe(value)}`);
  return String(value);
}

/** AppSync decodes B/BS itself; RFC 2045: characters outside the base64 alphabet are ignored. */
function base64Bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw malformedRequest(`${path} must be a list; got ${describe(value)}`);
  return value;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
