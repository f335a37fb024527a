import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LambdaInvoker } from '../../../local/appsync/datasources/types.ts';
import { awsMessage, harness, table, type Harness } from './datasource-support.ts';
import { useDynamoDbLocal } from './ddb-local.ts';

const ddb = useDynamoDbLocal();
let h: Harness;
let conflictAnswer: unknown = { action: 'reject' };
const conflictLambda: LambdaInvoker = async (name) =>
  name.endsWith(':failing') ? { ok: false, errorType: 'Error', errorMessage: 'handler broke' } : { ok: true, payload: structuredClone(conflictAnswer) };

beforeAll(async () => {
  h = await harness(ddb, [table('People'), table('Binary', { attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }] })], conflictLambda);
});

const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: n });
const stored = async (id: string) => (await ddb.client.send(new GetItemCommand({ TableName: 'People', Key: { id: { S: id } }, ConsistentRead: true }))).Item;
const seed = (item: Record<string, unknown>) => ddb.client.send(new PutItemCommand({ TableName: 'People', Item: item as never }));

describe('typed values', () => {
  it('writes every type and reads it back as plain JSON (docs/reference/appsync-js-runtime.md §6.1)', async () => {
    const attributeValues = {
      s: S('text'),
      n: N(12.5),
      bin: { B: 'aGVs\nbG8=' }, // RFC 2045: characters outside the alphabet are ignored
      ss: { SS: ['a', 'b'] },
      ns: { NS: [1, 2.5] },
      bs: { BS: ['AQI=', 'AwQ='] },
      yes: { BOOL: true },
      nothing: { NULL: true },
      nothingToo: { NULL: null },
      list: { L: [S('x'), N(1), { M: { deep: { BOOL: false } } }] },
      map: { M: { a: S('b'), n: { NS: [3] } } },
    };
    const put = await h.run('People', { operation: 'PutItem', key: { id: S('types') }, attributeValues });
    const plain = {
      id: 'types',
      s: 'text',
      n: 12.5,
      bin: 'aGVsbG8=',
      ss: ['a', 'b'],
      ns: [1, 2.5],
      bs: ['AQI=', 'AwQ='],
      yes: true,
      nothing: null,
      nothingToo: null,
      list: ['x', 1, { deep: false }],
      map: { a: 'b', n: [3] },
    };
    expect(put).toEqual({ result: plain });
    expect((await stored('types'))?.bin).toEqual({ B: new Uint8Array(Buffer.from('hello')) });
    expect(await h.run('People', { operation: 'GetItem', key: { id: S('types') } })).toEqual({ result: plain });
  });

  it('uses binary keys', async () => {
    expect(await h.run('Binary', { operation: 'PutItem', key: { id: { B: 'AAE=' } }, attributeValues: { v: N(1) } })).toEqual({ result: { id: 'AAE=', v: 1 } });
    expect(await h.run('Binary', { operation: 'GetItem', key: { id: { B: 'AAE=' } } })).toEqual({ result: { id: 'AAE=', v: 1 } });
  });

  // UNVERIFIED: AppSync's wording of these errors; the rules (one key, N a JSON number) are documented.
  it.each([
    ['two keys in one typed value', { id: { S: 'a', N: 1 } }, /\$\.key\.id must be a typed value with exactly one key of .*; got keys \[S, N\]/],
    ['an N that is a string', { id: { N: '5' } }, /\$\.key\.id\.N must be a JSON number, e.g\. \{"N": 12\.5\}; got "5"/],
    ['an unknown type', { id: { X: 'a' } }, /exactly one key/],
    ['a plain value', { id: 'abc' }, /\$\.key\.id must be a typed value such as/],
    ['NULL false', { id: { NULL: false } }, /\$\.key\.id\.NULL must be null or true; got false/],
    ['an NS with a string', { id: { NS: [1, 'x'] } }, /\$\.key\.id\.NS\[1\] must be a JSON number/],
  ])('refuses %s as a MappingTemplate error', async (_, key, message) => {
    const outcome = await h.run('People', { operation: 'GetItem', key });
    expect(outcome.result).toBeUndefined();
    expect(outcome.error?.type).toBe('MappingTemplate');
    expect(outcome.error?.message).toMatch(message);
  });
});

// UNVERIFIED for the JS runtime: the MappingTemplate type and `Value for field '$[x]' not found.` wording (documented for VTL).
describe('request validation', () => {
  it.each([
    ['no operation', { key: { id: S('a') } }, "Value for field '$[operation]' not found."],
    ['no key', { operation: 'GetItem' }, "Value for field '$[key]' not found."],
    ['an UpdateItem without update', { operation: 'UpdateItem', key: { id: S('a') } }, "Value for field '$[update]' not found."],
    ['an update without expression', { operation: 'UpdateItem', key: { id: S('a') }, update: {} }, "Value for field '$[update.expression]' not found."],
    ['a Query without query', { operation: 'Query' }, "Value for field '$[query]' not found."],
  ])('reports %s', async (_, request, message) => {
    expect(await h.run('People', request)).toEqual({ error: { type: 'MappingTemplate', message } });
  });

  it('names the operations it runs when given another', async () => {
    const outcome = await h.run('People', { operation: 'PutItems', key: { id: S('a') } });
    expect(outcome.error).toEqual({
      type: 'MappingTemplate',
      message: 'Unsupported DynamoDB operation "PutItems"; the DynamoDB data source runs GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, Sync, BatchGetItem, BatchPutItem, BatchDeleteItem, TransactGetItems, TransactWriteItems',
    });
  });

  it('refuses a request that is not an object, and non-boolean flags', async () => {
    expect((await h.run('People', 'GetItem')).error?.message).toBe('the request must be an object; got "GetItem"');
    expect((await h.run('People', { operation: 'GetItem', key: { id: S('a') }, consistentRead: 'yes' })).error?.message).toBe('consistentRead must be true or false; got "yes"');
  });

  it('refuses conflict-detection fields, which need versioned data sources', async () => {
    const outcome = await h.run('People', { operation: 'PutItem', key: { id: S('v') }, _version: 1 });
    expect(outcome.error).toEqual({ type: 'LocalRuntime:Unsupported', message: 'PutItem: _version belongs to conflict detection on versioned data sources, which the local runtime does not run' });
    expect(await stored('v')).toBeUndefined();
  });

  it('reports DynamoDB errors as DynamoDB:<Exception> with the AWS SDK message suffix', async () => {
    const outcome = await h.run('People', { operation: 'GetItem', key: { id: N(1) } });
    expect(outcome.error?.type).toBe('DynamoDB:ValidationException');
    expect(outcome.error?.message).toMatch(/^One or more parameter values were invalid: Type mismatch for key \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: \S+\)$/);
  });

  it('gives up at the deadline with ExecutionTimeout', async () => {
    expect(await h.run('People', { operation: 'GetItem', key: { id: S('a') } }, { deadline: Date.now() - 1 })).toEqual({ error: { type: 'ExecutionTimeout', message: 'Execution timed out.' } });
  });
});

describe('GetItem, PutItem, UpdateItem, DeleteItem', () => {
  it('GetItem returns null for a missing item and honours a projection', async () => {
    expect(await h.run('People', { operation: 'GetItem', key: { id: S('nobody') } })).toEqual({ result: null });
    await seed({ id: S('proj'), name: S('Pat'), author: S('A'), version: { N: '3' } });
    const projected = await h.run('People', { operation: 'GetItem', key: { id: S('proj') }, consistentRead: true, projection: { expression: '#author, id', expressionNames: { '#author': 'author' } } });
    expect(projected).toEqual({ result: { id: 'proj', author: 'A' } });
  });

  it('UpdateItem returns the whole item after the update (UNVERIFIED: ALL_NEW); DeleteItem the deleted item, or null', async () => {
    await seed({ id: S('upd'), name: S('Old'), version: { N: '1' } });
    const updated = await h.run('People', {
      operation: 'UpdateItem',
      key: { id: S('upd') },
      update: { expression: 'SET #n = :n ADD version :one', expressionNames: { '#n': 'name' }, expressionValues: { ':n': S('New'), ':one': N(1) } },
    });
    expect(updated).toEqual({ result: { id: 'upd', name: 'New', version: 2 } });
    expect(await h.run('People', { operation: 'DeleteItem', key: { id: S('upd') } })).toEqual({ result: { id: 'upd', name: 'New', version: 2 } });
    expect(await h.run('People', { operation: 'DeleteItem', key: { id: S('upd') } })).toEqual({ result: null });
  });

  it('PutItem: the key wins over attributeValues', async () => {
    expect(await h.run('People', { operation: 'PutItem', key: { id: S('k') }, attributeValues: { id: S('other'), name: S('K') } })).toEqual({ result: { id: 'k', name: 'K' } });
  });

  it('accepts a condition as an object or as a JSON string (UNVERIFIED lenient choice)', async () => {
    const asString = JSON.stringify({ expression: 'attribute_not_exists(id)' });
    expect(await h.run('People', { operation: 'PutItem', key: { id: S('cond') }, attributeValues: { name: S('One') }, condition: asString })).toEqual({ result: { id: 'cond', name: 'One' } });
    const again = await h.run('People', { operation: 'PutItem', key: { id: S('cond') }, attributeValues: { name: S('Two') }, condition: { expression: 'attribute_not_exists(id)' } });
    expect(again.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect((await h.run('People', { operation: 'PutItem', key: { id: S('x') }, condition: '{not json' })).error).toEqual({ type: 'MappingTemplate', message: 'condition is a string that is not JSON: "{not json"' });
  });
});

describe('a failed condition (docs/reference/appsync-js-runtime.md §6.3)', () => {
  const versioned = (id: string, version: number, name = 'Steve') => seed({ id: S(id), name: S(name), version: { N: String(version) } });
  const expectVersion = (v: number) => ({ expression: 'version = :expected', expressionValues: { ':expected': N(v) } });

  it('Reject: the ConditionalCheckFailedException error, with the current item as the result', async () => {
    await versioned('rej', 8);
    const outcome = await h.run('People', { operation: 'UpdateItem', key: { id: S('rej') }, update: { expression: 'SET version = :v', expressionValues: { ':v': N(2) } }, condition: expectVersion(1) });
    expect(outcome.result).toEqual({ id: 'rej', name: 'Steve', version: 8 });
    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(outcome.error?.message).toMatch(awsMessage('The conditional request failed', 'ConditionalCheckFailedException'));
    expect((await stored('rej'))?.version).toEqual({ N: '8' });
  });

  it('Reject on a missing item gives a null result', async () => {
    const outcome = await h.run('People', { operation: 'UpdateItem', key: { id: S('ghost') }, update: { expression: 'SET version = :v', expressionValues: { ':v': N(2) } }, condition: { expression: 'attribute_exists(id)' } });
    expect(outcome).toEqual({ result: null, error: expect.objectContaining({ type: 'DynamoDB:ConditionalCheckFailedException' }) });
  });

  it('PutItem whose desired result is already there (ignoring equalsIgnore) succeeds with the current item', async () => {
    await versioned('same', 8);
    const request = { operation: 'PutItem', key: { id: S('same') }, attributeValues: { name: S('Steve'), version: N(2) }, condition: { ...expectVersion(1), equalsIgnore: ['version'] } };
    expect(await h.run('People', request)).toEqual({ result: { id: 'same', name: 'Steve', version: 8 } });
    // Without equalsIgnore the items differ (version), so it is rejected.
    const strict = await h.run('People', { ...request, condition: expectVersion(1) });
    expect(strict.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    // A different name is a real difference even with equalsIgnore.
    const different = await h.run('People', { ...request, attributeValues: { name: S('Bob'), version: N(2) } });
    expect(different.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(different.result).toEqual({ id: 'same', name: 'Steve', version: 8 });
  });

  it('DeleteItem of an item that is already gone succeeds with null', async () => {
    expect(await h.run('People', { operation: 'DeleteItem', key: { id: S('gone') }, condition: { expression: 'attribute_exists(id)' } })).toEqual({ result: null });
  });

  it('UpdateItem is never treated as a success, even when the item already looks right', async () => {
    await versioned('updsame', 2);
    const outcome = await h.run('People', { operation: 'UpdateItem', key: { id: S('updsame') }, update: { expression: 'SET version = :v', expressionValues: { ':v': N(2) } }, condition: expectVersion(1) });
    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
  });

  describe('Custom strategy', () => {
    const custom = (lambdaArn = 'arn:aws:lambda:eu-west-1:123456789012:function:conflicts') => ({ strategy: 'Custom', lambdaArn });
    const putRequest = (id: string, version: number, handler = custom()) => ({
      operation: 'PutItem',
      key: { id: S(id) },
      attributeValues: { name: S('Steve'), version: N(version + 1) },
      condition: { ...expectVersion(version), conditionalCheckFailedHandler: handler },
    });
    const callAs = { field: 'Mutation.updatePerson', arguments: { id: '1', name: 'Steve', expectedVersion: 1 }, identity: { username: 'jeff' } };

    it('invokes the Lambda with the documented event, and rejects when it says reject', async () => {
      await versioned('cust', 8, 'Stephen');
      conflictAnswer = { action: 'reject' };
      h.lambdaCalls.length = 0;
      const request = putRequest('cust', 1);
      const outcome = await h.run('People', request, callAs);
      expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
      expect(outcome.result).toEqual({ id: 'cust', name: 'Stephen', version: 8 });
      expect(h.lambdaCalls).toEqual([
        {
          name: 'arn:aws:lambda:eu-west-1:123456789012:function:conflicts',
          event: {
            arguments: callAs.arguments,
            requestMapping: request,
            currentValue: { id: { S: 'cust' }, name: { S: 'Stephen' }, version: { N: 8 } },
            resolver: { tableName: 'People', awsRegion: 'eu-west-1', parentType: 'Mutation', field: 'updatePerson', outputType: 'Person' },
            identity: { username: 'jeff' },
          },
        },
      ]);
    });

    it('discard: succeeds silently with the current item', async () => {
      await versioned('disc', 8, 'Stephen');
      conflictAnswer = { action: 'discard' };
      expect(await h.run('People', putRequest('disc', 1), callAs)).toEqual({ result: { id: 'disc', name: 'Stephen', version: 8 } });
      expect((await stored('disc'))?.name).toEqual({ S: 'Stephen' });
    });

    it('retry: runs the write again with the retry mapping (UNVERIFIED: its condition merged over the original)', async () => {
      await versioned('retry', 8, 'Stephen');
      conflictAnswer = { action: 'retry', retryMapping: { attributeValues: { name: S('Steve'), version: N(9) }, condition: expectVersion(8) } };
      expect(await h.run('People', putRequest('retry', 1), callAs)).toEqual({ result: { id: 'retry', name: 'Steve', version: 9 } });
      expect((await stored('retry'))?.version).toEqual({ N: '9' });
    });

    it('a retry that fails again is rejected without asking the Lambda twice', async () => {
      await versioned('retry2', 8, 'Stephen');
      conflictAnswer = { action: 'retry', retryMapping: { attributeValues: { name: S('Steve'), version: N(9) }, condition: expectVersion(7) } };
      h.lambdaCalls.length = 0;
      const outcome = await h.run('People', putRequest('retry2', 1), callAs);
      expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
      expect(outcome.result).toEqual({ id: 'retry2', name: 'Stephen', version: 8 });
      expect(h.lambdaCalls).toHaveLength(1);
    });

    it('reports a handler that fails or answers nonsense', async () => {
      await versioned('bad', 8);
      const failing = await h.run('People', putRequest('bad', 1, custom('arn:aws:lambda:eu-west-1:123456789012:function:failing')), callAs);
      expect(failing).toEqual({ error: { type: 'Lambda:Unhandled', message: 'conflict handler arn:aws:lambda:eu-west-1:123456789012:function:failing failed: handler broke' } });
      conflictAnswer = { action: 'maybe' };
      const nonsense = await h.run('People', putRequest('bad', 1), callAs);
      expect(nonsense.error?.type).toBe('MappingTemplate');
      expect(nonsense.error?.message).toMatch(/must answer \{"action": "reject" \| "discard" \| "retry"\}; it answered \{"action":"maybe"\}/);
    });

    it('needs a lambdaArn and a known strategy', async () => {
      const noArn = await h.run('People', { ...putRequest('x', 1), condition: { expression: 'attribute_exists(id)', conditionalCheckFailedHandler: { strategy: 'Custom' } } });
      expect(noArn.error).toEqual({ type: 'MappingTemplate', message: "Value for field '$[condition.conditionalCheckFailedHandler.lambdaArn]' not found." });
      const odd = await h.run('People', { ...putRequest('x', 1), condition: { expression: 'attribute_exists(id)', conditionalCheckFailedHandler: { strategy: 'Ignore' } } });
      expect(odd.error?.message).toBe('condition.conditionalCheckFailedHandler.strategy must be Reject or Custom; got "Ignore"');
    });
  });
});
