/**
 * Whether a market's shown prices are current: `live` (confirmed within the heartbeat bound),
 * `catching-up` (a read of what was missed is under way) or `stale` since the last moment they
 * were known to be current.
 */
export type Freshness = { state: 'live' } | { state: 'catching-up'; since: string } | { state: 'stale'; since: string };

export const LIVE: Freshness = { state: 'live' };

/** A market can be bet on only when it is OPEN and its prices are current. */
export function isBettable(status: string, freshness: Freshness): boolean {
  return status === 'OPEN' && freshness.state === 'live';
}
