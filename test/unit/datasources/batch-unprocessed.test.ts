import { describe, expect, it } from 'vitest';
import { batchDeleteItem, batchGetItem, batchPutItem } from '../../../local/appsync/datasources/dynamodb/batch.ts';
import type { DynamoDbCallContext } from '../../../local/appsync/datasources/dynamodb/context.ts';
import { createNextTokens } from '../../../local/appsync/datasources/dynamodb/next-token.ts';
import type { DynamoDbWire } from '../../../local/dynamodb/wire-client.ts';

/**
 * DynamoDB Local always processes a whole batch, so the unprocessed paths are checked here with
 * an in-test client that answers as DynamoDB does under throttling.
 */
function contextAnswering(answer: unknown): { ctx: DynamoDbCallContext; sent: unknown[] } {
  const sent: unknown[] = [];
  const client = { call: async (_operation: string, input: unknown) => (sent.push(input), answer), destroy() {} } as unknown as DynamoDbWire;
  const ctx: DynamoDbCallContext = {
    client,
    dataSourceName: 'PostsSource',
    tableName: 'Posts',
    region: 'us-east-1',
    call: { dataSourceName: 'PostsSource', request: {}, direct: false, field: 'Query.posts', maxBatchSize: 0, arguments: {}, identity: null, deadline: Date.now() + 30_000 },
    tokens: createNextTokens(),
    lambda: async () => ({ ok: true, payload: null }),
    outputTypeOf: () => null,
    signal: new AbortController().signal,
  };
  return { ctx, sent };
}

describe('unprocessed batch entries', () => {
  it('BatchGetItem: an unprocessed key is null in data and listed in unprocessedKeys; results are matched to keys, not positions', async () => {
    const { ctx } = contextAnswering({
      Responses: { Posts: [{ id: { S: 'p3' }, n: { N: '3' } }, { id: { S: 'p1' }, n: { N: '1' } }] },
      UnprocessedKeys: { Posts: { Keys: [{ id: { S: 'p2' } }] } },
    });
    const outcome = await batchGetItem(ctx, { tables: { Posts: { keys: [{ id: { S: 'p1' } }, { id: { S: 'p2' } }, { id: { S: 'p3' } }, { id: { S: 'p4' } }] }, Authors: { keys: [{ id: { S: 'a' } }] } } });
    expect(outcome).toEqual({
      result: {
        data: { Posts: [{ id: 'p1', n: 1 }, null, { id: 'p3', n: 3 }, null], Authors: [null] },
        unprocessedKeys: { Posts: [{ id: 'p2' }], Authors: [] },
      },
    });
  });

  it('BatchGetItem asks for key attributes a projection leaves out', async () => {
    const { ctx, sent } = contextAnswering({ Responses: { Posts: [] } });
    await batchGetItem(ctx, { tables: { Posts: { keys: [{ id: { S: 'p1' } }], projection: { expression: 'title, #b.c', expressionNames: { '#b': 'body' } } } } });
    expect(sent).toEqual([
      { RequestItems: { Posts: { Keys: [{ id: { S: 'p1' } }], ConsistentRead: false, ProjectionExpression: 'title, #b.c, #appsyncLocalKey0', ExpressionAttributeNames: { '#b': 'body', '#appsyncLocalKey0': 'id' } } } },
    ]);
  });

  it('BatchPutItem and BatchDeleteItem: unprocessed entries are null in data and listed', async () => {
    const put = contextAnswering({ UnprocessedItems: { Posts: [{ PutRequest: { Item: { id: { S: 'b' }, v: { N: '2' } } } }] } });
    expect(await batchPutItem(put.ctx, { tables: { Posts: [{ id: { S: 'a' }, v: { N: 1 } }, { id: { S: 'b' }, v: { N: 2 } }] } })).toEqual({
      result: { data: { Posts: [{ id: 'a', v: 1 }, null] }, unprocessedItems: { Posts: [{ id: 'b', v: 2 }] } },
    });
    const del = contextAnswering({ UnprocessedItems: { Posts: [{ DeleteRequest: { Key: { id: { S: 'a' } } } }] } });
    expect(await batchDeleteItem(del.ctx, { tables: { Posts: [{ id: { S: 'a' } }, { id: { S: 'b' } }] } })).toEqual({
      result: { data: { Posts: [null, { id: 'b' }] }, unprocessedKeys: { Posts: [{ id: 'a' }] } },
    });
  });
});
