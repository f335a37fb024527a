import { DeleteItemCommand, DescribeTableCommand, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import type { TableModel } from '../../../local/assembly/model.ts';
import { ensureTables } from '../../../local/dynamodb/tables.ts';
import { isLocalTtlRemoval, startTtlExpiry, tablesNeedingSweep, TTL_USER_IDENTITY } from '../../../local/dynamodb/ttl.ts';
import { eventually, useDynamoDbLocal } from './ddb-local.ts';

const ddb = useDynamoDbLocal();
const nowS = () => Math.floor(Date.now() / 1000);

/** The JobsTable shape of docs/data-model.md: a GSI, a stream and TTL. */
function jobsTable(tableName: string, extra: Partial<TableModel> = {}): TableModel {
  return {
    stackName: 'Test',
    logicalId: 'JobsTable',
    tableName,
    keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'owner', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
    ],
    globalSecondaryIndexes: [
      { IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
    ],
    streamViewType: 'NEW_AND_OLD_IMAGES',
    timeToLiveAttribute: 'expiresAt',
    ...extra,
  };
}

const plainTable = (tableName: string): TableModel =>
  jobsTable(tableName, { attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], globalSecondaryIndexes: undefined });

/** Items without the GSI's key attributes (sparse), which DynamoDB Local never expires. */
async function put(tableName: string, id: string, expiresAt?: AttributeValue, indexed = false): Promise<void> {
  const indexKeys = indexed && { owner: { S: 'tina' }, createdAt: { S: '2026-01-01' } };
  await ddb.client.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id }, ...indexKeys, ...(expiresAt && { expiresAt }) } }));
}

const ids = async (tableName: string) => ((await ddb.client.send(new ScanCommand({ TableName: tableName }))).Items ?? []).map((i) => i.id!.S!).sort();

async function streamRecords(tableName: string): Promise<_Record[]> {
  const streams = new DynamoDBStreamsClient({ endpoint: ddb.server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const arn = (await ddb.client.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!;
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards!;
    const records: _Record[] = [];
    for (const shard of shards) {
      const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      records.push(...(await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records!);
    }
    return records;
  } finally {
    streams.destroy();
  }
}

describe("DynamoDB Local's own TTL expiry (the facts ttl.ts is built on)", () => {
  it('expires Number TTLs in a table without indexes, writes an UNKNOWN_TO_SDK_VERSION record, and never expires sparse items of a GSI table', async () => {
    await ensureTables(ddb.client, [plainTable('LocalExpiry'), jobsTable('LocalNoExpiry')], () => {});
    await put('LocalNoExpiry', 'expired', { N: String(nowS() - 60) });
    await put('LocalNoExpiry', 'expiredIndexed', { N: String(nowS() - 60) }, true);
    await put('LocalExpiry', 'expired', { N: String(nowS() - 60) });
    await put('LocalExpiry', 'future', { N: String(nowS() + 3600) });
    await put('LocalExpiry', 'text', { S: String(nowS() - 60) });
    await put('LocalExpiry', 'sixYearsAgo', { N: String(nowS() - 6 * 366 * 86_400) });

    await eventually(async () => !(await ids('LocalExpiry')).includes('expired'), 'DynamoDB Local expires the item', 45_000);
    expect(await ids('LocalExpiry')).toEqual(['future', 'sixYearsAgo', 'text']);
    // One more of its expiry rounds — seen by a marker written now expiring too, rather than
    // guessed with a sleep: the GSI table keeps its expired sparse item. (Its indexed item may or
    // may not have gone: Local is not reliable there either.)
    await put('LocalExpiry', 'marker', { N: String(nowS() - 60) });
    await eventually(async () => !(await ids('LocalExpiry')).includes('marker'), 'DynamoDB Local runs another expiry round', 45_000);
    expect(await ids('LocalNoExpiry')).toContain('expired');

    const removal = (await streamRecords('LocalExpiry')).find((r) => r.eventName !== 'INSERT')!;
    expect(removal.eventName).toBe('UNKNOWN_TO_SDK_VERSION');
    expect(removal.userIdentity).toBeUndefined();
    expect(isLocalTtlRemoval(removal)).toBe(true);

    const expiry = startTtlExpiry({ client: ddb.client, tables: [], log: () => {} });
    const normalized = expiry.normalize('LocalExpiry', removal);
    await expiry.stop();
    expect(normalized.eventName).toBe('REMOVE');
    expect(normalized.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(normalized.dynamodb?.OldImage?.id).toEqual({ S: 'expired' });
  }, 90_000);
});

describe('startTtlExpiry', () => {
  it('sweeps only tables with TTL and a secondary index', () => {
    const withLsi = plainTable('L');
    withLsi.localSecondaryIndexes = [{ IndexName: 'x', KeySchema: [], Projection: {} }];
    const noTtl = jobsTable('N', { timeToLiveAttribute: undefined });
    expect(tablesNeedingSweep([plainTable('P'), jobsTable('J'), withLsi, noTtl]).map((t) => t.tableName)).toEqual(['J', 'L']);
  });

  it('deletes expired items as AWS would and marks exactly those REMOVE records as TTL deletions', async () => {
    const table = jobsTable('SweptJobs');
    await ensureTables(ddb.client, [table], () => {});
    await put('SweptJobs', 'expired', { N: String(nowS() - 60) });
    await put('SweptJobs', 'future', { N: String(nowS() + 3600) });
    await put('SweptJobs', 'text', { S: String(nowS() - 60) });
    await put('SweptJobs', 'sixYearsAgo', { N: String(nowS() - 6 * 366 * 86_400) });
    await put('SweptJobs', 'noTtl');
    await put('SweptJobs', 'userDeleted', { N: String(nowS() + 3600) });
    await ddb.client.send(new DeleteItemCommand({ TableName: 'SweptJobs', Key: { id: { S: 'userDeleted' } } }));

    const lines: string[] = [];
    const expiry = startTtlExpiry({ client: ddb.client, tables: [table, plainTable('NotSwept')], log: (l) => lines.push(l), intervalMs: 3_600_000 });
    try {
      expect(lines).toEqual(['TTL: sweeping SweptJobs every 3600 s (DynamoDB Local does not reliably expire items in tables with secondary indexes)']);
      expect(await expiry.sweep()).toBe(1);
      expect(await ids('SweptJobs')).toEqual(['future', 'noTtl', 'sixYearsAgo', 'text']);
      expect(await expiry.sweep()).toBe(0);

      const removes = (await streamRecords('SweptJobs')).filter((r) => r.eventName === 'REMOVE');
      const byId = (id: string) => removes.find((r) => r.dynamodb?.Keys?.id?.S === id)!;
      expect(expiry.normalize('SweptJobs', byId('expired')).userIdentity).toEqual(TTL_USER_IDENTITY);
      // Once: a later REMOVE of the same key (a user's) is not a TTL deletion.
      expect(expiry.normalize('SweptJobs', byId('expired')).userIdentity).toBeUndefined();
      expect(expiry.normalize('SweptJobs', byId('userDeleted'))).toBe(byId('userDeleted'));
      expect(expiry.normalize('OtherTable', byId('expired')).userIdentity).toBeUndefined();
    } finally {
      await expiry.stop();
    }
  });

  it('expires by its clock, sweeps on a timer, and does not touch index-less tables (DynamoDB Local does)', async () => {
    const table = jobsTable('TimedJobs', { streamViewType: undefined });
    await ensureTables(ddb.client, [table, plainTable('Untouched')], () => {});
    await put('TimedJobs', 'inAnHour', { N: String(nowS() + 3600) });
    await put('Untouched', 'inAnHour', { N: String(nowS() + 3600) });
    const expiry = startTtlExpiry({ client: ddb.client, tables: [table, plainTable('Untouched')], log: () => {}, intervalMs: 200, now: () => Date.now() + 2 * 3_600_000 });
    try {
      await eventually(async () => (await ids('TimedJobs')).length === 0, 'the timer sweeps the item that is expired by the sweeper clock', 10_000);
      expect(await ids('Untouched')).toEqual(['inAnHour']);
    } finally {
      await expiry.stop();
    }
  });
});
