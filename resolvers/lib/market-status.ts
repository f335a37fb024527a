import type { MarketStatus } from '../../schema/generated/types.ts';

/**
 * What a trader may set, and from which statuses. SETTLED is reached only through a
 * SETTLE_MARKET job and nothing leaves it; a CLOSED market waits for settlement (reopening it
 * could take bets on a known result); setting the current status again is refused, not a no-op,
 * so a client learns its view was stale.
 */
export const TRADER_STATUS_SOURCES: Record<MarketStatus, MarketStatus[]> = {
  OPEN: ['SUSPENDED'],
  SUSPENDED: ['OPEN'],
  CLOSED: ['OPEN', 'SUSPENDED'],
  SETTLED: [],
};
