import { isAwsDateTime } from '../domain/feed/validate-message.ts';
import type { MarketItem } from '../domain/market/market.ts';
import { PricingError } from '../domain/pricing/price-market.ts';
import { buildPriceUpdate, repriceDecision, type PriceUpdate } from '../domain/pricing/price-update.ts';
import type { Logger } from '../shared/logger.ts';
import type { DynamoDBStreamEvent, DynamoDBStreamRecord, StreamBatchResponse } from '../shared/stream-event.ts';
import { unmarshallImage } from '../shared/stream-image.ts';

export interface PriceEngineDeps {
  store(update: PriceUpdate): Promise<void>;
  publish(update: PriceUpdate): Promise<void>;
  log: Logger;
}

/**
 * MarketsTable stream records → prices. Each record that calls for a new price is priced,
 * stored, then published (stored first, so a subscriber that reads priceHistory after the
 * update finds it). A record that fails — a market item that cannot be priced, or a failed
 * write or publish — is reported alone in batchItemFailures, with a log line naming the
 * market and the reason; the others go on. A retried record stores the same item again and
 * publishes the same version again (at-least-once; clients keep the highest version).
 */
export async function processMarketRecords(event: DynamoDBStreamEvent, deps: PriceEngineDeps): Promise<StreamBatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records ?? []) {
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    const marketId = (record.dynamodb?.Keys?.id as { S?: string } | undefined)?.S ?? 'unknown';
    try {
      await processRecord(record, deps);
    } catch (error) {
      const reason = error instanceof PricingError ? `${error.field}: ${error.message}` : `${(error as Error).name}: ${(error as Error).message}`;
      deps.log.error(`cannot price market ${marketId}: ${reason}`, { marketId, sequenceNumber, eventID: record.eventID, reason });
      if (sequenceNumber) batchItemFailures.push({ itemIdentifier: sequenceNumber });
      else throw new Error(`price-engine: a failed stream record has no dynamodb.SequenceNumber to report (eventID ${record.eventID})`, { cause: error });
    }
  }
  return { batchItemFailures };
}

async function processRecord(record: DynamoDBStreamRecord, deps: PriceEngineDeps): Promise<void> {
  if (record.eventName === 'REMOVE' || !record.dynamodb?.NewImage) return;
  const market = unmarshallImage(record.dynamodb.NewImage) as MarketItem;
  const old = record.dynamodb.OldImage ? (unmarshallImage(record.dynamodb.OldImage) as MarketItem) : undefined;
  if (!Array.isArray(market.selections)) throw new PricingError('selections', `market item has no selections list (got ${JSON.stringify(market.selections)})`);
  const decision = repriceDecision(old, market);
  if (!decision.reprice) return;
  const update = buildPriceUpdate(market, publishedAtOf(market, record));
  await deps.store(update);
  await deps.publish(update);
  deps.log.info(`published market ${market.id} version ${market.version}`, { marketId: market.id, version: market.version, status: market.status, why: decision.why });
}

/**
 * The update's time is the market item's `updatedAt` (when the change was made), not the
 * time of processing, so that a retry produces the same PricesTable key. An item without a
 * valid updatedAt falls back to the stream record's creation time (also stable on retry).
 */
function publishedAtOf(market: MarketItem, record: DynamoDBStreamRecord): string {
  if (isAwsDateTime(market.updatedAt)) return new Date(market.updatedAt).toISOString();
  const created = record.dynamodb?.ApproximateCreationDateTime;
  if (typeof created === 'number') return new Date(created * 1000).toISOString();
  throw new PricingError('updatedAt', `market item has no valid updatedAt (got ${JSON.stringify(market.updatedAt)}) and its stream record no ApproximateCreationDateTime`);
}
