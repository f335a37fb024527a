import { createServer, type Socket } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../../local/dynamodb/tables.ts';
import { createDynamoDbWire, DynamoDbServiceError, isServiceError, type DynamoDbWire } from '../../../local/dynamodb/wire-client.ts';
import { useDynamoDbLocal } from './ddb-local.ts';
import { table } from './datasource-support.ts';

/** The data sources' lean DynamoDB client against DynamoDB Local: answers, errors and failures in the AWS SDK's shape. */
describe('DynamoDB wire client', () => {
  const ddb = useDynamoDbLocal();
  let wire: DynamoDbWire;

  beforeAll(async () => {
    await ensureTables(ddb.client, [table('Wire')], () => {});
    wire = createDynamoDbWire({ endpoint: ddb.server.endpoint, region: 'eu-west-1' });
  });
  afterAll(() => wire.destroy());

  it('writes and reads an item, binary attributes as bytes both ways', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await wire.call('PutItem', { TableName: 'Wire', Item: { id: { S: 'b1' }, blob: { B: bytes }, blobs: { BS: [bytes, new Uint8Array([7])] }, n: { N: '1.50' } } });
    const { Item } = await wire.call('GetItem', { TableName: 'Wire', Key: { id: { S: 'b1' } }, ConsistentRead: true });
    expect(Item?.blob?.B).toEqual(bytes);
    expect(Item?.blobs?.BS).toEqual(expect.arrayContaining([bytes, new Uint8Array([7])]));
    expect(Item?.n).toEqual({ N: '1.5' });
    // The SDK sees what the wire client wrote: the bytes went out as DynamoDB's base64.
    const viaSdk = await ddb.client.send(new GetItemCommand({ TableName: 'Wire', Key: { id: { S: 'b1' } } }));
    expect(viaSdk.Item?.blob?.B).toEqual(bytes);
  });

  it('a map attribute named B is not taken for a binary value', async () => {
    await wire.call('PutItem', { TableName: 'Wire', Item: { id: { S: 'm1' }, doc: { M: { B: { S: 'not binary' }, BS: { L: [{ S: 'x' }] } } } } });
    const { Item } = await wire.call('GetItem', { TableName: 'Wire', Key: { id: { S: 'm1' } }, ConsistentRead: true });
    expect(Item?.doc).toEqual({ M: { B: { S: 'not binary' }, BS: { L: [{ S: 'x' }] } } });
  });

  it('a failed condition is a ConditionalCheckFailedException with the SDK fields', async () => {
    await wire.call('PutItem', { TableName: 'Wire', Item: { id: { S: 'c1' } } });
    const error = await wire
      .call('PutItem', { TableName: 'Wire', Item: { id: { S: 'c1' } }, ConditionExpression: 'attribute_not_exists(id)' })
      .then(() => undefined, (e: unknown) => e);
    expect(isServiceError(error, 'ConditionalCheckFailedException')).toBe(true);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'The conditional request failed' });
    expect((error as DynamoDbServiceError).$metadata.requestId).toMatch(/\S/);
  });

  it('a cancelled transaction carries its CancellationReasons, with the current item', async () => {
    await wire.call('PutItem', { TableName: 'Wire', Item: { id: { S: 't1' }, v: { N: '2' } } });
    const error = await wire
      .call('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'Wire', Item: { id: { S: 't2' } } } },
          { ConditionCheck: { TableName: 'Wire', Key: { id: { S: 't1' } }, ConditionExpression: 'v = :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        ],
      })
      .then(() => undefined, (e: unknown) => e);
    expect(isServiceError(error, 'TransactionCanceledException')).toBe(true);
    expect((error as DynamoDbServiceError).CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed.', Item: { id: { S: 't1' }, v: { N: '2' } } },
    ]);
  });

  it('a malformed request is a ValidationException naming the problem', async () => {
    const error = await wire.call('GetItem', { TableName: 'x', Key: { id: { S: 'a' } } }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DynamoDbServiceError);
    expect(error).toMatchObject({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toMatch(/table/i);
  });

  it('an aborted request rejects at once with an AbortError', async () => {
    const controller = new AbortController();
    const pending = wire.call('GetItem', { TableName: 'Wire', Key: { id: { S: 'b1' } } }, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('nothing listening: the connection error keeps its code, for the data source to call DynamoDB unavailable', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const gone = createDynamoDbWire({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1' });
    await expect(gone.call('GetItem', { TableName: 'Wire', Key: { id: { S: 'a' } } })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    gone.destroy();
  });

  it('a server that accepts but never answers is given up on at the request timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)));
    const stuck = createDynamoDbWire({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', requestTimeoutMs: 200 });
    await expect(stuck.call('GetItem', { TableName: 'Wire', Key: { id: { S: 'a' } } })).rejects.toMatchObject({ code: 'ETIMEDOUT', message: expect.stringContaining('within 200 ms') });
    stuck.destroy();
    sockets.forEach((s) => s.destroy());
    silent.close();
  });
});
