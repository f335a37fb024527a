import type { QueryCommandInput, ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { malformedRequest, missingField, notRunLocally } from '../errors.ts';
import type { DataSourceOutcome } from '../types.ts';
import type { DynamoDbCallContext } from './context.ts';
import { mergeExpressions, readExpression, readOptionalExpression } from './expressions.ts';
import { optionalBoolean, optionalChoice, optionalCount, optionalString, type RequestObject } from './request-fields.ts';
import { plainItem } from './typed-values.ts';

const SELECT = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES'] as const;
/** Sync's page size: 100 by default, at most 1000 [D-DDB-sync]. */
const SYNC_DEFAULT_LIMIT = 100;
const SYNC_MAX_LIMIT = 1000;

/** A token is only good for the resolver/function, data source and read that produced it. */
function tokenBinding(ctx: DynamoDbCallContext, operation: string, index: string | undefined): string {
  return JSON.stringify([ctx.call.field, ctx.dataSourceName, operation, ctx.tableName, index ?? null]);
}

/** `{items, nextToken, scannedCount}` for Query and Scan. `limit` counts items evaluated, before the filter. */
export async function queryOrScan(ctx: DynamoDbCallContext, operation: 'Query' | 'Scan', request: RequestObject): Promise<DataSourceOutcome> {
  const index = optionalString(request, 'index');
  const binding = tokenBinding(ctx, operation, index);
  const filter = readOptionalExpression(request.filter, 'filter');
  const projection = readOptionalExpression(request.projection, 'projection');
  const select = optionalChoice(request, 'select', SELECT);
  const common = {
    TableName: ctx.tableName,
    ...(index !== undefined && { IndexName: index }),
    Limit: optionalCount(request, 'limit'),
    ConsistentRead: optionalBoolean(request, 'consistentRead') ?? false,
    ExclusiveStartKey: ctx.tokens.decode(request.nextToken, binding),
    ...(select && { Select: select }),
    ...(filter && { FilterExpression: filter.expression }),
    ...(projection && { ProjectionExpression: projection.expression }),
  };

  let page;
  if (operation === 'Query') {
    if (request.query === undefined || request.query === null) throw missingField('query');
    const keyCondition = readExpression(request.query, 'query');
    const input: QueryCommandInput = {
      ...common,
      KeyConditionExpression: keyCondition.expression,
      ScanIndexForward: optionalBoolean(request, 'scanIndexForward') ?? true,
      ...mergeExpressions([keyCondition, filter, projection], 'query/filter/projection'),
    };
    page = await ctx.client.call('Query', input, ctx.signal);
  } else {
    const segment = optionalCount(request, 'segment', 'segment', { min: 0 });
    const totalSegments = optionalCount(request, 'totalSegments', 'totalSegments', { min: 1 });
    if ((segment === undefined) !== (totalSegments === undefined)) throw malformedRequest('segment and totalSegments must be given together or not at all');
    const input: ScanCommandInput = {
      ...common,
      ...(segment !== undefined && { Segment: segment, TotalSegments: totalSegments }),
      ...mergeExpressions([filter, projection], 'filter/projection'),
    };
    page = await ctx.client.call('Scan', input, ctx.signal);
  }
  return {
    result: {
      items: (page.Items ?? []).map(plainItem),
      nextToken: ctx.tokens.encode(page.LastEvaluatedKey, binding),
      scannedCount: page.ScannedCount ?? 0,
    },
  };
}

/**
 * Sync [D-DDB-sync] needs a versioned data source: AppSync's conflict detection keeps a delta
 * table of recent changes, and a Sync with `lastSync` reads it. No delta table exists locally, so
 * only the base-table part runs: a Sync without `lastSync` is a Scan of the table (with `filter`
 * and `limit`), answered as `{items, nextToken, scannedCount, startedAt}`. `lastSync`,
 * `basePartitionKey` and `deltaIndexName` are refused, naming why.
 */
export async function sync(ctx: DynamoDbCallContext, request: RequestObject): Promise<DataSourceOutcome> {
  for (const field of ['lastSync', 'basePartitionKey', 'deltaIndexName']) {
    if (request[field] !== undefined && request[field] !== null) {
      throw notRunLocally(`Sync with ${field} reads AppSync's delta sync table of a versioned data source, which the local runtime does not run; only a full Sync (no lastSync) is supported`);
    }
  }
  const startedAt = Date.now();
  const binding = tokenBinding(ctx, 'Sync', undefined);
  const filter = readOptionalExpression(request.filter, 'filter');
  const page = await ctx.client.call(
    'Scan',
    {
      TableName: ctx.tableName,
      Limit: optionalCount(request, 'limit', 'limit', { max: SYNC_MAX_LIMIT }) ?? SYNC_DEFAULT_LIMIT,
      ConsistentRead: true,
      ExclusiveStartKey: ctx.tokens.decode(request.nextToken, binding),
      ...(filter && { FilterExpression: filter.expression }),
      ...mergeExpressions([filter], 'filter'),
    },
    ctx.signal,
  );
  return {
    result: {
      items: (page.Items ?? []).map(plainItem),
      nextToken: ctx.tokens.encode(page.LastEvaluatedKey, binding),
      scannedCount: page.ScannedCount ?? 0,
      startedAt,
    },
  };
}
