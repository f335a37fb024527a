import type { EventStatus, MarketStatus, PriceSource } from '../../../schema/generated/types.ts';

/** The items of docs/data-model.md (schema/items.ts) and the rules the functions apply to them. */

export type { EventStatus, MarketStatus, PriceSource };

export const MARKET_STATUSES = ['OPEN', 'SUSPENDED', 'CLOSED', 'SETTLED'] as const satisfies readonly MarketStatus[];

export const EVENT_STATUSES = ['SCHEDULED', 'LIVE', 'FINISHED', 'CANCELLED'] as const satisfies readonly EventStatus[];

import type { MarketItem } from '../../../schema/items.ts';

export type { Aspect, EventItem, LastChange, MarketItem, MarketSelection, Watermarks } from '../../../schema/items.ts';

/** A new market's margin until a trader sets one: a 105% book. */
export const DEFAULT_MARGIN = 0.05;

/**
 * Priceable: every selection has a probability (in any status). A CLOSED market is priced too, so
 * that its closing is published like any other status change: clients must see it is no longer
 * OPEN, and a version a client never sees is a version the chain of publications has to explain.
 */
export function isPriceable(market: Pick<MarketItem, 'status' | 'selections'>): boolean {
  return (
    market.selections.length > 0 &&
    market.selections.every((s) => typeof s.probability === 'number')
  );
}

/**
 * Status changes a feed may make with MARKET_STATUS. SETTLED is reached only with a result
 * (a RESULT message or a SETTLE_MARKET job); CLOSED is final until then; nothing leaves SETTLED.
 * Repeating the current status is allowed (a feed may resend it).
 */
const FEED_TRANSITIONS: Record<MarketStatus, readonly MarketStatus[]> = {
  OPEN: ['OPEN', 'SUSPENDED', 'CLOSED'],
  SUSPENDED: ['SUSPENDED', 'OPEN', 'CLOSED'],
  CLOSED: ['CLOSED'],
  SETTLED: [],
};

export function statusTransitionProblem(from: MarketStatus, to: MarketStatus): string | undefined {
  if (to === 'SETTLED') return 'a market is SETTLED only with its result (a RESULT message or a SETTLE_MARKET job)';
  if (FEED_TRANSITIONS[from].includes(to)) return undefined;
  const allowed = FEED_TRANSITIONS[from].filter((s) => s !== from);
  return `a ${from} market cannot become ${to}${allowed.length ? `; it may become ${allowed.join(' or ')}` : ': that status is final'}`;
}

/**
 * Why a market cannot be settled with these winners, and which part of the request is at
 * fault (an index into `winners` or the market); undefined when it can.
 */
export function settlementProblem(market: MarketItem, winners: readonly string[]): { reason: string; winnerIndex?: number } | undefined {
  if (market.status === 'SETTLED') {
    return { reason: `market ${market.id} is already SETTLED (winners ${(market.winningSelectionIds ?? []).join(', ') || 'none recorded'})` };
  }
  if (winners.length === 0) return { reason: 'a result names at least one winning selection' };
  const known = new Set(market.selections.map((s) => s.id));
  const seen = new Set<string>();
  for (const [index, id] of winners.entries()) {
    if (!known.has(id)) {
      return { reason: `selection ${id} is not a selection of market ${market.id} (${[...known].join(', ')})`, winnerIndex: index };
    }
    if (seen.has(id)) return { reason: `selection ${id} is named twice`, winnerIndex: index };
    seen.add(id);
  }
  return undefined;
}
