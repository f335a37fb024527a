import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { GraphqlApiModel } from '../assembly/model.ts';
import { invokeDynamoDbDataSource } from './datasources/dynamodb.ts';
import type { DataSourceInvoker } from './js/index.ts';

/** Data-source types the runtime runs; resolvers on others fail with a clear error. */
export const SUPPORTED_DATA_SOURCE_TYPES = new Set(['NONE', 'AMAZON_DYNAMODB']);

/** Sends a request handler's output to the data source it names, as AppSync would. */
export function createDataSourceInvoker(api: GraphqlApiModel, dynamodb: DynamoDBClient): DataSourceInvoker {
  return async (dataSourceName, request) => {
    const dataSource = api.dataSources.get(dataSourceName);
    if (!dataSource) return { error: { type: 'MappingTemplate', message: `data source ${dataSourceName} is not defined in API ${api.name}` } };
    switch (dataSource.type) {
      case 'NONE':
        // The NONE data source echoes `payload`; an absent payload gives null [UNVERIFIED].
        return { result: (request as { payload?: unknown } | null | undefined)?.payload ?? null };
      case 'AMAZON_DYNAMODB':
        return invokeDynamoDbDataSource(dynamodb, { tableName: dataSource.dynamodb!.tableName }, request);
      default:
        return {
          error: {
            type: 'LocalRuntime:UnsupportedDataSource',
            message: `data source ${dataSourceName} is of type ${dataSource.type}, which the local runtime does not run yet (it runs ${[...SUPPORTED_DATA_SOURCE_TYPES].join(', ')})`,
          },
        };
    }
  };
}
