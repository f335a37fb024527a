// util.dynamodb (D-DDBU, NPM-U dynamodb-utils.d.ts). Numbers stay JSON numbers inside `N`/`NS`
// and sets are never inferred: arrays always become `L` [AWS-verified LS].
import { argumentError, describe, requireArray, requireString } from './arguments.ts';
import { isPlainObject } from '../../../support/objects.ts';

export type TypedValue =
  | { S: string }
  | { N: number }
  | { BOOL: boolean }
  | { NULL: null }
  | { L: TypedValue[] }
  | { M: Record<string, TypedValue> }
  | { SS: string[] }
  | { NS: number[] }
  | { B: string }
  | { BS: string[] };

/** A plain JSON value as a DynamoDB typed value. */
export function toDynamoDB(value: unknown): TypedValue | null {
  if (value === undefined) return null;
  if (value === null) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map((v) => toDynamoDB(v) ?? { NULL: null }) };
  if (isPlainObject(value)) return { M: toMapValues(value) };
  throw argumentError('util.dynamodb.toDynamoDB', `cannot convert ${describe(value)} to a DynamoDB value`);
}

export function toMapValues(value: unknown): Record<string, TypedValue> {
  if (!isPlainObject(value)) throw argumentError('util.dynamodb.toMapValues', `expected an object, not ${describe(value)}`);
  const out: Record<string, TypedValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = toDynamoDB(v)!;
  }
  return out;
}

function optional<T>(member: string, value: unknown, check: (member: string, v: unknown) => T): T | null {
  return value === null || value === undefined ? null : check(member, value);
}

function stringList(member: string, value: unknown): string[] {
  return requireArray(member, value).map((v, i) => requireString(member, v, `element ${i}`));
}

function numberList(member: string, value: unknown): number[] {
  return requireArray(member, value).map((v, i) => {
    if (typeof v !== 'number') throw argumentError(member, `element ${i} must be a number, not ${describe(v)}`);
    return v;
  });
}

export function toStringSet(member: string, list: unknown): { SS: string[] } | null {
  const values = optional(member, list, stringList);
  return values && { SS: values };
}

export function toNumberSet(member: string, list: unknown): { NS: number[] } | null {
  const values = optional(member, list, numberList);
  return values && { NS: values };
}

export function toBinarySet(member: string, list: unknown): { BS: string[] } | null {
  const values = optional(member, list, stringList);
  return values && { BS: values };
}

function s3Json(key: unknown, bucket: unknown, region: unknown, version: unknown): string {
  const member = 'util.dynamodb.toS3Object';
  const s3: Record<string, string> = {
    key: requireString(member, key, 'key'),
    bucket: requireString(member, bucket, 'bucket'),
    region: requireString(member, region, 'region'),
  };
  if (version !== undefined && version !== null) s3.version = requireString(member, version, 'version');
  return JSON.stringify({ s3 });
}

export function createDynamodbUtils() {
  return {
    toDynamoDB: (value: unknown) => toDynamoDB(value),
    toString: (value: unknown) => {
      const s = optional('util.dynamodb.toString', value, requireString);
      return s === null ? null : { S: s };
    },
    toStringSet: (list: unknown) => toStringSet('util.dynamodb.toStringSet', list),
    toNumber: (value: unknown) => {
      if (value === null || value === undefined) return null;
      if (typeof value !== 'number') throw argumentError('util.dynamodb.toNumber', `expected a number, not ${describe(value)}`);
      return { N: value };
    },
    toNumberSet: (list: unknown) => toNumberSet('util.dynamodb.toNumberSet', list),
    toBinary: (value: unknown) => {
      const s = optional('util.dynamodb.toBinary', value, requireString);
      return s === null ? null : { B: s };
    },
    toBinarySet: (list: unknown) => toBinarySet('util.dynamodb.toBinarySet', list),
    toBoolean: (value: unknown) => {
      if (value === null || value === undefined) return null;
      if (typeof value !== 'boolean') throw argumentError('util.dynamodb.toBoolean', `expected a boolean, not ${describe(value)}`);
      return { BOOL: value };
    },
    toNull: () => ({ NULL: null }),
    toList: (value: unknown) => {
      if (value === null || value === undefined) return null;
      return { L: requireArray('util.dynamodb.toList', value).map((v) => toDynamoDB(v) ?? { NULL: null }) };
    },
    toMap: (value: unknown) => (value === null || value === undefined ? null : { M: toMapValues(value) }),
    toMapValues: (value: unknown) => (value === null || value === undefined ? null : toMapValues(value)),
    /** Compact JSON in `S` [AWS-verified LS], not the docs' spaced `=` form. */
    toS3Object: (key: unknown, bucket: unknown, region: unknown, version?: unknown) => ({ S: s3Json(key, bucket, region, version) }),
    /** Accepts the JSON string or the `{S}` value toS3Object returns. UNVERIFIED: LS skips it. */
    fromS3ObjectJson: (value: unknown) => {
      const member = 'util.dynamodb.fromS3ObjectJson';
      const text = isPlainObject(value) && typeof value.S === 'string' ? value.S : requireString(member, value);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw argumentError(member, `${JSON.stringify(text)} is not the JSON toS3Object writes`);
      }
      if (!isPlainObject(parsed) || !isPlainObject(parsed.s3)) throw argumentError(member, 'expected {"s3":{"key","bucket","region"}}');
      return parsed.s3;
    },
  };
}
