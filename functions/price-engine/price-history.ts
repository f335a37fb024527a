import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { priceHistoryKey, type PriceUpdate } from '../domain/pricing/price-update.ts';

export const DEFAULT_PRICE_HISTORY_TTL_DAYS = 30;

/**
 * Stores a PriceUpdate in PricesTable under `marketId` + `<publishedAt>#<version>`. The
 * update is a pure function of the market item (publishedAt is the item's updatedAt), so a
 * retried record writes the very same item: the put is idempotent.
 */
export async function storePriceUpdate(client: DynamoDBClient, tableName: string, update: PriceUpdate, ttlDays: number): Promise<void> {
  const expiresAt = Math.floor(Date.parse(update.publishedAt) / 1000) + ttlDays * 24 * 60 * 60;
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: marshall({ ...update, sk: priceHistoryKey(update.publishedAt, update.version), expiresAt }, { removeUndefinedValues: true }),
    }),
  );
}
