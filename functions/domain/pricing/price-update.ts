import { isPriceable, type MarketItem, type MarketStatus, type PriceSource } from '../market/market.ts';
import { PricingError, priceSelections, type SelectionPrice } from './price-market.ts';

/** The schema's `PriceUpdate` (and, field for field, `PublishPriceUpdateInput`). */
export interface PriceUpdate {
  marketId: string;
  eventId: string;
  sport: string | null;
  version: number;
  status: MarketStatus;
  margin: number;
  selections: SelectionPrice[];
  publishedAt: string;
  source: PriceSource;
  /** The version of the market's previous publication; null for its first (absent in items stored before it existed). */
  previousVersion?: number | null;
}

export type RepriceDecision = { reprice: true; why: string } | { reprice: false; why: string };

function probabilitiesKey(market: MarketItem): string {
  return JSON.stringify(market.selections.map((s) => [s.id, s.probability ?? null]));
}

/**
 * Whether a change of a market item (old image → new image) calls for a new price: the
 * new market is priceable and it is new, or its probabilities, margin or status changed, or a
 * reprice was requested (`repricedAt`). Other changes (names, feed sequence) publish nothing.
 */
export function repriceDecision(oldMarket: MarketItem | undefined, newMarket: MarketItem): RepriceDecision {
  if (!isPriceable(newMarket)) return { reprice: false, why: `market ${newMarket.id} is not priceable (status ${newMarket.status}, ${newMarket.selections.filter((s) => s.probability === undefined).length} selection(s) without probability)` };
  if (!oldMarket) return { reprice: true, why: 'new market' };
  const changes: string[] = [];
  if (probabilitiesKey(oldMarket) !== probabilitiesKey(newMarket)) changes.push('probabilities');
  if (oldMarket.margin !== newMarket.margin) changes.push('margin');
  if (oldMarket.status !== newMarket.status) changes.push('status');
  if (oldMarket.repricedAt !== newMarket.repricedAt) changes.push('reprice requested');
  return changes.length ? { reprice: true, why: changes.join(', ') } : { reprice: false, why: 'no change to probabilities, margin or status' };
}

/** One market's full set of prices at its current version. Throws PricingError naming what is wrong. */
export function buildPriceUpdate(market: MarketItem, publishedAt: string): PriceUpdate {
  if (!isPriceable(market)) throw new PricingError('status', `market ${market.id} is not priceable (status ${market.status})`);
  if (!Number.isInteger(market.version) || market.version < 1) throw new PricingError('version', `version must be an integer >= 1, got ${JSON.stringify(market.version)}`);
  const selections = priceSelections(
    market.margin,
    market.selections.map((s) => ({ selectionId: s.id, name: s.name, probability: s.probability! })),
  );
  return {
    marketId: market.id,
    eventId: market.eventId,
    sport: market.sport ?? null,
    version: market.version,
    status: market.status,
    margin: market.margin,
    selections,
    publishedAt,
    source: market.lastChange?.source ?? 'FEED',
  };
}

/** PricesTable sort key: time order, then version, so `sk >= since` selects by time. */
export function priceHistoryKey(publishedAt: string, version: number): string {
  return `${publishedAt}#${String(version).padStart(10, '0')}`;
}
