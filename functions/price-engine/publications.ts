import { GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { MarketItem } from '../domain/market/market.ts';
import type { LastPublication } from '../domain/pricing/conflation.ts';
import type { PriceUpdate } from '../domain/pricing/price-update.ts';
import type { PublicationItem } from '../../schema/items.ts';
import { awsErrorName } from '../shared/dynamodb.ts';

/**
 * PublicationsTable: one item per market, its last publication (docs/data-model.md). The price
 * engine chains and paces publications with it; the heartbeat reads it. It has no stream, so
 * writing it never feeds back into the price engine.
 */
export async function readLastPublication(client: DynamoDBClient, tableName: string, marketId: string): Promise<LastPublication | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: marshall({ marketId }), ConsistentRead: true }));
  if (!Item) return undefined;
  const item = unmarshall(Item) as PublicationItem;
  return { version: item.version, previousVersion: item.previousVersion ?? null, delivered: item.delivered === true, publishedAtMs: item.publishedAtMs };
}

/** Records `update` as the market's last publication, unless a newer version is already recorded. */
export async function recordPublication(client: DynamoDBClient, tableName: string, update: PriceUpdate, atMs: number): Promise<void> {
  const item: PublicationItem = {
    marketId: update.marketId,
    eventId: update.eventId,
    version: update.version,
    previousVersion: update.previousVersion ?? null,
    status: update.status,
    publishedAt: update.publishedAt,
    publishedAtMs: atMs,
    delivered: false,
  };
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item),
        ConditionExpression: 'attribute_not_exists(marketId) OR version <= :version',
        ExpressionAttributeValues: marshall({ ':version': update.version }),
      }),
    );
  } catch (error) {
    if (awsErrorName(error) === 'ConditionalCheckFailedException') {
      throw new Error(`PublicationsTable: market ${update.marketId} already has a publication newer than version ${update.version}`, { cause: error });
    }
    throw error;
  }
}

/** publishPriceUpdate succeeded for this version at `atMs`; a newer recorded version is left alone. */
export async function markDelivered(client: DynamoDBClient, tableName: string, marketId: string, version: number, atMs: number): Promise<void> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall({ marketId }),
        UpdateExpression: 'SET delivered = :true, publishedAtMs = :at',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: marshall({ ':true': true, ':version': version, ':at': atMs }),
      }),
    );
  } catch (error) {
    if (awsErrorName(error) !== 'ConditionalCheckFailedException') throw error;
  }
}

/** The market item as it is now (MarketsTable, consistent read). */
export async function readMarket(client: DynamoDBClient, tableName: string, marketId: string): Promise<MarketItem | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: marshall({ id: marketId }), ConsistentRead: true }));
  return Item ? (unmarshall(Item) as MarketItem) : undefined;
}
