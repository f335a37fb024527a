import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { harness, table, type Harness } from './datasource-support.ts';
import { useDynamoDbLocal } from './ddb-local.ts';

const ddb = useDynamoDbLocal();
let h: Harness;

/** The PricesTable shape: marketId / sk, plus a GSI on status. */
const prices = table('Prices', {
  keySchema: [
    { AttributeName: 'marketId', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  attributeDefinitions: [
    { AttributeName: 'marketId', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
  ],
  globalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
});

beforeAll(async () => {
  h = await harness(ddb, [prices]);
  const items = Array.from({ length: 10 }, (_, i) => ({
    PutRequest: {
      Item: {
        marketId: { S: 'm1' },
        sk: { S: `2026-01-01T00:00:0${i}Z#${String(i).padStart(10, '0')}` },
        price: { N: String(1.5 + i) },
        status: { S: i % 2 === 0 ? 'OPEN' : 'SUSPENDED' },
      },
    },
  }));
  await ddb.client.send(new BatchWriteItemCommand({ RequestItems: { Prices: items } }));
  await ddb.client.send(new BatchWriteItemCommand({ RequestItems: { Prices: [{ PutRequest: { Item: { marketId: { S: 'm2' }, sk: { S: 'x' }, price: { N: '9' }, status: { S: 'OPEN' } } } }] } }));
});

const byMarket = (marketId: string) => ({ expression: 'marketId = :m', expressionValues: { ':m': { S: marketId } } });
type Page = { items: Record<string, unknown>[]; nextToken: string | null; scannedCount: number };
const page = (outcome: Awaited<ReturnType<Harness['run']>>) => {
  expect(outcome.error).toBeUndefined();
  return outcome.result as Page;
};

describe('Query', () => {
  it('returns {items, nextToken, scannedCount} in key order, or reversed', async () => {
    const all = page(await h.run('Prices', { operation: 'Query', query: byMarket('m1') }));
    expect(all.items).toHaveLength(10);
    expect(all.items[0]).toEqual({ marketId: 'm1', sk: '2026-01-01T00:00:00Z#0000000000', price: 1.5, status: 'OPEN' });
    expect(all.nextToken).toBeNull();
    expect(all.scannedCount).toBe(10);
    const newest = page(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), scanIndexForward: false, limit: 1 }));
    expect(newest.items.map((i) => i.price)).toEqual([10.5]);
    expect(typeof newest.nextToken).toBe('string');
  });

  it('limit counts evaluated items: the filter runs after it, scannedCount counts before the filter', async () => {
    const filtered = page(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), limit: 4, filter: { expression: '#s = :open', expressionNames: { '#s': 'status' }, expressionValues: { ':open': { S: 'OPEN' } } } }));
    expect(filtered.scannedCount).toBe(4);
    expect(filtered.items.map((i) => i.price)).toEqual([1.5, 3.5]);
    expect(filtered.nextToken).not.toBeNull();
  });

  it('key condition with expressionNames, a GSI, projections and select', async () => {
    const since = page(
      await h.run('Prices', {
        operation: 'Query',
        query: { expression: 'marketId = :m AND #sk >= :since', expressionNames: { '#sk': 'sk' }, expressionValues: { ':m': { S: 'm1' }, ':since': { S: '2026-01-01T00:00:08Z' } } },
        projection: { expression: '#p', expressionNames: { '#p': 'price' } },
        select: 'SPECIFIC_ATTRIBUTES',
      }),
    );
    expect(since.items).toEqual([{ price: 9.5 }, { price: 10.5 }]);
    const open = page(await h.run('Prices', { operation: 'Query', index: 'byStatus', query: { expression: '#s = :o', expressionNames: { '#s': 'status' }, expressionValues: { ':o': { S: 'OPEN' } } }, select: 'ALL_PROJECTED_ATTRIBUTES' }));
    expect(open.items).toHaveLength(6);
    expect(Object.keys(open.items[0]!).sort()).toEqual(['marketId', 'sk', 'status']);
  });

  it('refuses an unknown select and a bad limit', async () => {
    expect((await h.run('Prices', { operation: 'Query', query: byMarket('m1'), select: 'COUNT' })).error?.message).toBe(
      'select must be one of ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES; got "COUNT"',
    );
    expect((await h.run('Prices', { operation: 'Query', query: byMarket('m1'), limit: 0 })).error?.message).toBe('limit must be a whole number from 1; got 0');
  });
});

describe('paging and nextToken', () => {
  it('pages through everything with the opaque token of the same field', async () => {
    const seen: unknown[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const p = page(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), limit: 3, nextToken }, { field: 'Query.people' }));
      seen.push(...p.items.map((i) => i.price));
      nextToken = p.nextToken;
      pages++;
      if (nextToken) {
        // Opaque, shaped like AppSync's: base64 of {"version":2,"token":"…"}, no key in clear. The
        // inner token is ciphertext, so short strings may appear in it by chance; the key's own
        // text (at least 10 characters each) cannot, in the wrapper nor in the decoded bytes.
        const outer = Buffer.from(nextToken, 'base64').toString();
        const wrapper = JSON.parse(outer) as { version: number; token: string };
        expect(Object.keys(wrapper).sort()).toEqual(['token', 'version']);
        expect(wrapper.version).toBe(2);
        const inner = Buffer.from(wrapper.token, 'base64').toString('latin1');
        const lastKey = p.items.at(-1)!;
        for (const clear of ['"marketId"', '{"S":"m1"}', String(lastKey.sk)]) {
          expect(outer).not.toContain(clear);
          expect(inner).not.toContain(clear);
        }
      }
    } while (nextToken);
    expect(seen).toEqual([1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5]);
    expect(pages).toBe(4);
  });

  it('a token is bound to the field, operation and index that produced it', async () => {
    const first = page(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), limit: 2 }, { field: 'Query.people' }));
    const invalid = { error: { type: 'DynamoDB:UserIllegalArgumentException', message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.' } };
    expect(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), limit: 2, nextToken: first.nextToken }, { field: 'Query.otherPeople' })).toEqual(invalid);
    expect(await h.run('Prices', { operation: 'Scan', limit: 2, nextToken: first.nextToken }, { field: 'Query.people' })).toEqual(invalid);
    expect(await h.run('Prices', { operation: 'Query', index: 'byStatus', query: { expression: '#s = :o', expressionNames: { '#s': 'status' }, expressionValues: { ':o': { S: 'OPEN' } } }, nextToken: first.nextToken }, { field: 'Query.people' })).toEqual(invalid);
    expect(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), nextToken: 'bm90IGEgdG9rZW4=' }, { field: 'Query.people' })).toEqual(invalid);
    const tampered = Buffer.from(JSON.stringify({ version: 2, token: Buffer.alloc(60, 7).toString('base64') })).toString('base64');
    expect(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), nextToken: tampered }, { field: 'Query.people' })).toEqual(invalid);
    expect(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), nextToken: 42 }, { field: 'Query.people' })).toEqual(invalid);
    // The same field continues fine.
    expect(page(await h.run('Prices', { operation: 'Query', query: byMarket('m1'), limit: 2, nextToken: first.nextToken }, { field: 'Query.people' })).items[0]?.price).toBe(3.5);
  });
});

describe('Scan', () => {
  it('scans with limit, filter and paging', async () => {
    const p = page(await h.run('Prices', { operation: 'Scan', limit: 5 }));
    expect(p.items).toHaveLength(5);
    expect(p.scannedCount).toBe(5);
    const rest = page(await h.run('Prices', { operation: 'Scan', nextToken: p.nextToken }));
    expect(rest.items).toHaveLength(6);
    expect(rest.nextToken).toBeNull();
    const nine = page(await h.run('Prices', { operation: 'Scan', filter: { expression: 'price = :p', expressionValues: { ':p': { N: 9 } } } }));
    expect(nine.items).toEqual([{ marketId: 'm2', sk: 'x', price: 9, status: 'OPEN' }]);
    expect(nine.scannedCount).toBe(11);
  });

  it('runs parallel segments, which need both segment and totalSegments', async () => {
    const a = page(await h.run('Prices', { operation: 'Scan', segment: 0, totalSegments: 2 }));
    const b = page(await h.run('Prices', { operation: 'Scan', segment: 1, totalSegments: 2 }));
    expect(a.items.length + b.items.length).toBe(11);
    expect((await h.run('Prices', { operation: 'Scan', segment: 0 })).error).toEqual({ type: 'MappingTemplate', message: 'segment and totalSegments must be given together or not at all' });
  });
});

describe('Sync', () => {
  it('a full Sync is a scan of the base table with startedAt', async () => {
    const before = Date.now();
    const outcome = await h.run('Prices', { operation: 'Sync', limit: 4 });
    const result = outcome.result as Page & { startedAt: number };
    expect(result.items).toHaveLength(4);
    expect(result.startedAt).toBeGreaterThanOrEqual(before);
    expect(result.nextToken).not.toBeNull();
    const rest = (await h.run('Prices', { operation: 'Sync', limit: 1000, nextToken: result.nextToken })).result as Page;
    expect(rest.items).toHaveLength(7);
    expect((await h.run('Prices', { operation: 'Sync', limit: 1001 })).error?.message).toBe('limit must be a whole number from 1 to 1000; got 1001');
  });

  it.each(['lastSync', 'basePartitionKey', 'deltaIndexName'])('refuses %s, which needs the delta sync table of a versioned data source', async (field) => {
    const outcome = await h.run('Prices', { operation: 'Sync', [field]: field === 'lastSync' ? 1_700_000_000_000 : 'x' });
    expect(outcome.error?.type).toBe('LocalRuntime:Unsupported');
    expect(outcome.error?.message).toContain(`Sync with ${field} reads AppSync's delta sync table`);
  });
});
