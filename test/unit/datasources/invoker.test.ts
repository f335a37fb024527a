import { describe, expect, it } from 'vitest';
import type { GraphqlApiModel } from '../../../local/assembly/model.ts';
import { createDataSourceInvoker, SUPPORTED_DATA_SOURCE_TYPES } from '../../../local/appsync/datasources/index.ts';
import type { DataSourceCall } from '../../../local/appsync/datasources/types.ts';
import type { DynamoDbWire } from '../../../local/dynamodb/wire-client.ts';

const api = (dataSources: GraphqlApiModel['dataSources']): GraphqlApiModel => ({
  stackName: 'S',
  logicalId: 'Api',
  name: 'PricestreamApi',
  apiId: 'x',
  graphqlUrl: '',
  realtimeUrl: '',
  defaultAuth: { type: 'API_KEY' },
  additionalAuth: [],
  schema: 'type Query { a: String }',
  apiKeys: [],
  dataSources,
  functions: new Map(),
  resolvers: [],
  environmentVariables: {},
});

const call = (dataSourceName: string, request: unknown): DataSourceCall => ({ dataSourceName, request, direct: false, field: 'Mutation.publishPriceUpdate', maxBatchSize: 0, arguments: {}, identity: null, deadline: Date.now() + 30_000 });

// The DynamoDB client is never reached by these data sources.
const unusedClient = {} as DynamoDbWire;
const lambda = async () => ({ ok: true as const, payload: 'from lambda' });

describe('createDataSourceInvoker', () => {
  const invoke = createDataSourceInvoker({
    api: api(
      new Map([
        ['Publish', { name: 'Publish', type: 'NONE' }],
        ['Search', { name: 'Search', type: 'AMAZON_OPENSEARCH_SERVICE' }],
        ['Fn', { name: 'Fn', type: 'AWS_LAMBDA', lambda: { functionArn: 'arn:aws:lambda:us-east-1:1:function:f' } }],
        ['Broken', { name: 'Broken', type: 'AMAZON_DYNAMODB' }],
      ]),
    ),
    dynamodb: unusedClient,
    lambda,
    log: () => {},
  });

  it('NONE: the payload is the result', async () => {
    expect(await invoke(call('Publish', { payload: { marketId: 'm1', version: 3 } }))).toEqual({ result: { marketId: 'm1', version: 3 } });
  });

  it('NONE: an absent payload (or request) gives null (UNVERIFIED)', async () => {
    expect(await invoke(call('Publish', {}))).toEqual({ result: null });
    expect(await invoke(call('Publish', null))).toEqual({ result: null });
  });

  it('AWS_LAMBDA goes to the Lambda data source', async () => {
    expect(await invoke(call('Fn', { operation: 'Invoke' }))).toEqual({ result: 'from lambda' });
  });

  it('another type is an error naming it and what the runtime runs', async () => {
    expect(await invoke(call('Search', {}))).toEqual({
      error: { type: 'LocalRuntime:UnsupportedDataSource', message: 'data source Search is of type AMAZON_OPENSEARCH_SERVICE, which the local runtime does not run (it runs NONE, AMAZON_DYNAMODB, AWS_LAMBDA)' },
    });
    expect((await invoke(call('Broken', {}))).error?.message).toBe('data source Broken has no DynamoDBConfig, which the local runtime does not run (it runs NONE, AMAZON_DYNAMODB, AWS_LAMBDA)');
    expect([...SUPPORTED_DATA_SOURCE_TYPES]).toEqual(['NONE', 'AMAZON_DYNAMODB', 'AWS_LAMBDA']);
  });

  it('an unknown data source name is an error naming the API', async () => {
    expect(await invoke(call('Nope', {}))).toEqual({ error: { type: 'MappingTemplate', message: 'data source Nope is not defined in API PricestreamApi' } });
  });
});
