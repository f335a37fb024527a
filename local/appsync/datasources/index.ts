import { randomBytes } from 'node:crypto';
import { parse, print, type DocumentNode } from 'graphql';
import type { GraphqlApiModel } from '../../assembly/model.ts';
import type { DynamoDbWire } from '../../dynamodb/wire-client.ts';
import { createDynamoDbDataSource } from './dynamodb/index.ts';
import { createNextTokens } from './dynamodb/next-token.ts';
import { createLambdaDataSource } from './lambda.ts';
import type { DataSourceCall, DataSourceInvoker, DataSourceOutcome, LambdaInvoker } from './types.ts';

export type { DataSourceCall, DataSourceInvoker, DataSourceOutcome, LambdaInvoker, LambdaInvokeResult } from './types.ts';

/** Data-source types the runtime runs; a resolver on another type gets an error naming it. */
export const SUPPORTED_DATA_SOURCE_TYPES: ReadonlySet<string> = new Set(['NONE', 'AMAZON_DYNAMODB', 'AWS_LAMBDA']);

export interface DataSourceInvokerOptions {
  api: GraphqlApiModel;
  dynamodb: DynamoDbWire;
  lambda: LambdaInvoker;
  log: (line: string) => void;
  /** Keeps DynamoDB `nextToken`s valid across restarts (a persistent runtime); default: per run. */
  tokenSecret?: string | Buffer;
}

/** Sends a request handler's output to the data source it names, as AppSync would. */
export function createDataSourceInvoker({ api, dynamodb, lambda, log, tokenSecret = randomBytes(32) }: DataSourceInvokerOptions): DataSourceInvoker {
  const tokens = createNextTokens(tokenSecret);
  const outputTypeOf = outputTypes(api);
  const handlers = new Map<string, (call: DataSourceCall) => Promise<DataSourceOutcome>>();
  for (const ds of api.dataSources.values()) {
    if (ds.type === 'NONE') {
      // The payload is the result; an absent payload gives null (UNVERIFIED, docs/reference/appsync-js-runtime.md §8).
      handlers.set(ds.name, async (call) => ({ result: (call.request as { payload?: unknown } | null | undefined)?.payload ?? null }));
    } else if (ds.type === 'AMAZON_DYNAMODB' && ds.dynamodb) {
      handlers.set(ds.name, createDynamoDbDataSource({ client: dynamodb, dataSourceName: ds.name, tableName: ds.dynamodb.tableName, region: ds.dynamodb.region, tokens, lambda, outputTypeOf, log }));
    } else if (ds.type === 'AWS_LAMBDA' && ds.lambda) {
      handlers.set(ds.name, createLambdaDataSource({ dataSourceName: ds.name, functionArn: ds.lambda.functionArn, invoke: lambda }));
    } else {
      const why = SUPPORTED_DATA_SOURCE_TYPES.has(ds.type) ? `has no ${ds.type === 'AWS_LAMBDA' ? 'LambdaConfig' : 'DynamoDBConfig'}` : `is of type ${ds.type}`;
      handlers.set(ds.name, async () => ({
        error: { type: 'LocalRuntime:UnsupportedDataSource', message: `data source ${ds.name} ${why}, which the local runtime does not run (it runs ${[...SUPPORTED_DATA_SOURCE_TYPES].join(', ')})` },
      }));
    }
  }
  return async (call) => {
    const handler = handlers.get(call.dataSourceName);
    if (!handler) return { error: { type: 'MappingTemplate', message: `data source ${call.dataSourceName} is not defined in API ${api.name}` } };
    return handler(call);
  };
}

/** `Type.field` → its GraphQL return type as written (`Person`, `[Post!]!`), from the API's schema. */
function outputTypes(api: GraphqlApiModel): (field: string) => string | null {
  let types: Map<string, string> | undefined;
  return (field) => {
    if (!types) {
      types = new Map();
      let document: DocumentNode | undefined;
      try {
        document = parse(api.schema);
      } catch {
        // The executor reports a schema that does not parse; here the type is just unknown.
      }
      for (const definition of document?.definitions ?? []) {
        if (!('fields' in definition) || !('name' in definition) || !definition.name) continue;
        for (const f of definition.fields ?? []) if ('type' in f) types.set(`${definition.name.value}.${f.name.value}`, print(f.type));
      }
    }
    return types.get(field) ?? null;
  };
}
