import type { Api } from '../graphql/api.ts';
import type { ConnectionWatch } from '../graphql/connection.ts';
import { liveSubscription } from '../graphql/live-subscription.ts';
import { EVENT_BY_ID, EVENTS, ON_PRICE_UPDATE, PRICE_HISTORY } from '../graphql/operations.ts';
import type { BoardView } from './board-view.ts';
import { createCatchUp } from './catch-up.ts';
import type { EventFields, MarketBook, PriceUpdateFields } from './market-book.ts';
import type { PriceHistory } from './price-history.ts';

/** A board of this many events: subscriptions cover five events each (the schema's `eventIds` limit). */
const MAX_EVENTS = 20;
const EVENTS_PER_SUBSCRIPTION = 5;

export interface PriceBoardOptions {
  api: Api;
  book: MarketBook;
  history: PriceHistory;
  view: BoardView;
  connection: ConnectionWatch;
  onError(error: unknown): void;
  /** A catch-up read started (true) or finished (false). */
  onCatchingUp?(running: boolean): void;
}

/**
 * The anonymous price board (API key): reads the events with their markets, subscribes to
 * onPriceUpdate per event (`eventId`, or `eventIds` for up to five), and each time a
 * subscription is acknowledged — the first time too, which closes the gap between the first
 * read and the subscription — catches up with priceHistory(since: lastSeen).
 */
export async function startPriceBoard({ api, book, history, view, connection, onError, onCatchingUp }: PriceBoardOptions): Promise<{ stop(): void; catchUp(): Promise<void> }> {
  book.load(await readEvents(api));
  view.render(book.events());
  const stopBook = book.onChange((market, changes) => view.update(market, changes));
  const receive = (update: PriceUpdateFields) => {
    history.add(update);
    return book.apply(update);
  };
  const catchUp = createCatchUp(api, receive, () => book.markets(), onError, onCatchingUp);
  void readRecentHistory(api, history, book.markets().map((m) => m.id)).then(() => {
    for (const market of book.markets()) view.update(market, []);
  }, onError);

  const rereading = new Set<string>();
  async function rereadEvent(eventId: string, update: PriceUpdateFields): Promise<void> {
    if (rereading.has(eventId)) return;
    rereading.add(eventId);
    try {
      const { event } = await api.request<{ event: EventFields | null }>(EVENT_BY_ID, { id: eventId }, 'apiKey');
      if (event) {
        book.load([event]);
        view.render(book.events());
        receive(update);
      }
    } catch (error) {
      onError(error);
    } finally {
      rereading.delete(eventId);
    }
  }

  const stops: (() => void)[] = [];
  const ids = book.events().map((event) => event.id);
  for (let i = 0; i < ids.length; i += EVENTS_PER_SUBSCRIPTION) {
    const eventIds = ids.slice(i, i + EVENTS_PER_SUBSCRIPTION);
    stops.push(
      liveSubscription<{ onPriceUpdate: PriceUpdateFields | null }>({
        api,
        connection,
        query: ON_PRICE_UPDATE,
        variables: eventIds.length === 1 ? { eventId: eventIds[0] } : { eventIds },
        authMode: 'apiKey',
        next: ({ onPriceUpdate }) => {
          if (!onPriceUpdate) return;
          const outcome = receive(onPriceUpdate);
          // A market the feed added after the first read: its event is read again.
          if (outcome.kind === 'unknown-market') void rereadEvent(outcome.eventId, onPriceUpdate);
        },
        onAcknowledged: () => void catchUp.run(),
        onError,
      }),
    );
  }

  return {
    catchUp: () => catchUp.run(),
    stop() {
      for (const stop of stops.splice(0)) stop();
      stopBook();
    },
  };
}

/** How far back the charts start when the page opens. */
const HISTORY_WINDOW_MS = 4 * 60_000;
const HISTORY_PAGES = 3;

/** The charts' first points: each market's recent publications (its newest live ones follow). */
async function readRecentHistory(api: Api, history: PriceHistory, marketIds: string[]): Promise<void> {
  const since = new Date(Date.now() - HISTORY_WINDOW_MS).toISOString();
  await Promise.all(
    marketIds.map(async (marketId) => {
      let nextToken: string | null = null;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const result: { priceHistory: { items: PriceUpdateFields[]; nextToken: string | null } } = await api.request(PRICE_HISTORY, { marketId, since, limit: 100, nextToken }, 'apiKey');
        for (const update of result.priceHistory.items) history.add(update);
        nextToken = result.priceHistory.nextToken;
        if (!nextToken) break;
      }
    }),
  );
}

async function readEvents(api: Api): Promise<EventFields[]> {
  const events: EventFields[] = [];
  let nextToken: string | null = null;
  do {
    const page: { events: { items: EventFields[]; nextToken: string | null } } = await api.request(EVENTS, { limit: MAX_EVENTS, nextToken }, 'apiKey');
    events.push(...page.events.items);
    nextToken = page.events.nextToken;
  } while (nextToken && events.length < MAX_EVENTS);
  return events.slice(0, MAX_EVENTS);
}
