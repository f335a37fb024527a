// The test run's pool of DynamoDB Local JVMs (test/support/dynamodb-pool.ts): a private pool
// here, so that the run's other files, leasing from the shared one, cannot change what is seen.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseDynamoDbLocal, startDynamoDbPool } from '../../support/dynamodb-pool.ts';
import { isAlive } from '../../support/process-alive.ts';
import { clientFor, eventually } from './ddb-local.ts';

let pool: Awaited<ReturnType<typeof startDynamoDbPool>>;
beforeAll(async () => {
  pool = await startDynamoDbPool({ warm: 0, log: () => {} });
});
afterAll(() => pool?.stop());

const tableNames = async (endpoint: string) => {
  const client = clientFor(endpoint);
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames;
  } finally {
    client.destroy();
  }
};

describe('the DynamoDB Local pool', () => {
  it('lends a JVM to one holder at a time and lends it again empty once it is given back', async () => {
    const first = await leaseDynamoDbLocal({}, pool.url);
    const client = clientFor(first.endpoint);
    await client.send(new CreateTableCommand({ TableName: 'Left', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await client.send(new PutItemCommand({ TableName: 'Left', Item: { id: { S: 'a' } } }));
    client.destroy();

    // While the first is out, a second holder gets another JVM.
    const second = await leaseDynamoDbLocal({}, pool.url);
    expect(second.pid).not.toBe(first.pid);
    expect(await tableNames(second.endpoint)).toEqual([]);

    await first.stop();
    await first.stop();
    const third = await leaseDynamoDbLocal({}, pool.url);
    expect(third.pid).toBe(first.pid);
    expect(await tableNames(third.endpoint)).toEqual([]);
    await Promise.all([second.stop(), third.stop()]);
  }, 120_000);

  it('never lends a JVM that died while idle', async () => {
    const first = await leaseDynamoDbLocal({}, pool.url);
    await first.stop();
    process.kill(first.pid, 'SIGKILL');
    await eventually(async () => !isAlive(first.pid), 'the killed JVM to be gone');
    // The pool hears of the exit when the JVM's pipes close, in the same process and moments later.
    await new Promise((resume) => setTimeout(resume, 500));
    const next = await leaseDynamoDbLocal({}, pool.url);
    expect(next.pid).not.toBe(first.pid);
    expect(await tableNames(next.endpoint)).toEqual([]);
    await next.stop();
  }, 120_000);

  it('stops every JVM it started when the pool stops', async () => {
    const own = await startDynamoDbPool({ warm: 1, log: () => {} });
    const lent = await leaseDynamoDbLocal({}, own.url);
    await own.stop();
    expect(isAlive(lent.pid)).toBe(false);
  }, 120_000);

  it('starts a JVM of its own for data on disk, which the pool cannot hold', async () => {
    const own = await leaseDynamoDbLocal({ dataDir: mkdtempSync(join(tmpdir(), 'pool-own-')) }, pool.url);
    const lent = await leaseDynamoDbLocal({}, pool.url);
    try {
      expect(own.pid).not.toBe(lent.pid);
    } finally {
      await Promise.all([own.stop(), lent.stop()]);
    }
    // Its own JVM ends when stopped; the pool's lives on for the next holder.
    await expect(own.exited).resolves.toMatchObject({});
    expect(isAlive(lent.pid)).toBe(true);
  }, 120_000);
});
