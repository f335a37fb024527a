import type {
  LiveMarketsEventsSubscription,
  LiveMarketsHeartbeatSubscription,
  LiveMarketsHistoryQuery,
  LiveMarketsMarketQuery,
  LiveMarketsSnapshotQuery,
} from '../generated/operations.ts';

/** One publication of a market's prices, as onPriceUpdate and priceHistory carry it. */
export type PriceUpdate = LiveMarketsHistoryQuery['priceHistory']['items'][number];
export type Heartbeat = NonNullable<LiveMarketsHeartbeatSubscription['onHeartbeat']>;
export type EventUpdate = NonNullable<LiveMarketsEventsSubscription['onEventUpdate']>;
/** A market as the API reads it (name, status, the market's own version), without prices. */
export type MarketInfo = NonNullable<LiveMarketsMarketQuery['market']>;
export type SnapshotEvent = LiveMarketsSnapshotQuery['events']['items'][number];

export interface EventView {
  id: string;
  name: string;
  sport: string;
  startTime: string;
  status: SnapshotEvent['status'];
}

/** Whether what a market shows is current. */
export type MarketLiveness =
  | { kind: 'live' }
  /** Known to be behind; reading what it missed. `staleSince`: when it was last known current. */
  | { kind: 'catching-up'; staleSince: Date | null }
  /** The link is dead or being replaced: the prices shown were current at `since`. */
  | { kind: 'stale'; since: Date };

export interface MarketView {
  id: string;
  eventId: string;
  name: string;
  status: MarketInfo['status'];
  margin: number;
  /** The publication the prices come from; null while the market has never been priced. */
  price: PriceUpdate | null;
  liveness: MarketLiveness;
}

/** The connection in the words a trader uses (describeConnection); never Amplify's state names. */
export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Opening a new connection and catching up; prices were current at `staleSince`. */
  | { kind: 'reconnecting'; staleSince: Date | null }
  /** The API cannot be reached. */
  | { kind: 'offline'; staleSince: Date | null }
  /** The link went silent (no heartbeat within the bound); it is being replaced. */
  | { kind: 'stale'; since: Date }
  | { kind: 'stopped' };

/** How a market's held publication changed. */
export type AppliedVia =
  /** Delivered by onPriceUpdate and chained on what was held. */
  | 'live'
  /** Read from priceHistory to fill a gap, on (re)sync or on a new market. */
  | 'catch-up'
  /**
   * priceHistory could not bridge from what was held (its chain starts above it): the newest
   * publication was taken and the versions in between are reported as `skipped`.
   */
  | 'resync';

export type LiveMarketsChange =
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'event'; event: EventView }
  | { type: 'market'; market: MarketView }
  | { type: 'applied'; marketId: string; version: number; previousVersion: number | null; via: AppliedVia; skipped?: { after: number; before: number } }
  /** A read or subscription failed; the library recovers by itself, this says why it is not live. */
  | { type: 'problem'; message: string };
