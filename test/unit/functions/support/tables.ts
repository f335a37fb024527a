import { CreateTableCommand, DynamoDBClient, ScanCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDbLocal } from '../../../../local/dynamodb/server.ts';
import { leaseDynamoDbLocal } from '../../../support/dynamodb-pool.ts';

export interface PricestreamTables {
  events: string;
  markets: string;
  prices: string;
  jobs: string;
  feedMessages: string;
  publications: string;
}

const S = 'S' as const;

/** The tables of docs/data-model.md (keys, GSIs, streams), named with a prefix so that tests do not share them. */
export async function createTables(client: DynamoDBClient, prefix: string): Promise<PricestreamTables> {
  const tables: PricestreamTables = {
    events: `${prefix}-Events`,
    markets: `${prefix}-Markets`,
    prices: `${prefix}-Prices`,
    jobs: `${prefix}-Jobs`,
    feedMessages: `${prefix}-FeedMessages`,
    publications: `${prefix}-Publications`,
  };
  const definitions: CreateTableCommandInput[] = [
    {
      TableName: tables.events,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: S }, { AttributeName: 'sport', AttributeType: S }, { AttributeName: 'startTime', AttributeType: S }],
      GlobalSecondaryIndexes: [{ IndexName: 'bySport', KeySchema: [{ AttributeName: 'sport', KeyType: 'HASH' }, { AttributeName: 'startTime', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    },
    {
      TableName: tables.markets,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: S }, { AttributeName: 'eventId', AttributeType: S }, { AttributeName: 'name', AttributeType: S }],
      GlobalSecondaryIndexes: [{ IndexName: 'byEvent', KeySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }, { AttributeName: 'name', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
    {
      TableName: tables.prices,
      KeySchema: [{ AttributeName: 'marketId', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'marketId', AttributeType: S }, { AttributeName: 'sk', AttributeType: S }],
    },
    {
      TableName: tables.jobs,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: S }, { AttributeName: 'owner', AttributeType: S }, { AttributeName: 'createdAt', AttributeType: S }],
      GlobalSecondaryIndexes: [{ IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
    {
      TableName: tables.feedMessages,
      KeySchema: [{ AttributeName: 'feedId', KeyType: 'HASH' }, { AttributeName: 'sequence', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'feedId', AttributeType: S }, { AttributeName: 'sequence', AttributeType: 'N' }],
    },
    {
      TableName: tables.publications,
      KeySchema: [{ AttributeName: 'marketId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'marketId', AttributeType: S }],
    },
  ];
  await Promise.all(definitions.map((d) => client.send(new CreateTableCommand({ ...d, BillingMode: 'PAY_PER_REQUEST' }))));
  return tables;
}

/** Every item of a table, unmarshalled. */
export async function scanAll(client: DynamoDBClient, tableName: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export interface LocalDynamo {
  server: DynamoDbLocal;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

export const TEST_REGION = 'eu-west-2';
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTESTFUNCTIONS', secretAccessKey: 'test-secret' };

/** DynamoDB Local in memory, from the run's pool, with a client for the test's own reads. */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = await leaseDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: server.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  return {
    server,
    client,
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}

/**
 * The environment the local Lambda runtime gives a function: region, the execution role's
 * keys, and AWS_ENDPOINT_URL_DYNAMODB — the only thing that points the handlers' SDK
 * client at DynamoDB Local.
 */
export function setLambdaEnvironment(endpoint: string, tables: PricestreamTables, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    EVENTS_TABLE: tables.events,
    MARKETS_TABLE: tables.markets,
    PRICES_TABLE: tables.prices,
    JOBS_TABLE: tables.jobs,
    FEED_MESSAGES_TABLE: tables.feedMessages,
    PUBLICATIONS_TABLE: tables.publications,
    ...extra,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
