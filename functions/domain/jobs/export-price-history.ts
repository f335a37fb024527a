import type { PriceUpdate } from '../pricing/price-update.ts';
import { csvLine } from './csv.ts';
import { JobFailure, type JobItem, type JobPorts, type JobSteps } from './job.ts';
import { optionalDateTime, parseParams, requiredString } from './params.ts';

export const EXPORT_COLUMNS = [
  'publishedAt', 'version', 'status', 'margin', 'source', 'selectionId', 'selectionName',
  'probability', 'decimal', 'fractional', 'american', 'impliedProbability',
] as const;

/**
 * A job result is stored in the job item (DynamoDB: 400 KB per item) and published to
 * onJobUpdate subscribers (AppSync: 240 KB per message); an export must fit both.
 */
export const MAX_EXPORT_BYTES = 200_000;

function rowsOf(update: PriceUpdate): string {
  return update.selections
    .map((s) => csvLine([update.publishedAt, update.version, update.status, update.margin, update.source, s.selectionId, s.name, s.probability, s.price.decimal, s.price.fractional, s.price.american, s.price.impliedProbability]))
    .join('');
}

/**
 * EXPORT_PRICE_HISTORY { marketId, since? }: pages through the market's price history in
 * time order. Result: `{ marketId, since, priceUpdates, rowCount, csv }`, one CSV row per
 * selection of each price update (rowCount excludes the header).
 */
export async function* exportPriceHistory(job: JobItem, ports: JobPorts): JobSteps {
  const params = parseParams(job);
  const marketId = requiredString(params, 'marketId', job.type);
  const since = optionalDateTime(params, 'since', job.type);
  if (!(await ports.getMarket(marketId))) throw new JobFailure(`market ${marketId} does not exist`);
  const total = await ports.countPriceUpdates(marketId, since);
  yield { progress: 0.05, message: `${total} price update(s) to export` };

  let csv = csvLine(EXPORT_COLUMNS);
  let priceUpdates = 0;
  let rowCount = 0;
  let cursor: unknown;
  let page = 0;
  do {
    const result = await ports.pagePriceUpdates(marketId, since, cursor);
    cursor = result.cursor;
    page += 1;
    for (const update of result.items) {
      csv += rowsOf(update);
      rowCount += update.selections.length;
    }
    priceUpdates += result.items.length;
    const bytes = new TextEncoder().encode(csv).length;
    if (bytes > MAX_EXPORT_BYTES) {
      throw new JobFailure(`the export of market ${marketId} exceeds ${MAX_EXPORT_BYTES} bytes after ${priceUpdates} price updates (a job result must fit a DynamoDB item and a subscription message); export a shorter period with params.since`);
    }
    // Updates may arrive after the count: progress stays below 1 until the last page.
    const done = cursor === undefined ? 1 : Math.min(0.99, 0.05 + (0.95 * priceUpdates) / Math.max(total, 1));
    yield { progress: done, message: `page ${page}: ${priceUpdates} of ${Math.max(total, priceUpdates)} price update(s) read` };
  } while (cursor !== undefined);
  return { marketId, since: since ?? null, priceUpdates, rowCount, csv };
}
