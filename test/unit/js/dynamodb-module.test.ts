// `@aws-appsync/utils/dynamodb` (D-MOD, docs/reference/appsync-js-runtime.md §5). AWS-verified outputs are in the
// conformance test; these cover every helper.
import { describe, expect, it } from 'vitest';
import { run, value } from './helpers.ts';

describe('@aws-appsync/utils/dynamodb request builders', () => {
  // UNVERIFIED: how projections, conditions, filters and key conditions are rendered (docs/reference/appsync-js-runtime.md §5.3).
  it('get: key, consistentRead and a projection with one alias per path segment', () => {
    expect(value('ddb.get({ key: { id: "a", sk: 2 }, consistentRead: true, projection: ["id", "nested.field", "nested.other", "list[1]"] })')).toEqual({
      operation: 'GetItem',
      key: { id: { S: 'a' }, sk: { N: 2 } },
      consistentRead: true,
      projection: { expression: '#expName_1, #expName_2.#expName_3, #expName_2.#expName_4, #expName_5', expressionNames: { '#expName_1': 'id', '#expName_2': 'nested', '#expName_3': 'field', '#expName_4': 'other', '#expName_5': 'list[1]' } },
    });
  });

  it('put and remove render a condition object with the #f / :f_op scheme; no expressionValues when none are bound', () => {
    expect(value('ddb.put({ key: { id: "a" }, item: { name: "n" }, condition: { id: { attributeExists: false } }, _version: 3 })')).toEqual({
      operation: 'PutItem',
      key: { id: { S: 'a' } },
      attributeValues: { name: { S: 'n' } },
      condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } },
      _version: 3,
    });
    expect(value('ddb.remove({ key: { id: "a" }, condition: { version: { eq: 2 } } })')).toEqual({
      operation: 'DeleteItem',
      key: { id: { S: 'a' } },
      condition: { expression: '(#version = :version_eq)', expressionNames: { '#version': 'version' }, expressionValues: { ':version_eq': { N: 2 } } },
    });
  });

  it('refuses a condition that is not a filter object, as AWS does for a raw {expression} (FB)', () => {
    expect(run('ddb.update({ key: { id: "a" }, update: { n: 1 }, condition: { expression: "attribute_exists(id)" } })').error?.message).toMatch(
      /dynamodb\.update: condition must be a filter object .* \(a raw \{expression\} is not accepted by the helper/,
    );
  });

  // UNVERIFIED beyond the AWS-verified add/append/null cases: REMOVE, updateListItem, increment's default.
  it('update: every operation, SET list then REMOVE list, names per attribute, values per value', () => {
    const request = value(
      'ddb.update({ key: { id: "a" }, update: { name: "n", gone: ddb.operations.remove(), count: ddb.operations.increment(), stock: ddb.operations.decrement(5), tags: ddb.operations.prepend(["x"]), slots: ddb.operations.updateListItem("y", 2), whole: ddb.operations.replace({ a: 1 }), nothing: null, also: ddb.operations.remove() } })',
    ) as { update: unknown };
    expect(request.update).toEqual({
      expression:
        'SET #expName_1 = :expValue_1, #expName_2 = #expName_2 + :expValue_2, #expName_3 = #expName_3 - :expValue_3, #expName_4 = list_append(:expValue_4, #expName_4), #expName_5[2] = :expValue_5, #expName_6 = :expValue_6, #expName_7 = :expValue_7 REMOVE #expName_8, #expName_9',
      expressionNames: { '#expName_1': 'name', '#expName_2': 'count', '#expName_3': 'stock', '#expName_4': 'tags', '#expName_5': 'slots', '#expName_6': 'whole', '#expName_7': 'nothing', '#expName_8': 'gone', '#expName_9': 'also' },
      expressionValues: {
        ':expValue_1': { S: 'n' },
        ':expValue_2': { N: 1 },
        ':expValue_3': { N: 5 },
        ':expValue_4': { L: [{ S: 'x' }] },
        ':expValue_5': { S: 'y' },
        ':expValue_6': { M: { a: { N: 1 } } },
        ':expValue_7': { NULL: null },
      },
    });
  });

  it('query: the key condition, filter, index, paging and projection options', () => {
    expect(
      value('ddb.query({ query: { marketId: { eq: "m1" }, sk: { ge: "2024" } }, filter: { status: { ne: "CLOSED" } }, index: "byEvent", limit: 10, nextToken: "t", scanIndexForward: false, consistentRead: true, select: "ALL_ATTRIBUTES" })'),
    ).toEqual({
      operation: 'Query',
      query: { expression: '(#marketId = :marketId_eq) AND (#sk >= :sk_ge)', expressionNames: { '#marketId': 'marketId', '#sk': 'sk' }, expressionValues: { ':marketId_eq': { S: 'm1' }, ':sk_ge': { S: '2024' } } },
      index: 'byEvent',
      limit: 10,
      nextToken: 't',
      consistentRead: true,
      scanIndexForward: false,
      select: 'ALL_ATTRIBUTES',
      filter: { expression: '(#status <> :status_ne)', expressionNames: { '#status': 'status' }, expressionValues: { ':status_ne': { S: 'CLOSED' } } },
    });
    expect(run('ddb.query({ index: "x" })').error?.message).toMatch(/dynamodb\.query: "query" must be a key condition/);
  });

  it('scan and sync', () => {
    expect(value('ddb.scan({ segment: 1, totalSegments: 4, filter: { a: { beginsWith: "x" } } })')).toEqual({
      operation: 'Scan',
      segment: 1,
      totalSegments: 4,
      filter: { expression: '(begins_with(#a,:a_beginsWith))', expressionNames: { '#a': 'a' }, expressionValues: { ':a_beginsWith': { S: 'x' } } },
    });
    expect(value('ddb.scan()')).toEqual({ operation: 'Scan' });
    expect(value('ddb.sync({ basePartitionKey: "base", deltaIndexName: "delta", limit: 100, lastSync: 1700000000000 })')).toEqual({
      operation: 'Sync',
      basePartitionKey: 'base',
      deltaIndexName: 'delta',
      limit: 100,
      lastSync: 1700000000000,
    });
  });

  it('batchGet, batchPut and batchDelete, per table', () => {
    expect(value('ddb.batchGet({ tables: { T: { keys: [{ id: "a" }, { id: "b" }], consistentRead: true, projection: ["id"] } } })')).toEqual({
      operation: 'BatchGetItem',
      tables: { T: { keys: [{ id: { S: 'a' } }, { id: { S: 'b' } }], consistentRead: true, projection: { expression: '#expName_1', expressionNames: { '#expName_1': 'id' } } } },
    });
    expect(value('ddb.batchPut({ tables: { T: [{ id: "a", n: 1 }] } })')).toEqual({ operation: 'BatchPutItem', tables: { T: [{ id: { S: 'a' }, n: { N: 1 } }] } });
    expect(value('ddb.batchDelete({ tables: { T: [{ id: "a" }] } })')).toEqual({ operation: 'BatchDeleteItem', tables: { T: [{ id: { S: 'a' } }] } });
  });

  it('transactGet and transactWrite', () => {
    expect(value('ddb.transactGet({ items: [{ table: "T", key: { id: "a" }, projection: ["x"] }] })')).toEqual({
      operation: 'TransactGetItems',
      transactItems: [{ table: 'T', key: { id: { S: 'a' } }, projection: { expression: '#expName_1', expressionNames: { '#expName_1': 'x' } } }],
    });
    const write = value(
      'ddb.transactWrite({ items: [{ putItem: { table: "T", key: { id: "a" }, item: { n: 1 }, condition: { id: { attributeExists: false } } } }, { updateItem: { table: "T", key: { id: "b" }, update: { n: ddb.operations.increment(1) } } }, { deleteItem: { table: "T", key: { id: "c" } } }, { conditionCheck: { table: "T", key: { id: "d" }, condition: { v: { eq: 1 } } } }] })',
    ) as { transactItems: { operation: string }[] };
    expect(write.transactItems.map((i) => i.operation)).toEqual(['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheck']);
    expect(write.transactItems[1]).toEqual({
      table: 'T',
      operation: 'UpdateItem',
      key: { id: { S: 'b' } },
      update: { expression: 'SET #expName_1 = #expName_1 + :expValue_1', expressionNames: { '#expName_1': 'n' }, expressionValues: { ':expValue_1': { N: 1 } } },
    });
    expect(run('ddb.transactWrite({ items: [{ other: {} }] })').error?.message).toMatch(/each item needs one of putItem, updateItem, deleteItem or conditionCheck, not other/);
  });

  it('toStringSet, toNumberSet and toBinarySet, and the operation markers', () => {
    expect(value('[ddb.toStringSet(["a"]), ddb.toNumberSet([1, 2.5]), ddb.toBinarySet(["Zm9v"])]')).toEqual([{ SS: ['a'] }, { NS: [1, 2.5] }, { BS: ['Zm9v'] }]);
    expect(value('[ddb.operations.remove(), ddb.operations.updateListItem("v", 3)]')).toEqual([{ type: 'OPERATION_REMOVE' }, { type: 'OPERATION_UPDATE_LIST_ITEM', value: 'v', index: 3 }]);
  });

  it('refuses a missing key, naming the helper', () => {
    expect(run('ddb.get({})').error?.message).toMatch(/dynamodb\.get: key must be an object, not undefined/);
  });
});
