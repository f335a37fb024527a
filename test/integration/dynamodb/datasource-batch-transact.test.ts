import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsMessage, harness, table, type Harness } from './datasource-support.ts';
import { useDynamoDbLocal } from './ddb-local.ts';

const ddb = useDynamoDbLocal();
let h: Harness;

beforeAll(async () => {
  h = await harness(ddb, [table('Posts'), table('Authors'), table('Ledger', { keySchema: [{ AttributeName: 'feedId', KeyType: 'HASH' }, { AttributeName: 'sequence', KeyType: 'RANGE' }], attributeDefinitions: [{ AttributeName: 'feedId', AttributeType: 'S' }, { AttributeName: 'sequence', AttributeType: 'N' }] })]);
  for (const id of ['p1', 'p2', 'p3']) await ddb.client.send(new PutItemCommand({ TableName: 'Posts', Item: { id: { S: id }, title: { S: `Title ${id}` }, body: { S: 'text' } } }));
  await ddb.client.send(new PutItemCommand({ TableName: 'Authors', Item: { id: { S: 'a1' }, name: { S: 'Ann' } } }));
});

const S = (s: string) => ({ S: s });
const exists = async (tableName: string, id: string) => Boolean((await ddb.client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: id } }, ConsistentRead: true }))).Item);

describe('BatchGetItem', () => {
  it('answers per table in request order, null for missing items, every table present', async () => {
    const outcome = await h.run('Posts', {
      operation: 'BatchGetItem',
      tables: { Posts: { keys: [{ id: S('p3') }, { id: S('nope') }, { id: S('p1') }], consistentRead: true }, Authors: { keys: [{ id: S('ghost') }] } },
    });
    expect(outcome).toEqual({
      result: {
        data: { Posts: [{ id: 'p3', title: 'Title p3', body: 'text' }, null, { id: 'p1', title: 'Title p1', body: 'text' }], Authors: [null] },
        unprocessedKeys: { Posts: [], Authors: [] },
      },
    });
  });

  it('keeps order with a projection that leaves the key out, and drops the key again', async () => {
    const outcome = await h.run('Posts', { operation: 'BatchGetItem', tables: { Posts: { keys: [{ id: S('p2') }, { id: S('p1') }], projection: { expression: '#t', expressionNames: { '#t': 'title' } } } } });
    expect(outcome.result).toEqual({ data: { Posts: [{ title: 'Title p2' }, { title: 'Title p1' }] }, unprocessedKeys: { Posts: [] } });
  });

  // UNVERIFIED: whether AppSync or DynamoDB refuses an oversized batch, and its wording.
  it('takes at most 100 keys', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => ({ id: S(`k${i}`) }));
    expect(await h.run('Posts', { operation: 'BatchGetItem', tables: { Posts: { keys } } })).toEqual({
      error: { type: 'MappingTemplate', message: 'BatchGetItem takes at most 100 items across all tables; this request has 101' },
    });
    expect((await h.run('Posts', { operation: 'BatchGetItem', tables: { Posts: { keys: keys.slice(0, 100) } } })).result).toBeTruthy();
  });

  it('needs tables and keys', async () => {
    expect((await h.run('Posts', { operation: 'BatchGetItem' })).error?.message).toBe("Value for field '$[tables]' not found.");
    expect((await h.run('Posts', { operation: 'BatchGetItem', tables: { Posts: {} } })).error?.message).toBe("Value for field '$[tables.Posts.keys]' not found.");
  });
});

describe('BatchPutItem and BatchDeleteItem', () => {
  it('BatchPutItem returns the items written, per table in order', async () => {
    const outcome = await h.run('Posts', {
      operation: 'BatchPutItem',
      tables: { Posts: [{ id: S('b1'), title: S('B1') }, { id: S('b2'), title: S('B2') }], Ledger: [{ feedId: S('f'), sequence: { N: 1 }, outcome: S('APPLIED') }] },
    });
    expect(outcome).toEqual({
      result: { data: { Posts: [{ id: 'b1', title: 'B1' }, { id: 'b2', title: 'B2' }], Ledger: [{ feedId: 'f', sequence: 1, outcome: 'APPLIED' }] }, unprocessedItems: { Posts: [], Ledger: [] } },
    });
    expect(await exists('Posts', 'b2')).toBe(true);
  });

  it('BatchDeleteItem returns only the keys', async () => {
    const outcome = await h.run('Posts', { operation: 'BatchDeleteItem', tables: { Posts: [{ id: S('b1') }, { id: S('never-there') }] } });
    expect(outcome).toEqual({ result: { data: { Posts: [{ id: 'b1' }, { id: 'never-there' }] }, unprocessedKeys: { Posts: [] } } });
    expect(await exists('Posts', 'b1')).toBe(false);
  });

  it('take at most 25 items, and surface DynamoDB validation errors', async () => {
    const items = Array.from({ length: 26 }, (_, i) => ({ id: S(`x${i}`) }));
    expect((await h.run('Posts', { operation: 'BatchPutItem', tables: { Posts: items } })).error?.message).toBe('BatchPutItem takes at most 25 items across all tables; this request has 26');
    expect((await h.run('Posts', { operation: 'BatchDeleteItem', tables: { Posts: items } })).error?.message).toBe('BatchDeleteItem takes at most 25 items across all tables; this request has 26');
    const duplicate = await h.run('Posts', { operation: 'BatchDeleteItem', tables: { Posts: [{ id: S('d') }, { id: S('d') }] } });
    expect(duplicate.error?.type).toBe('DynamoDB:ValidationException');
    expect(duplicate.error?.message).toMatch(awsMessage('Provided list of item keys contains duplicates', 'ValidationException'));
  });
});

describe('TransactGetItems', () => {
  it('returns items in request order, null where absent, cancellationReasons null', async () => {
    const outcome = await h.run('Posts', {
      operation: 'TransactGetItems',
      transactItems: [
        { table: 'Authors', key: { id: S('a1') } },
        { table: 'Posts', key: { id: S('missing') } },
        { table: 'Posts', key: { id: S('p2') }, projection: { expression: '#t', expressionNames: { '#t': 'title' } } },
      ],
    });
    expect(outcome).toEqual({ result: { items: [{ id: 'a1', name: 'Ann' }, null, { title: 'Title p2' }], cancellationReasons: null } });
  });

  it('needs a table for each item and at most 100 items', async () => {
    expect((await h.run('Posts', { operation: 'TransactGetItems', transactItems: [{ key: { id: S('a') } }] })).error?.message).toBe("Value for field '$[transactItems[0].table]' not found.");
    const many = Array.from({ length: 101 }, (_, i) => ({ table: 'Posts', key: { id: S(`t${i}`) } }));
    expect((await h.run('Posts', { operation: 'TransactGetItems', transactItems: many })).error?.message).toBe('TransactGetItems takes at most 100 request items; this request has 101');
  });
});

describe('TransactWriteItems', () => {
  it('writes all and returns the keys in request order', async () => {
    const outcome = await h.run('Posts', {
      operation: 'TransactWriteItems',
      transactItems: [
        { table: 'Posts', operation: 'PutItem', key: { id: S('t1') }, attributeValues: { title: S('T1') }, condition: JSON.stringify({ expression: 'attribute_not_exists(id)' }) },
        { table: 'Authors', operation: 'UpdateItem', key: { id: S('a1') }, update: { expression: 'SET #n = :n', expressionNames: { '#n': 'name' }, expressionValues: { ':n': S('Anna') } } },
        { table: 'Posts', operation: 'DeleteItem', key: { id: S('p3') } },
        { table: 'Posts', operation: 'ConditionCheck', key: { id: S('p1') }, condition: { expression: 'attribute_exists(id)' } },
      ],
    });
    expect(outcome).toEqual({ result: { keys: [{ id: 't1' }, { id: 'a1' }, { id: 'p3' }, { id: 'p1' }], cancellationReasons: null } });
    expect(await exists('Posts', 't1')).toBe(true);
    expect(await exists('Posts', 'p3')).toBe(false);
  });

  it('on cancellation: keys null, one reason per item in request order with the current item, and the error', async () => {
    const outcome = await h.run('Posts', {
      operation: 'TransactWriteItems',
      transactItems: [
        { table: 'Authors', operation: 'UpdateItem', key: { id: S('a1') }, update: { expression: 'SET #n = :n', expressionNames: { '#n': 'name' }, expressionValues: { ':n': S('Never') } } },
        { table: 'Posts', operation: 'PutItem', key: { id: S('p1') }, attributeValues: { title: S('New') }, condition: { expression: 'title = :old', expressionValues: { ':old': S('Wrong title') } } },
        { table: 'Posts', operation: 'PutItem', key: { id: S('p2') }, attributeValues: { title: S('New') }, condition: { expression: 'title = :old', expressionValues: { ':old': S('Wrong') }, returnValuesOnConditionCheckFailure: false } },
      ],
    });
    expect(outcome.result).toEqual({
      keys: null,
      cancellationReasons: [
        { type: 'None', message: 'None' },
        { type: 'ConditionCheckFailed', message: 'The condition check failed.', item: { id: 'p1', title: 'Title p1', body: 'text' } },
        { type: 'ConditionCheckFailed', message: 'The condition check failed.' },
      ],
    });
    expect(outcome.error?.type).toBe('DynamoDB:TransactionCanceledException');
    expect(outcome.error?.message).toMatch(/^Transaction cancelled, please refer cancellation reasons for specific reasons \[None, ConditionalCheckFailed, ConditionalCheckFailed\] \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: TransactionCanceledException; Request ID: \S+\)$/);
    expect((await ddb.client.send(new GetItemCommand({ TableName: 'Authors', Key: { id: S('a1') } }))).Item?.name).toEqual(S('Anna'));
  });

  it('validates items: operation, ConditionCheck needs a condition, two items on one key are refused by DynamoDB', async () => {
    const run = (transactItems: unknown[]) => h.run('Posts', { operation: 'TransactWriteItems', transactItems });
    expect((await run([{ table: 'Posts', key: { id: S('a') } }])).error?.message).toBe("Value for field '$[transactItems[0].operation]' not found.");
    expect((await run([{ table: 'Posts', operation: 'Upsert', key: { id: S('a') } }])).error?.message).toBe('transactItems[0].operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck; got "Upsert"');
    expect((await run([{ table: 'Posts', operation: 'ConditionCheck', key: { id: S('a') } }])).error?.message).toBe("Value for field '$[transactItems[0].condition]' not found.");
    expect((await run([])).error?.message).toBe('transactItems must hold at least one request item');
    const twice = await run([
      { table: 'Posts', operation: 'PutItem', key: { id: S('same') } },
      { table: 'Posts', operation: 'DeleteItem', key: { id: S('same') } },
    ]);
    // The AppSync docs say TransactionCanceledException; DynamoDB answers ValidationException and
    // the data source passes DynamoDB's error on (UNVERIFIED which one AppSync shows).
    expect(twice.error?.type).toBe('DynamoDB:ValidationException');
    expect(twice.error?.message).toMatch(awsMessage('Transaction request cannot include multiple operations on one item', 'ValidationException'));
    const many = Array.from({ length: 101 }, (_, i) => ({ table: 'Posts', operation: 'DeleteItem', key: { id: S(`m${i}`) } }));
    expect((await run(many)).error?.message).toBe('TransactWriteItems takes at most 100 request items; this request has 101');
  });
});
