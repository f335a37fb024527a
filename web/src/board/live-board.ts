import { liveMarkets, type ConnectionStatus, type LiveMarkets, type MarketLiveness, type MarketView as LiveMarket } from '../../../sdk/live-markets/index.ts';
import type { Api } from '../graphql/api.ts';
import { PRICE_HISTORY } from '../graphql/operations.ts';
import type { LinkStatus } from '../ui/link-indicator.ts';
import type { BoardView } from './board-view.ts';
import { LIVE, type Freshness } from './freshness.ts';
import type { EventFields, MarketBook, PriceUpdateFields } from './market-book.ts';
import type { PriceHistory } from './price-history.ts';

export interface LiveBoardOptions {
  api: Api;
  book: MarketBook;
  history: PriceHistory;
  view: BoardView;
  /** The library's connection status, on every change. */
  onConnection(status: ConnectionStatus): void;
}

export interface LiveBoard {
  live: LiveMarkets;
  /** Re-reads every market's freshness and the connection (the library's staleness is a matter of time). */
  refresh(): void;
  stop(): Promise<void>;
}

/** How often freshness is judged again between the library's own changes. */
const REFRESH_MS = 250;

/**
 * The price board drawn from the live market state of sdk/live-markets (subscriptions,
 * heartbeats, gap detection, catch-up, forced reconnects and liveness per market are the
 * library's): every market it holds goes into the page's MarketBook (which the trader console
 * reads for versions) and onto the board with its liveness, and every publication it shows into
 * the charts' history.
 */
export function startLiveBoard({ api, book, history, view, onConnection }: LiveBoardOptions): LiveBoard {
  const live = liveMarkets({ authMode: 'apiKey' });
  const stopBook = book.onChange((market, changes) => view.update(market, changes));
  const charted = new Set<string>();

  function redraw(): void {
    book.load(eventsOf(live));
    for (const market of live.markets()) if (market.price) book.apply(market.price as PriceUpdateFields);
    view.render(book.events());
    refresh();
  }

  function show(market: LiveMarket): void {
    if (!book.market(market.id)) {
      redraw();
    } else if (market.price) {
      history.add(market.price);
      book.apply(market.price as PriceUpdateFields);
    }
    // A status the library learned without a newer publication (a market read again).
    const held = book.market(market.id);
    if (held && held.status !== market.status && (market.price?.version ?? 0) >= held.priceVersion) book.noteMarket({ id: held.id, version: held.version, margin: held.margin, status: market.status });
    view.setFreshness(market.id, freshnessOf(market.liveness));
    if (!charted.has(market.id)) {
      charted.add(market.id);
      void readRecentHistory(api, history, market.id).then(
        () => {
          const held = book.market(market.id);
          if (held) view.update(held, []);
        },
        (error: unknown) => console.warn(`price history of ${market.id} for the charts: ${(error as Error).message ?? String(error)}`),
      );
    }
  }

  function refresh(): void {
    for (const market of live.markets()) view.setFreshness(market.id, freshnessOf(market.liveness));
    onConnection(live.connection());
  }

  const stopLive = live.subscribe((change) => {
    switch (change.type) {
      case 'connection':
        onConnection(change.status);
        return;
      case 'event':
        if (book.updateEvent(change.event)) view.render(book.events());
        else redraw();
        return;
      case 'market':
        show(change.market);
        return;
      case 'applied':
        return;
      case 'problem':
        console.warn(`live markets: ${change.message}`);
        return;
    }
  });
  const timer = setInterval(refresh, REFRESH_MS);

  return {
    live,
    refresh,
    async stop() {
      clearInterval(timer);
      stopLive();
      stopBook();
      await live.stop();
    },
  };
}

/** The library's events and markets as the book reads them; prices follow through `apply`. */
function eventsOf(live: LiveMarkets): EventFields[] {
  const markets = live.markets();
  return live.events().map((event) => ({
    ...event,
    markets: markets
      .filter((market) => market.eventId === event.id)
      // A stable order, whatever order the library learned them in.
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((market) => ({
        id: market.id,
        eventId: market.eventId,
        name: market.name,
        status: market.status,
        margin: market.margin,
        version: market.price?.version ?? 0,
        updatedAt: market.price?.publishedAt ?? new Date(0).toISOString(),
        selections: (market.price?.selections ?? []).map((s) => ({ id: s.selectionId, name: s.name, probability: s.probability, price: s.price })),
      })),
  }));
}

export function freshnessOf(liveness: MarketLiveness): Freshness {
  switch (liveness.kind) {
    case 'live':
      return LIVE;
    case 'catching-up':
      // Catching up after the link was lost: the prices shown are old until it is done.
      return liveness.staleSince ? { state: 'stale', since: liveness.staleSince.toISOString() } : { state: 'catching-up', since: new Date().toISOString() };
    case 'stale':
      return { state: 'stale', since: liveness.since.toISOString() };
  }
}

/** The library's connection status as the header shows it; a refused certificate or a down server, when probing found one, says so instead. */
export function linkOf(status: ConnectionStatus, blocked: 'untrusted' | 'unreachable' | undefined): LinkStatus {
  const since = (at: Date | null) => (at ? { staleSince: at.toISOString() } : {});
  if (blocked && status.kind !== 'live') return { link: blocked, ...('staleSince' in status ? since(status.staleSince) : {}) };
  switch (status.kind) {
    case 'connecting':
      return { link: 'connecting' };
    case 'live':
      return { link: 'live' };
    case 'reconnecting':
      return { link: 'reconnecting', ...since(status.staleSince) };
    case 'offline':
      return { link: 'offline', ...since(status.staleSince) };
    case 'stale':
      // The link went silent: the library is replacing it.
      return { link: 'reconnecting', staleSince: status.since.toISOString() };
    case 'stopped':
      return { link: 'offline' };
  }
}

/** How far back a market's chart starts when the page first shows it. */
const HISTORY_WINDOW_MS = 4 * 60_000;

/** A chart's first points: the market's recent publications (the newest live ones follow). */
async function readRecentHistory(api: Api, history: PriceHistory, marketId: string): Promise<void> {
  const since = new Date(Date.now() - HISTORY_WINDOW_MS).toISOString();
  const result = await api.request<{ priceHistory: { items: PriceUpdateFields[] } }>(PRICE_HISTORY, { marketId, since, limit: 300, nextToken: null }, 'apiKey', { timeoutMs: 10_000 });
  for (const update of result.priceHistory.items) history.add(update);
}
