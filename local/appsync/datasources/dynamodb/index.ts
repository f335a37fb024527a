import type { DynamoDbWire } from '../../../dynamodb/wire-client.ts';
import { DataSourceRequestError, dynamoDbUnavailable, internalFailure, malformedRequest, missingField } from '../errors.ts';
import type { DataSourceCall, DataSourceOutcome, LambdaInvoker } from '../types.ts';
import { batchDeleteItem, batchGetItem, batchPutItem } from './batch.ts';
import { requestId, serviceError, type DynamoDbCallContext } from './context.ts';
import type { NextTokens } from './next-token.ts';
import { queryOrScan, sync } from './query-scan.ts';
import { asRequestObject, type RequestObject } from './request-fields.ts';
import { conditionalWrite, getItem } from './single-item.ts';
import { transactGetItems, transactWriteItems } from './transactions.ts';
import { describe } from './typed-values.ts';

type Operation = (ctx: DynamoDbCallContext, request: RequestObject) => Promise<DataSourceOutcome>;

/** Every operation of docs/reference/appsync-js-runtime.md §6.2. */
const OPERATIONS: Record<string, Operation> = {
  GetItem: getItem,
  PutItem: (ctx, request) => conditionalWrite(ctx, 'PutItem', request),
  UpdateItem: (ctx, request) => conditionalWrite(ctx, 'UpdateItem', request),
  DeleteItem: (ctx, request) => conditionalWrite(ctx, 'DeleteItem', request),
  Query: (ctx, request) => queryOrScan(ctx, 'Query', request),
  Scan: (ctx, request) => queryOrScan(ctx, 'Scan', request),
  Sync: sync,
  BatchGetItem: batchGetItem,
  BatchPutItem: batchPutItem,
  BatchDeleteItem: batchDeleteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
};

export interface DynamoDbDataSourceOptions {
  client: DynamoDbWire;
  dataSourceName: string;
  tableName: string;
  region: string;
  tokens: NextTokens;
  lambda: LambdaInvoker;
  outputTypeOf(field: string): string | null;
  log: (line: string) => void;
}

/** An AMAZON_DYNAMODB data source: a request object in, `ctx.result`/`ctx.error` out, never a throw. */
export function createDynamoDbDataSource(options: DynamoDbDataSourceOptions): (call: DataSourceCall) => Promise<DataSourceOutcome> {
  return async (call) => {
    const remaining = call.deadline - Date.now();
    if (remaining <= 0) return timedOut();
    const ctx: DynamoDbCallContext = { ...options, call, signal: AbortSignal.timeout(remaining) };
    let operation = '(none)';
    try {
      const request = asRequestObject(call.request, 'the request');
      if (request.operation === undefined || request.operation === null) throw missingField('operation');
      operation = String(request.operation);
      const run = OPERATIONS[operation];
      if (!run) throw malformedRequest(`Unsupported DynamoDB operation ${describe(request.operation)}; the DynamoDB data source runs ${Object.keys(OPERATIONS).join(', ')}`);
      return await run(ctx, request);
    } catch (error) {
      if (error instanceof DataSourceRequestError) return { error: { type: error.type, message: error.message } };
      const service = serviceError(error);
      if (service) return { error: service };
      if (ctx.signal.aborted) return timedOut();
      const unavailable = dynamoDbUnavailable(error, requestId());
      if (unavailable) return { error: unavailable };
      return internalFailure(`${call.field} → ${options.dataSourceName} (${operation} on ${options.tableName})`, error, options.log);
    }
  };
}

/** AppSync's 30 s request limit, reached while the data source was working. */
function timedOut(): DataSourceOutcome {
  return { error: { type: 'ExecutionTimeout', message: 'Execution timed out.' } };
}
