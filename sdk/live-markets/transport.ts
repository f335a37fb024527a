import type { EventUpdate, EventView, Heartbeat, MarketInfo, PriceUpdate, SnapshotEvent } from './types.ts';

/** What the subscriptions of one connection deliver. */
export interface TransportSink {
  /** Every subscription is acknowledged: what is published from now on arrives. */
  ready(): void;
  price(update: PriceUpdate): void;
  heartbeat(heartbeat: Heartbeat): void;
  event(update: EventUpdate): void;
  /** The connection is gone (socket closed, subscription refused): `reason` says which. */
  down(reason: string): void;
}

/**
 * The API as the live market state uses it. `amplifyTransport` implements it on aws-amplify v6;
 * unit tests pass a fake. Reads reject with an Error that names the operation.
 */
export interface LiveTransport {
  /** Subscribes onPriceUpdate, onHeartbeat and onEventUpdate; data of an older `open` is never delivered. */
  open(sink: TransportSink): void;
  /** Unsubscribes what `open` subscribed and resolves once the socket is closed (or a bound passed). */
  drop(): Promise<void>;
  /** Resolves if the API answers a trivial query within its timeout. */
  probe(): Promise<void>;
  snapshot(nextToken: string | null): Promise<{ items: SnapshotEvent[]; nextToken: string | null }>;
  market(id: string): Promise<MarketInfo | null>;
  event(id: string): Promise<EventView | null>;
  priceHistory(marketId: string, since: string | null, nextToken: string | null): Promise<{ items: PriceUpdate[]; nextToken: string | null }>;
  /** Releases listeners; the transport is not used again. */
  close(): void;
}
