import type { GraphqlApiModel, TableModel } from '../../../local/assembly/model.ts';
import { createDataSourceInvoker } from '../../../local/appsync/datasources/index.ts';
import type { DataSourceCall, DataSourceInvoker, LambdaInvoker } from '../../../local/appsync/datasources/types.ts';
import { ensureTables } from '../../../local/dynamodb/tables.ts';
import { createDynamoDbWire } from '../../../local/dynamodb/wire-client.ts';
import type { useDynamoDbLocal } from './ddb-local.ts';

export const SCHEMA = /* GraphQL */ `
  type Person { id: ID! name: String version: Int }
  type PersonPage { items: [Person] nextToken: String }
  type Query { person(id: ID!): Person  people(nextToken: String): PersonPage  otherPeople(nextToken: String): PersonPage }
  type Mutation { updatePerson(id: ID!, name: String, expectedVersion: Int): Person }
`;

export function table(tableName: string, extra: Partial<TableModel> = {}): TableModel {
  return {
    stackName: 'Test',
    logicalId: tableName,
    tableName,
    keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    ...extra,
  };
}

/** An API whose DynamoDB data source `<table>Source` points at each table, plus NONE and Lambda ones. */
export function apiWith(tables: TableModel[]): GraphqlApiModel {
  const dataSources = new Map<string, GraphqlApiModel['dataSources'] extends Map<string, infer V> ? V : never>();
  for (const t of tables) dataSources.set(`${t.tableName}Source`, { name: `${t.tableName}Source`, type: 'AMAZON_DYNAMODB', dynamodb: { tableName: t.tableName, region: 'eu-west-1' } });
  return {
    stackName: 'Test',
    logicalId: 'Api',
    name: 'TestApi',
    apiId: 'testapi',
    graphqlUrl: 'http://localhost/graphql',
    realtimeUrl: 'ws://localhost/graphql/realtime',
    defaultAuth: { type: 'API_KEY' },
    additionalAuth: [],
    schema: SCHEMA,
    apiKeys: [],
    dataSources,
    functions: new Map(),
    resolvers: [],
    environmentVariables: {},
  };
}

export interface Harness {
  invoke: DataSourceInvoker;
  /** Calls the DynamoDB data source of `table` with `request`. */
  run(table: string, request: unknown, call?: Partial<DataSourceCall>): ReturnType<DataSourceInvoker>;
  lambdaCalls: { name: string; event: unknown }[];
}

/** Tables created in the test file's DynamoDB Local, and an invoker over them. */
export async function harness(ddb: ReturnType<typeof useDynamoDbLocal>, tables: TableModel[], lambda?: LambdaInvoker): Promise<Harness> {
  await ensureTables(ddb.client, tables, () => {});
  const lambdaCalls: Harness['lambdaCalls'] = [];
  const recordingLambda: LambdaInvoker = async (name, event, options) => {
    lambdaCalls.push({ name, event: structuredClone(event) });
    return lambda ? lambda(name, event, options) : { ok: false, errorType: 'ResourceNotFoundException', errorMessage: `no function ${name}` };
  };
  const invoke = createDataSourceInvoker({ api: apiWith(tables), dynamodb: createDynamoDbWire({ endpoint: ddb.server.endpoint, region: 'eu-west-1' }), lambda: recordingLambda, log: () => {} });
  return {
    invoke,
    lambdaCalls,
    run: (tableName, request, call = {}) =>
      invoke({
        dataSourceName: `${tableName}Source`,
        request,
        direct: false,
        field: 'Query.person',
        maxBatchSize: 0,
        arguments: {},
        identity: null,
        deadline: Date.now() + 30_000,
        ...call,
      }),
  };
}

/** AppSync's wording of a DynamoDB error: `<message> (Service: AmazonDynamoDBv2; …; Request ID: <id>)`. */
export const awsMessage = (message: string, code: string) =>
  new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ${code}; Request ID: [A-Za-z0-9-]+\\)$`);
