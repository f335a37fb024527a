import { parseConflationWindow } from '../domain/pricing/conflation.ts';
import { dynamodb } from '../shared/dynamodb.ts';
import { lazy, requireEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { createPublisher } from '../shared/publisher.ts';
import type { DynamoDBStreamEvent, StreamBatchResponse } from '../shared/stream-event.ts';
import { DEFAULT_PRICE_HISTORY_TTL_DAYS, storePriceUpdate } from './price-history.ts';
import { processMarketRecords } from './process-records.ts';
import { markDelivered, readLastPublication, readMarket, recordPublication } from './publications.ts';

const log = createLogger('price-engine');
const config = lazy(() => {
  const ttl = process.env.PRICE_HISTORY_TTL_DAYS;
  const ttlDays = ttl === undefined || ttl === '' ? DEFAULT_PRICE_HISTORY_TTL_DAYS : Number(ttl);
  if (!Number.isFinite(ttlDays) || ttlDays <= 0) throw new Error(`price-engine: PRICE_HISTORY_TTL_DAYS must be a positive number of days, got ${JSON.stringify(ttl)}`);
  return {
    pricesTable: requireEnv('PRICES_TABLE', 'price-engine'),
    marketsTable: requireEnv('MARKETS_TABLE', 'price-engine'),
    publicationsTable: requireEnv('PUBLICATIONS_TABLE', 'price-engine'),
    windowMs: parseConflationWindow(process.env.PRICE_CONFLATION_WINDOW_MS),
    ttlDays,
    publisher: createPublisher(requireEnv('GRAPHQL_URL', 'price-engine')),
  };
});

/** MarketsTable stream (NEW_AND_OLD_IMAGES) → PricesTable + PublicationsTable + publishPriceUpdate; ReportBatchItemFailures. */
export const handler = async (event: DynamoDBStreamEvent): Promise<StreamBatchResponse> => {
  const { pricesTable, marketsTable, publicationsTable, windowMs, ttlDays, publisher } = config();
  return processMarketRecords(event, {
    windowMs,
    lastPublication: (marketId) => readLastPublication(dynamodb, publicationsTable, marketId),
    currentMarket: (marketId) => readMarket(dynamodb, marketsTable, marketId),
    store: (update) => storePriceUpdate(dynamodb, pricesTable, update, ttlDays),
    recordPublication: (update, atMs) => recordPublication(dynamodb, publicationsTable, update, atMs),
    publish: (update) => publisher.publishPriceUpdate(update),
    markDelivered: (marketId, version, atMs) => markDelivered(dynamodb, publicationsTable, marketId, version, atMs),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log,
  });
};
