import { GetItemCommand, QueryCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { JobItem, JobPorts } from '../domain/jobs/job.ts';
import type { JobPatch } from '../domain/jobs/run-job.ts';
import type { EventItem, MarketItem } from '../domain/market/market.ts';
import type { PriceUpdate } from '../domain/pricing/price-update.ts';
import { awsErrorName } from '../shared/dynamodb.ts';

export interface JobTables {
  events: string;
  markets: string;
  prices: string;
  jobs: string;
}

/** Price history pages: small enough that progress moves, large enough to be few requests. */
export const PRICE_PAGE_SIZE = 100;

async function conditional<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (awsErrorName(error) === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

function updateParts(patch: Record<string, unknown>) {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  return {
    expression: `SET ${entries.map((_, i) => `#p${i} = :p${i}`).join(', ')}`,
    names: Object.fromEntries(entries.map(([k], i) => [`#p${i}`, k])),
    values: Object.fromEntries(entries.map(([, v], i) => [`:p${i}`, v])),
  };
}

/** The job item's reads and writes. */
export function createJobItemStore(client: DynamoDBClient, tables: JobTables, now: () => string) {
  return {
    /** QUEUED, or RUNNING after a failed invocation, → RUNNING; not when a cancel was requested. */
    async claim(job: JobItem): Promise<JobItem | undefined> {
      const at = now();
      const result = await conditional(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tables.jobs,
            Key: marshall({ id: job.id }),
            UpdateExpression: 'SET #status = :running, progress = :zero, #message = :message, updatedAt = :at',
            ConditionExpression: '#status IN (:queued, :running) AND (attribute_not_exists(cancelRequested) OR cancelRequested <> :true)',
            ExpressionAttributeNames: { '#status': 'status', '#message': 'message' },
            ExpressionAttributeValues: marshall({ ':running': 'RUNNING', ':queued': 'QUEUED', ':zero': 0, ':message': 'started', ':at': at, ':true': true }),
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? (unmarshall(result.Attributes) as JobItem) : undefined;
    },

    async update(jobId: string, patch: JobPatch): Promise<JobItem> {
      const { expression, names, values } = updateParts({ ...patch, updatedAt: now() });
      const result = await client.send(
        new UpdateItemCommand({
          TableName: tables.jobs,
          Key: marshall({ id: jobId }),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return unmarshall(result.Attributes!) as JobItem;
    },

    async read(jobId: string): Promise<JobItem | undefined> {
      const { Item } = await client.send(new GetItemCommand({ TableName: tables.jobs, Key: marshall({ id: jobId }), ConsistentRead: true }));
      return Item ? (unmarshall(Item) as JobItem) : undefined;
    },
  };
}

/** What the job steps read and change, over DynamoDB. */
export function createJobPorts(client: DynamoDBClient, tables: JobTables, now: () => string): JobPorts {
  const get = async <T>(table: string, id: string) => {
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ id }), ConsistentRead: true }));
    return Item ? (unmarshall(Item) as T) : undefined;
  };
  const historyQuery = (marketId: string, since: string | undefined) => ({
    TableName: tables.prices,
    KeyConditionExpression: since ? 'marketId = :m AND sk >= :since' : 'marketId = :m',
    ExpressionAttributeValues: marshall({ ':m': marketId, ...(since && { ':since': since }) }),
  });

  return {
    now,
    getEvent: (eventId) => get<EventItem>(tables.events, eventId),
    getMarket: (marketId) => get<MarketItem>(tables.markets, marketId),

    async listMarketsOfEvent(eventId) {
      const markets: MarketItem[] = [];
      let ExclusiveStartKey: Record<string, any> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({ TableName: tables.markets, IndexName: 'byEvent', KeyConditionExpression: 'eventId = :e', ExpressionAttributeValues: marshall({ ':e': eventId }), ExclusiveStartKey }),
        );
        markets.push(...(page.Items ?? []).map((i) => unmarshall(i) as MarketItem));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return markets;
    },

    async repriceMarket(marketId, change) {
      const result = await conditional(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tables.markets,
            Key: marshall({ id: marketId }),
            UpdateExpression: 'SET version = version + :one, lastChange = :change, repricedAt = :at, updatedAt = :at',
            ConditionExpression: 'attribute_exists(id) AND #status IN (:open, :suspended)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: marshall({ ':one': 1, ':change': change, ':at': change.at, ':open': 'OPEN', ':suspended': 'SUSPENDED' }),
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return result?.Attributes ? (unmarshall(result.Attributes).version as number) : undefined;
    },

    async settleMarket(marketId, expectedVersion, winners, change) {
      const result = await conditional(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tables.markets,
            Key: marshall({ id: marketId }),
            UpdateExpression: 'SET #status = :settled, winningSelectionIds = :winners, version = :next, lastChange = :change, updatedAt = :at',
            ConditionExpression: 'version = :expected AND #status <> :settled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: marshall({ ':settled': 'SETTLED', ':winners': winners, ':next': expectedVersion + 1, ':expected': expectedVersion, ':change': change, ':at': change.at }),
          }),
        ),
      );
      return result ? expectedVersion + 1 : undefined;
    },

    async countPriceUpdates(marketId, since) {
      let count = 0;
      let ExclusiveStartKey: Record<string, any> | undefined;
      do {
        const page = await client.send(new QueryCommand({ ...historyQuery(marketId, since), Select: 'COUNT', ExclusiveStartKey }));
        count += page.Count ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return count;
    },

    async pagePriceUpdates(marketId, since, cursor) {
      const page = await client.send(
        new QueryCommand({ ...historyQuery(marketId, since), Limit: PRICE_PAGE_SIZE, ...(cursor !== undefined && { ExclusiveStartKey: cursor as Record<string, any> }) }),
      );
      return {
        items: (page.Items ?? []).map((i) => unmarshall(i) as PriceUpdate),
        ...(page.LastEvaluatedKey && { cursor: page.LastEvaluatedKey }),
      };
    },
  };
}
