import type { AttributeValue, KeysAndAttributes, WriteRequest } from '@aws-sdk/client-dynamodb';
import { malformedRequest, missingField } from '../errors.ts';
import type { DataSourceOutcome } from '../types.ts';
import type { DynamoDbCallContext } from './context.ts';
import { readOptionalExpression } from './expressions.ts';
import { asRequestObject, optionalBoolean, type RequestObject } from './request-fields.ts';
import { describe, plainItem, sameItem, sameValue, toAttributeMap } from './typed-values.ts';

/** Items per request [D-DDB-batch-*]; UNVERIFIED whether AppSync or DynamoDB words the refusal. */
export const BATCH_LIMITS = { BatchGetItem: 100, BatchPutItem: 25, BatchDeleteItem: 25 } as const;

type Tables = Record<string, unknown>;

function readTables(request: RequestObject): Tables {
  if (request.tables === undefined || request.tables === null) throw missingField('tables');
  const tables = asRequestObject(request.tables, 'tables');
  if (Object.keys(tables).length === 0) throw malformedRequest('tables must name at least one table');
  return tables;
}

function checkLimit(operation: keyof typeof BATCH_LIMITS, count: number): void {
  if (count > BATCH_LIMITS[operation]) throw malformedRequest(`${operation} takes at most ${BATCH_LIMITS[operation]} items across all tables; this request has ${count}`);
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) throw missingField(path);
  if (!Array.isArray(value)) throw malformedRequest(`${path} must be a list; got ${describe(value)}`);
  return value;
}

const matches = (item: Record<string, AttributeValue>, key: Record<string, AttributeValue>) =>
  Object.entries(key).every(([name, value]) => item[name] !== undefined && sameValue(item[name]!, value));

/**
 * `{data: {T: [item|null…]}, unprocessedKeys: {T: [key…]}}`, per table in request order; every
 * requested table is present in both; a missing item is null, an unprocessed one null in `data`
 * and listed in `unprocessedKeys`.
 */
export async function batchGetItem(ctx: DynamoDbCallContext, request: RequestObject): Promise<DataSourceOutcome> {
  const tables = readTables(request);
  const wanted = new Map<string, { keys: Record<string, AttributeValue>[]; added: string[] }>();
  const requestItems: Record<string, KeysAndAttributes> = {};
  let count = 0;
  for (const [table, raw] of Object.entries(tables)) {
    const spec = asRequestObject(raw, `tables.${table}`);
    const keys = list(spec.keys, `tables.${table}.keys`).map((k, i) => toAttributeMap(k, `$.tables.${table}.keys[${i}]`));
    count += keys.length;
    const projection = readOptionalExpression(spec.projection, `tables.${table}.projection`);
    // Results come back unordered: each must carry its key to be put in place, so key
    // attributes left out of a projection are fetched too and dropped again.
    const keyNames = [...new Set(keys.flatMap((k) => Object.keys(k)))];
    const names = { ...projection?.names };
    const projected = projection ? topLevelNames(projection.expression, names) : undefined;
    const added = projected ? keyNames.filter((n) => !projected.has(n)) : [];
    added.forEach((name, i) => (names[`#appsyncLocalKey${i}`] = name));
    wanted.set(table, { keys, added });
    requestItems[table] = {
      Keys: keys,
      ConsistentRead: optionalBoolean(spec, 'consistentRead', `tables.${table}.consistentRead`) ?? false,
      ...(projection && { ProjectionExpression: [projection.expression, ...added.map((_, i) => `#appsyncLocalKey${i}`)].join(', ') }),
      ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
    };
  }
  checkLimit('BatchGetItem', count);
  const out = await ctx.client.call('BatchGetItem', { RequestItems: requestItems }, ctx.signal);

  const data: Record<string, unknown[]> = {};
  const unprocessedKeys: Record<string, unknown[]> = {};
  for (const [table, { keys, added }] of wanted) {
    const found = out.Responses?.[table] ?? [];
    const unprocessed = out.UnprocessedKeys?.[table]?.Keys ?? [];
    data[table] = keys.map((key) => {
      if (unprocessed.some((u) => matches(u, key))) return null;
      const item = found.find((i) => matches(i, key));
      if (!item) return null;
      const plain = plainItem(item);
      for (const name of added) delete plain[name];
      return plain;
    });
    unprocessedKeys[table] = unprocessed.map(plainItem);
  }
  return { result: { data, unprocessedKeys } };
}

/** `{data: {T: [item|null…]}, unprocessedItems: {T: [item…]}}`; a written item is returned as written. */
export async function batchPutItem(ctx: DynamoDbCallContext, request: RequestObject): Promise<DataSourceOutcome> {
  const tables = readTables(request);
  const items = Object.fromEntries(
    Object.entries(tables).map(([table, raw]) => [table, list(raw, `tables.${table}`).map((item, i) => toAttributeMap(item, `$.tables.${table}[${i}]`))]),
  );
  checkLimit('BatchPutItem', Object.values(items).flat().length);
  const unprocessed = await batchWrite(ctx, Object.fromEntries(Object.entries(items).map(([t, list]) => [t, list.map((Item) => ({ PutRequest: { Item } }))])));
  const data: Record<string, unknown[]> = {};
  const unprocessedItems: Record<string, unknown[]> = {};
  for (const [table, list] of Object.entries(items)) {
    const left = (unprocessed[table] ?? []).map((w) => w.PutRequest!.Item!);
    data[table] = list.map((item) => (left.some((u) => sameItem(u, item)) ? null : plainItem(item)));
    unprocessedItems[table] = left.map(plainItem);
  }
  return { result: { data, unprocessedItems } };
}

/** `{data: {T: [key|null…]}, unprocessedKeys: {T: [key…]}}`: only keys come back. */
export async function batchDeleteItem(ctx: DynamoDbCallContext, request: RequestObject): Promise<DataSourceOutcome> {
  const tables = readTables(request);
  const keys = Object.fromEntries(
    Object.entries(tables).map(([table, raw]) => [table, list(raw, `tables.${table}`).map((key, i) => toAttributeMap(key, `$.tables.${table}[${i}]`))]),
  );
  checkLimit('BatchDeleteItem', Object.values(keys).flat().length);
  const unprocessed = await batchWrite(ctx, Object.fromEntries(Object.entries(keys).map(([t, list]) => [t, list.map((Key) => ({ DeleteRequest: { Key } }))])));
  const data: Record<string, unknown[]> = {};
  const unprocessedKeys: Record<string, unknown[]> = {};
  for (const [table, list] of Object.entries(keys)) {
    const left = (unprocessed[table] ?? []).map((w) => w.DeleteRequest!.Key!);
    data[table] = list.map((key) => (left.some((u) => sameItem(u, key)) ? null : plainItem(key)));
    unprocessedKeys[table] = left.map(plainItem);
  }
  return { result: { data, unprocessedKeys } };
}

/** One BatchWriteItem; what DynamoDB did not process is returned, not retried (as AppSync does). */
async function batchWrite(ctx: DynamoDbCallContext, requestItems: Record<string, WriteRequest[]>): Promise<Record<string, WriteRequest[]>> {
  const out = await ctx.client.call('BatchWriteItem', { RequestItems: requestItems }, ctx.signal);
  return out.UnprocessedItems ?? {};
}

/** The attributes a projection expression reads at its top level (`a.b, #c[1]` → a, c). */
function topLevelNames(expression: string, names: Record<string, string>): Set<string> {
  return new Set(
    expression
      .split(',')
      .map((path) => path.trim().split(/[.[]/)[0]!.trim())
      .filter(Boolean)
      .map((name) => (name.startsWith('#') ? (names[name] ?? name) : name)),
  );
}
