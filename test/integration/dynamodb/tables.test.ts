import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TableModel } from '../../../local/assembly/model.ts';
import { startDynamoDbLocal } from '../../../local/dynamodb/server.ts';
import { ensureTables, TableShapeConflictError } from '../../../local/dynamodb/tables.ts';
import { clientFor, useDynamoDbLocal } from './ddb-local.ts';

const ddb = useDynamoDbLocal();
let counter = 0;
const uniqueName = (base: string) => `${base}-${++counter}`;

/** The MarketsTable/PricesTable shapes of docs/data-model.md, with an LSI added. */
function marketsTable(tableName: string, extra: Partial<TableModel> = {}): TableModel {
  return {
    stackName: 'Test',
    logicalId: 'MarketsTable',
    tableName,
    keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'eventId', AttributeType: 'S' },
      { AttributeName: 'name', AttributeType: 'S' },
    ],
    globalSecondaryIndexes: [
      { IndexName: 'byEvent', KeySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }, { AttributeName: 'name', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
    ],
    streamViewType: 'NEW_AND_OLD_IMAGES',
    ...extra,
  };
}

function pricesTable(tableName: string, extra: Partial<TableModel> = {}): TableModel {
  return {
    stackName: 'Test',
    logicalId: 'PricesTable',
    tableName,
    keySchema: [
      { AttributeName: 'marketId', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    attributeDefinitions: [
      { AttributeName: 'marketId', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'version', AttributeType: 'N' },
    ],
    localSecondaryIndexes: [
      { IndexName: 'byVersion', KeySchema: [{ AttributeName: 'marketId', KeyType: 'HASH' }, { AttributeName: 'version', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    ],
    timeToLiveAttribute: 'expiresAt',
    ...extra,
  };
}

const describeTable = async (client: DynamoDBClient, name: string) => (await client.send(new DescribeTableCommand({ TableName: name }))).Table!;
const ttlOf = async (client: DynamoDBClient, name: string) => (await client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
const logs = () => {
  const lines: string[] = [];
  return Object.assign((line: string) => void lines.push(line), { lines });
};

describe('ensureTables: creating', () => {
  it('creates keys, attribute definitions, GSIs, LSIs, a stream and TTL', async () => {
    const markets = uniqueName('Markets');
    const prices = uniqueName('Prices');
    const log = logs();
    await ensureTables(ddb.client, [marketsTable(markets), pricesTable(prices)], log);

    const m = await describeTable(ddb.client, markets);
    expect(m.TableStatus).toBe('ACTIVE');
    expect(m.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(m.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection?.ProjectionType, i.IndexStatus])).toEqual([
      ['byEvent', [{ AttributeName: 'eventId', KeyType: 'HASH' }, { AttributeName: 'name', KeyType: 'RANGE' }], 'ALL', 'ACTIVE'],
    ]);
    expect(m.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(m.LatestStreamArn).toBeTruthy();
    expect((await ttlOf(ddb.client, markets))?.TimeToLiveStatus).toBe('DISABLED');

    const p = await describeTable(ddb.client, prices);
    expect(p.KeySchema).toEqual(pricesTable(prices).keySchema);
    expect(p.LocalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType])).toEqual([['byVersion', 'KEYS_ONLY']]);
    expect(p.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    expect(await ttlOf(ddb.client, prices)).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(log.lines).toEqual(expect.arrayContaining([`table ${markets} created (Test/MarketsTable)`, `table ${prices}: TTL off → expiresAt`]));

    // The GSI and LSI work.
    await ddb.client.send(new PutItemCommand({ TableName: markets, Item: { id: { S: 'm1' }, eventId: { S: 'e1' }, name: { S: 'Winner' } } }));
    const byEvent = await ddb.client.send(new QueryCommand({ TableName: markets, IndexName: 'byEvent', KeyConditionExpression: 'eventId = :e', ExpressionAttributeValues: { ':e': { S: 'e1' } } }));
    expect(byEvent.Items?.map((i) => i.id?.S)).toEqual(['m1']);
  });

  it('keeps an INCLUDE projection and only the template index fields (no capacity)', async () => {
    const name = uniqueName('Include');
    const table = marketsTable(name, {
      globalSecondaryIndexes: [
        {
          IndexName: 'byEvent',
          KeySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'margin'] },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        } as NonNullable<TableModel['globalSecondaryIndexes']>[number],
      ],
    });
    await ensureTables(ddb.client, [table], () => {});
    const gsi = (await describeTable(ddb.client, name)).GlobalSecondaryIndexes![0]!;
    expect(gsi.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'margin'] });
  });
});

describe('ensureTables: an existing table', () => {
  it('is kept with its items when the shape is the same', async () => {
    const name = uniqueName('Same');
    await ensureTables(ddb.client, [marketsTable(name)], () => {});
    const streamArn = (await describeTable(ddb.client, name)).LatestStreamArn;
    await ddb.client.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'kept' } } }));
    const log = logs();
    await ensureTables(ddb.client, [marketsTable(name)], log);
    expect(log.lines).toEqual([]);
    expect((await ddb.client.send(new GetItemCommand({ TableName: name, Key: { id: { S: 'kept' } } }))).Item).toEqual({ id: { S: 'kept' } });
    expect((await describeTable(ddb.client, name)).LatestStreamArn).toBe(streamArn);
  });

  it('gets a new GSI (built over the existing items), a stream and TTL', async () => {
    const name = uniqueName('Grow');
    const bare = marketsTable(name, { globalSecondaryIndexes: undefined, streamViewType: undefined });
    await ensureTables(ddb.client, [bare], () => {});
    await ddb.client.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'm1' }, eventId: { S: 'e9' }, name: { S: 'Total goals' } } }));

    const log = logs();
    await ensureTables(ddb.client, [marketsTable(name, { timeToLiveAttribute: 'expiresAt' })], log);
    expect(log.lines).toEqual([`table ${name}: index byEvent created`, `table ${name}: stream off → NEW_AND_OLD_IMAGES`, `table ${name}: TTL off → expiresAt`]);
    const t = await describeTable(ddb.client, name);
    expect(t.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect((await ttlOf(ddb.client, name))?.AttributeName).toBe('expiresAt');
    const byEvent = await ddb.client.send(new QueryCommand({ TableName: name, IndexName: 'byEvent', KeyConditionExpression: 'eventId = :e', ExpressionAttributeValues: { ':e': { S: 'e9' } } }));
    expect(byEvent.Items?.map((i) => i.id?.S)).toEqual(['m1']);
  });

  it('rebuilds a GSI whose shape changed, drops one no longer in the model, and changes stream and TTL', async () => {
    const name = uniqueName('Change');
    await ensureTables(ddb.client, [marketsTable(name, { timeToLiveAttribute: 'expiresAt' })], () => {});
    await ddb.client.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'm1' }, eventId: { S: 'e1' }, name: { S: 'n' }, sport: { S: 'tennis' } } }));

    const changed = marketsTable(name, {
      attributeDefinitions: [...marketsTable(name).attributeDefinitions, { AttributeName: 'sport', AttributeType: 'S' }],
      globalSecondaryIndexes: [{ IndexName: 'byEvent', KeySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      streamViewType: 'KEYS_ONLY',
      timeToLiveAttribute: 'ttl',
    });
    const log = logs();
    await ensureTables(ddb.client, [changed], log);
    expect(log.lines).toEqual([
      `table ${name}: index byEvent changed shape; rebuilding it`,
      `table ${name}: index byEvent created`,
      `table ${name}: stream NEW_AND_OLD_IMAGES → KEYS_ONLY (a new stream)`,
      `table ${name}: TTL expiresAt → ttl`,
    ]);
    const t = await describeTable(ddb.client, name);
    expect(t.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.length, i.Projection?.ProjectionType])).toEqual([['byEvent', 1, 'KEYS_ONLY']]);
    expect(t.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    expect((await ttlOf(ddb.client, name))?.AttributeName).toBe('ttl');

    const stripped = marketsTable(name, { globalSecondaryIndexes: [], streamViewType: undefined });
    const log2 = logs();
    await ensureTables(ddb.client, [stripped], log2);
    expect(log2.lines).toEqual([`table ${name}: index byEvent is no longer in the assembly; dropped it`, `table ${name}: stream KEYS_ONLY → off`, `table ${name}: TTL ttl → off`]);
    expect((await describeTable(ddb.client, name)).GlobalSecondaryIndexes ?? []).toEqual([]);
    expect((await ddb.client.send(new ScanCommand({ TableName: name }))).Count).toBe(1);
  });

  it('refuses a different key schema, naming the table, the difference and the reset, and keeps the items', async () => {
    const name = uniqueName('Keys');
    await ensureTables(ddb.client, [pricesTable(name)], () => {});
    await ddb.client.send(new PutItemCommand({ TableName: name, Item: { marketId: { S: 'm' }, sk: { S: 's' } } }));
    const wrongKey = pricesTable(name, {
      keySchema: [{ AttributeName: 'marketId', KeyType: 'HASH' }],
      localSecondaryIndexes: undefined,
    });
    const attempt = ensureTables(ddb.client, [wrongKey], () => {}, { dataDir: '/somewhere/.local/dynamodb' });
    await expect(attempt).rejects.toThrow(TableShapeConflictError);
    await expect(ensureTables(ddb.client, [wrongKey], () => {}, { dataDir: '/somewhere/.local/dynamodb' })).rejects.toThrow(
      new RegExp(
        `table ${name} \\(Test/PricesTable\\) already exists with a different shape.*` +
          `its key schema is HASH marketId \\(S\\), RANGE sk \\(S\\), the assembly wants HASH marketId \\(S\\); ` +
          `its local secondary indexes are byVersion: .*, the assembly wants none\\. ` +
          `Its items are kept and nothing was changed; stop the runtime and delete /somewhere/\\.local/dynamodb`,
      ),
    );
    const typeChanged = pricesTable(name, { attributeDefinitions: [{ AttributeName: 'marketId', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'version', AttributeType: 'N' }] });
    await expect(ensureTables(ddb.client, [typeChanged], () => {})).rejects.toThrow(/key schema is HASH marketId \(S\), RANGE sk \(S\), the assembly wants HASH marketId \(S\), RANGE sk \(N\)/);
    expect((await ddb.client.send(new ScanCommand({ TableName: name }))).Count).toBe(1);
  });
});

describe('ensureTables on a persistent store', () => {
  it('keeps tables and items across restarts and refuses a destructive change after one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ddb-tables-'));
    try {
      const first = await startDynamoDbLocal({ dataDir });
      const c1 = clientFor(first.endpoint);
      await ensureTables(c1, [marketsTable('Markets')], () => {});
      await c1.send(new PutItemCommand({ TableName: 'Markets', Item: { id: { S: 'm1' }, eventId: { S: 'e1' }, name: { S: 'Winner' } } }));
      c1.destroy();
      await first.stop();

      const second = await startDynamoDbLocal({ dataDir });
      const c2 = clientFor(second.endpoint);
      try {
        const log = logs();
        await ensureTables(c2, [marketsTable('Markets', { timeToLiveAttribute: 'expiresAt' })], log);
        expect(log.lines).toEqual(['table Markets: TTL off → expiresAt']);
        expect((await c2.send(new GetItemCommand({ TableName: 'Markets', Key: { id: { S: 'm1' } } }))).Item?.name).toEqual({ S: 'Winner' });
        await expect(
          ensureTables(c2, [marketsTable('Markets', { keySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }] })], () => {}, { dataDir }),
        ).rejects.toThrow(`delete ${dataDir}`);
        expect((await c2.send(new ScanCommand({ TableName: 'Markets' }))).Count).toBe(1);
      } finally {
        c2.destroy();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
