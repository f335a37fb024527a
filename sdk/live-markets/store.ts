import type { AppliedVia, EventView, MarketInfo, PriceUpdate } from './types.ts';

/**
 * The market state a client holds, and the rules that keep it equal to the server's (pure: no
 * I/O, no clock). Per market it holds the last publication applied. Publications chain by
 * `previousVersion` (docs/live-state.md): one chains on what is held when its previousVersion
 * is at most the held version — under conflation a market's versions in between were never
 * published, which is not a gap — and a previousVersion above the held version is a gap.
 */

export interface MarketEntry {
  /** Name, event, status and the market's own version, from the API; null until read. */
  info: MarketInfo | null;
  /** The last publication applied; null until the market has been priced. */
  price: PriceUpdate | null;
  /** A read of what it missed is due or running; updates wait in `buffered` meanwhile. */
  catchingUp: boolean;
  buffered: PriceUpdate[];
  /** The version the last heartbeat announced as published. */
  announced: number | null;
}

export interface MarketStore {
  events: Map<string, EventView>;
  markets: Map<string, MarketEntry>;
}

export type UpdateOutcome =
  | { kind: 'applied' }
  /** At or below the held version: a duplicate or an old delivery. */
  | { kind: 'old' }
  /** The market is catching up; the update is applied after. */
  | { kind: 'buffered' }
  /** previousVersion is above the held version: read what was missed. */
  | { kind: 'gap'; held: number | null }
  /** No such market yet: read it, then catch up. */
  | { kind: 'unknown-market' };

export interface Applied {
  marketId: string;
  version: number;
  previousVersion: number | null;
  via: AppliedVia;
  skipped?: { after: number; before: number };
}

export function createStore(): MarketStore {
  return { events: new Map(), markets: new Map() };
}

export function heldVersion(entry: MarketEntry): number | null {
  return entry.price?.version ?? null;
}

/** Whether `update` chains on what `entry` holds. A first publication (previousVersion null) chains on nothing. */
function chains(entry: MarketEntry, update: PriceUpdate): boolean {
  const held = heldVersion(entry);
  if (update.previousVersion === null) return true;
  return held !== null && update.previousVersion <= held;
}

/** A publication delivered live. */
export function offerUpdate(store: MarketStore, update: PriceUpdate): UpdateOutcome {
  const entry = store.markets.get(update.marketId);
  if (!entry) {
    store.markets.set(update.marketId, { info: null, price: null, catchingUp: true, buffered: [update], announced: null });
    return { kind: 'unknown-market' };
  }
  const held = heldVersion(entry);
  if (held !== null && update.version <= held) return { kind: 'old' };
  if (entry.catchingUp) {
    entry.buffered.push(update);
    return { kind: 'buffered' };
  }
  if (chains(entry, update)) {
    entry.price = update;
    return { kind: 'applied' };
  }
  entry.catchingUp = true;
  entry.buffered.push(update);
  return { kind: 'gap', held };
}

/** Upserts a market's info (never replacing newer info); returns whether it needs a catch-up read. */
export function noteMarketInfo(store: MarketStore, info: MarketInfo): boolean {
  const entry = store.markets.get(info.id);
  if (!entry) {
    store.markets.set(info.id, { info, price: null, catchingUp: false, buffered: [], announced: null });
    return true;
  }
  if (!entry.info || info.version >= entry.info.version) entry.info = info;
  const held = heldVersion(entry);
  return held === null || info.version > held || (entry.announced ?? 0) > held;
}

export function noteEvent(store: MarketStore, event: EventView): boolean {
  const known = store.events.get(event.id);
  if (known && JSON.stringify(known) === JSON.stringify(event)) return false;
  store.events.set(event.id, event);
  return true;
}

/** A heartbeat's versions: the markets it shows behind (to catch up) and those not known yet (to read). */
export function noteHeartbeat(store: MarketStore, markets: readonly { marketId: string; version: number }[]): { behind: string[]; unknown: string[] } {
  const behind: string[] = [];
  const unknown: string[] = [];
  for (const { marketId, version } of markets) {
    const entry = store.markets.get(marketId);
    if (!entry) {
      store.markets.set(marketId, { info: null, price: null, catchingUp: true, buffered: [], announced: version });
      unknown.push(marketId);
      continue;
    }
    entry.announced = Math.max(entry.announced ?? 0, version);
    const held = heldVersion(entry);
    if (!entry.catchingUp && (held === null || version > held)) {
      entry.catchingUp = true;
      behind.push(marketId);
    }
  }
  return { behind, unknown };
}

/** Marks a market as catching up (a sync found it behind); false if it already is. */
export function beginCatchUp(store: MarketStore, marketId: string): boolean {
  const entry = store.markets.get(marketId);
  if (!entry) {
    store.markets.set(marketId, { info: null, price: null, catchingUp: true, buffered: [], announced: null });
    return true;
  }
  if (entry.catchingUp) return false;
  entry.catchingUp = true;
  return true;
}

/**
 * Applies what a catch-up read returned (`history`: priceHistory items from the held
 * publication's time on, any order) and then the updates buffered meanwhile, in version order.
 * A market that held nothing takes the newest publication as its starting point. If the history
 * does not reach back to the held version, the newest publication is taken and the versions in
 * between are reported as skipped — never silently.
 */
export function completeCatchUp(store: MarketStore, marketId: string, history: readonly PriceUpdate[]): Applied[] {
  const entry = store.markets.get(marketId);
  if (!entry) return [];
  const applied: Applied[] = [];
  const take = (update: PriceUpdate, via: AppliedVia, skipped?: Applied['skipped']) => {
    entry.price = update;
    applied.push({ marketId, version: update.version, previousVersion: update.previousVersion, via, ...(skipped && { skipped }) });
  };
  const read = [...history].filter((u) => u.marketId === marketId).sort((a, b) => a.version - b.version);
  if (entry.price === null && read.length > 0) take(read.at(-1)!, 'catch-up');
  for (const update of read) {
    const held = heldVersion(entry)!;
    if (update.version <= held) continue;
    if (chains(entry, update)) take(update, 'catch-up');
    else take(update, 'resync', { after: held, before: update.version });
  }
  const buffered = entry.buffered.sort((a, b) => a.version - b.version);
  entry.buffered = [];
  for (const update of buffered) {
    const held = heldVersion(entry);
    if (held !== null && update.version <= held) continue;
    if (chains(entry, update)) take(update, 'live');
    else take(update, 'resync', { after: held ?? 0, before: update.version });
  }
  entry.catchingUp = false;
  return applied;
}

/** A market the API no longer has (market(id) returned null). */
export function forgetMarket(store: MarketStore, marketId: string): void {
  store.markets.delete(marketId);
}
