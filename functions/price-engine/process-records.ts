import { isAwsDateTime } from '../domain/feed/validate-message.ts';
import { isPriceable, type MarketItem } from '../domain/market/market.ts';
import { chainStep, planCandidates, publicationDelayMs, type Candidate, type LastPublication, type MarketChange } from '../domain/pricing/conflation.ts';
import { PricingError } from '../domain/pricing/price-market.ts';
import { buildPriceUpdate, type PriceUpdate } from '../domain/pricing/price-update.ts';
import type { Logger } from '../shared/logger.ts';
import type { DynamoDBStreamEvent, DynamoDBStreamRecord, StreamBatchResponse } from '../shared/stream-event.ts';
import { unmarshallImage } from '../shared/stream-image.ts';

export interface PriceEngineDeps {
  /** PRICE_CONFLATION_WINDOW_MS: at most one publication per market per window; 0 publishes every version. */
  windowMs: number;
  /** The market's last publication (PublicationsTable), read consistently. */
  lastPublication(marketId: string): Promise<LastPublication | undefined>;
  /** The market item as it is now (MarketsTable, consistent read), after waiting out a window. */
  currentMarket(marketId: string): Promise<MarketItem | undefined>;
  /** PricesTable: the priceHistory item. */
  store(update: PriceUpdate): Promise<void>;
  /** PublicationsTable: the update is the market's last publication, recorded at `atMs`, not yet delivered. */
  recordPublication(update: PriceUpdate, atMs: number): Promise<void>;
  publish(update: PriceUpdate): Promise<void>;
  /** PublicationsTable: publishPriceUpdate succeeded for this version at `atMs`, which starts the market's next window. */
  markDelivered(marketId: string, version: number, atMs: number): Promise<void>;
  now(): number;
  sleep(ms: number): Promise<void>;
  log: Logger;
}

/**
 * MarketsTable stream records → prices (docs/live-state.md). Records are grouped per market
 * (a market's records keep their stream order); markets go side by side. Per market, each
 * state to publish (every repricing change, or with conflation only the latest) is priced,
 * chained to the market's last publication (`previousVersion`), stored in priceHistory and
 * recorded as the last publication, published, then marked delivered. With conflation, a
 * market published less than a window ago first waits out the rest of the window and then
 * publishes its state as it is by then (read again), so publication trails the market by at
 * most one window; records that arrive meanwhile come in the next batch and are covered.
 *
 * A record that cannot be read is reported alone in batchItemFailures; a market whose
 * pricing or publishing fails reports the first of its records in the batch, so that the
 * retry sees every change that called for the publication (at-least-once; a retried version
 * is published again unchanged until it is marked delivered).
 */
export async function processMarketRecords(event: DynamoDBStreamEvent, deps: PriceEngineDeps): Promise<StreamBatchResponse> {
  const failures: string[] = [];
  const changes: MarketChange[] = [];
  for (const record of event.Records ?? []) {
    try {
      const change = changeOf(record);
      if (change) changes.push(change);
    } catch (error) {
      fail(record.dynamodb?.SequenceNumber, (record.dynamodb?.Keys?.id as { S?: string } | undefined)?.S ?? 'unknown', record.eventID, error, deps, failures);
    }
  }
  const plan = planCandidates(changes, deps.windowMs > 0);
  await Promise.all(
    [...plan.values()].map(async (candidates) => {
      for (const candidate of candidates) {
        try {
          await publishCandidate(candidate, deps);
        } catch (error) {
          fail(candidate.retryFrom, candidate.marketId, undefined, error, deps, failures);
          return; // the market's later candidates come again with the retry, in order
        }
      }
    }),
  );
  // Lambda retries from the lowest reported sequence number; report each once.
  return { batchItemFailures: [...new Set(failures)].map((itemIdentifier) => ({ itemIdentifier })) };
}

function fail(sequenceNumber: string | undefined, marketId: string, eventID: string | undefined, error: unknown, deps: PriceEngineDeps, failures: string[]): void {
  const reason = error instanceof PricingError ? `${error.field}: ${error.message}` : `${(error as Error).name}: ${(error as Error).message}`;
  deps.log.error(`cannot price market ${marketId}: ${reason}`, { marketId, sequenceNumber, eventID, reason });
  if (sequenceNumber) failures.push(sequenceNumber);
  else throw new Error(`price-engine: a failed stream record has no dynamodb.SequenceNumber to report (eventID ${eventID})`, { cause: error });
}

function changeOf(record: DynamoDBStreamRecord): MarketChange | undefined {
  if (record.eventName === 'REMOVE' || !record.dynamodb?.NewImage) return undefined;
  const market = unmarshallImage(record.dynamodb.NewImage) as MarketItem;
  const old = record.dynamodb.OldImage ? (unmarshallImage(record.dynamodb.OldImage) as MarketItem) : undefined;
  if (!Array.isArray(market.selections)) throw new PricingError('selections', `market item has no selections list (got ${JSON.stringify(market.selections)})`);
  if (old && !Array.isArray(old.selections)) throw new PricingError('selections', `the old market item has no selections list (got ${JSON.stringify(old.selections)})`);
  const sequenceNumber = record.dynamodb.SequenceNumber;
  if (!sequenceNumber) throw new Error(`price-engine: stream record ${record.eventID} has no dynamodb.SequenceNumber`);
  const createdAtSeconds = record.dynamodb.ApproximateCreationDateTime;
  return { sequenceNumber, old, market, ...(typeof createdAtSeconds === 'number' && { createdAtSeconds }) };
}

async function publishCandidate(candidate: Candidate, deps: PriceEngineDeps): Promise<void> {
  const { marketId } = candidate;
  const last = await deps.lastPublication(marketId);
  let market = candidate.change.market;
  const delay = publicationDelayMs(deps.now(), last?.publishedAtMs, deps.windowMs);
  if (delay > 0) {
    await deps.sleep(delay);
    // The state the market has reached by now: what arrived while waiting is covered too (if
    // it has prices; an unpriceable one publishes nothing, and the next priced change will).
    const current = await deps.currentMarket(marketId);
    if (current && Array.isArray(current.selections) && isPriceable(current) && current.version > market.version) market = current;
  }
  const step = chainStep(last, market.version);
  if (step.kind === 'skip') {
    deps.log.info(`market ${marketId} version ${market.version} not published: ${step.why}`, { marketId, version: market.version });
    return;
  }
  const update: PriceUpdate = { ...buildPriceUpdate(market, publishedAtOf(market, candidate.change)), previousVersion: step.previousVersion };
  // Both before the publish (a subscriber that reads priceHistory then finds it); either order
  // is safe, since a retry finds the version recorded but undelivered and stores it again.
  await Promise.all([deps.store(update), deps.recordPublication(update, deps.now())]);
  await deps.publish(update);
  // The window runs from delivery, so that a slow publish does not bring the next one closer.
  const deliveredAtMs = deps.now();
  await deps.markDelivered(marketId, update.version, deliveredAtMs);
  deps.log.info(`published market ${marketId} version ${update.version}`, {
    marketId,
    version: update.version,
    previousVersion: update.previousVersion,
    status: update.status,
    why: step.kind === 'republish' ? `retry of an unconfirmed publication (${candidate.why})` : candidate.why,
    deliveredAt: new Date(deliveredAtMs).toISOString(),
    ...(delay > 0 && { conflatedMs: delay }),
  });
}

/**
 * The update's time is the market item's `updatedAt` (when the change was made), not the
 * time of processing, so that a retry produces the same PricesTable key. An item without a
 * valid updatedAt falls back to the stream record's creation time (also stable on retry).
 */
function publishedAtOf(market: MarketItem, change: MarketChange): string {
  if (isAwsDateTime(market.updatedAt)) return new Date(market.updatedAt).toISOString();
  if (change.createdAtSeconds !== undefined) return new Date(change.createdAtSeconds * 1000).toISOString();
  throw new PricingError('updatedAt', `market item has no valid updatedAt (got ${JSON.stringify(market.updatedAt)}) and its stream record no ApproximateCreationDateTime`);
}
