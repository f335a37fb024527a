import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../../local/dynamodb/server.ts';
import { leaseDynamoDbLocal } from '../../support/dynamodb-pool.ts';
import { startLambdaService } from '../../../local/lambda/index.ts';
import type { LambdaService } from '../../../local/lambda/types.ts';
import { ACCOUNT, fixtureDir, lambdaFunction, REGION } from '../../unit/lambda/fixtures.ts';

let dynamo: DynamoDbLocal;
let lambda: LambdaService;

beforeAll(async () => {
  dynamo = await leaseDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(
    new CreateTableCommand({ TableName: 'Notes', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  client.destroy();
  lambda = startLambdaService({
    functions: [lambdaFunction('notes', { codeDir: fixtureDir('ddb'), environment: { TABLE_NAME: 'Notes' }, roleArn: `arn:aws:iam::${ACCOUNT}:role/NotesRole`, timeoutSeconds: 10 })],
    region: REGION,
    accountId: ACCOUNT,
    credentialsFor: () => ({ accessKeyId: 'AKIANOTES', secretAccessKey: 'notes-secret' }),
    endpoints: { DYNAMODB: dynamo.endpoint },
    log: () => {},
  });
});
afterAll(async () => {
  await lambda?.stop();
  await dynamo?.stop();
});

describe('a handler using the AWS SDK unchanged', () => {
  it('reaches DynamoDB Local through AWS_ENDPOINT_URL_DYNAMODB with the role’s key and the region', async () => {
    const result = await lambda.invoke('notes', { id: 'n1', note: 'hello' }, { invocationType: 'RequestResponse' });
    expect(result).toEqual({ ok: true, payload: { stored: { id: { S: 'n1' }, note: { S: 'hello' } }, region: REGION } });
  });
});
