import type { EventStatus, MarketStatus, PriceSource } from '../../../schema/generated/types.ts';

/** The parts of the schema's types that the board reads (see graphql/operations.ts). */
export interface PriceFields {
  decimal: number;
  fractional: string;
  american: number;
  impliedProbability: number;
}

export interface MarketFields {
  id: string;
  eventId: string;
  name: string;
  status: MarketStatus;
  margin: number;
  version: number;
  updatedAt: string;
  selections: { id: string; name: string; probability: number | null; price: PriceFields | null }[];
}

export interface EventFields {
  id: string;
  name: string;
  sport: string;
  startTime: string;
  status: EventStatus;
  markets: MarketFields[];
}

export interface PriceUpdateFields {
  marketId: string;
  eventId: string;
  version: number;
  /** The market's previous publication's version (null for its first): above what is shown, one was missed. */
  previousVersion?: number | null;
  status: MarketStatus;
  margin: number;
  publishedAt: string;
  source: PriceSource;
  selections: { selectionId: string; name: string; probability: number; price: PriceFields }[];
}

export interface SelectionView {
  id: string;
  name: string;
  probability: number | null;
  price: PriceFields | null;
}

export interface MarketView {
  id: string;
  eventId: string;
  name: string;
  status: MarketStatus;
  /** The market's margin as last known (from a price update or the trader's own change). */
  margin: number;
  /** The highest market version known: what the trader's mutations send as expectedVersion. */
  version: number;
  /** Version of the prices shown; 0 when they come from the first read (which carries none). */
  priceVersion: number;
  /** Margin the shown prices were made with. */
  pricedMargin: number;
  source: PriceSource | null;
  publishedAt: string | null;
  /**
   * Where a catch-up read starts (`priceHistory(since:)`): the newest publishedAt applied, or
   * the market's updatedAt from the first read. `since` is inclusive; duplicates are dropped by
   * version.
   */
  lastSeen: string;
  selections: SelectionView[];
}

export interface EventView {
  id: string;
  name: string;
  sport: string;
  startTime: string;
  status: EventStatus;
  markets: MarketView[];
}

/** A selection whose decimal price moved: the board flashes it up or down. */
export interface PriceChange {
  selectionId: string;
  direction: 'up' | 'down';
}

export type ApplyOutcome =
  | { kind: 'applied'; market: MarketView; changes: PriceChange[] }
  /** Its version is not above the prices shown: a duplicate or an overtaken update. */
  | { kind: 'stale'; market: MarketView }
  /** A market the board has not read yet (a feed created it): read its event again. */
  | { kind: 'unknown-market'; marketId: string; eventId: string };

export type BookListener = (market: MarketView, changes: PriceChange[]) => void;

/**
 * The board's state: events and markets as first read, then kept current by price updates that
 * may arrive twice or out of order (live and from a catch-up read): an update applies only when
 * its version is above the prices shown.
 */
export class MarketBook {
  #events: EventView[] = [];
  #markets = new Map<string, MarketView>();
  #listeners = new Set<BookListener>();

  /** Replaces (or adds) events as read by `events` / `event`. */
  load(events: EventFields[]): void {
    for (const event of events) {
      const view: EventView = { ...event, markets: event.markets.map((market) => this.#marketView(market)) };
      const at = this.#events.findIndex((e) => e.id === event.id);
      if (at === -1) this.#events.push(view);
      else this.#events[at] = view;
      for (const market of view.markets) this.#markets.set(market.id, market);
    }
  }

  /** An event's name, status or start time changed (onEventUpdate). False when the event is not on the board. */
  updateEvent(fields: Pick<EventFields, 'id' | 'name' | 'sport' | 'startTime' | 'status'>): boolean {
    const event = this.#events.find((e) => e.id === fields.id);
    if (!event) return false;
    Object.assign(event, { name: fields.name, sport: fields.sport, startTime: fields.startTime, status: fields.status });
    return true;
  }

  events(): readonly EventView[] {
    return this.#events;
  }

  markets(): MarketView[] {
    return this.#events.flatMap((event) => event.markets);
  }

  market(id: string): MarketView | undefined {
    return this.#markets.get(id);
  }

  /** Called with every market that changes, and the prices that moved. Returns the unsubscribe. */
  onChange(listener: BookListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  apply(update: PriceUpdateFields): ApplyOutcome {
    const market = this.#markets.get(update.marketId);
    if (!market) return { kind: 'unknown-market', marketId: update.marketId, eventId: update.eventId };
    if (update.version <= market.priceVersion) return { kind: 'stale', market };

    const before = new Map(market.selections.map((s) => [s.id, s.price?.decimal]));
    const changes: PriceChange[] = [];
    for (const selection of update.selections) {
      const previous = before.get(selection.selectionId);
      if (previous !== undefined && previous !== selection.price.decimal) {
        changes.push({ selectionId: selection.selectionId, direction: selection.price.decimal > previous ? 'up' : 'down' });
      }
    }
    market.selections = update.selections.map((s) => ({ id: s.selectionId, name: s.name, probability: s.probability, price: s.price }));
    market.status = update.status;
    market.priceVersion = update.version;
    market.pricedMargin = update.margin;
    market.source = update.source;
    market.publishedAt = update.publishedAt;
    if (update.version >= market.version) {
      market.version = update.version;
      market.margin = update.margin;
    }
    if (Date.parse(update.publishedAt) > Date.parse(market.lastSeen)) market.lastSeen = update.publishedAt;
    this.#emit(market, changes);
    return { kind: 'applied', market, changes };
  }

  /** A market as a trader mutation returned it: newer version, margin and status, same prices. */
  noteMarket(fields: Pick<MarketFields, 'id' | 'version' | 'margin' | 'status'>): void {
    const market = this.#markets.get(fields.id);
    if (!market || fields.version < market.version) return;
    market.version = fields.version;
    market.margin = fields.margin;
    market.status = fields.status;
    this.#emit(market, []);
  }

  #marketView(market: MarketFields): MarketView {
    const known = this.#markets.get(market.id);
    // A re-read must not roll back what live updates already showed.
    if (known && known.version > market.version) return known;
    return {
      id: market.id,
      eventId: market.eventId,
      name: market.name,
      status: market.status,
      margin: market.margin,
      version: market.version,
      priceVersion: known?.priceVersion ?? 0,
      pricedMargin: known?.pricedMargin ?? market.margin,
      source: known?.source ?? null,
      publishedAt: known?.publishedAt ?? null,
      lastSeen: known && Date.parse(known.lastSeen) > Date.parse(market.updatedAt) ? known.lastSeen : market.updatedAt,
      selections: market.selections.map((s) => ({ id: s.id, name: s.name, probability: s.probability, price: s.price })),
    };
  }

  #emit(market: MarketView, changes: PriceChange[]): void {
    for (const listener of this.#listeners) listener(market, changes);
  }
}
