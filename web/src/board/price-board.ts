import type { Api } from '../graphql/api.ts';
import type { ConnectionWatch } from '../graphql/connection.ts';
import { apiErrors, describeError } from '../graphql/errors.ts';
import { liveSubscription } from '../graphql/live-subscription.ts';
import { EVENT_BY_ID, EVENTS, ON_EVENT_UPDATE, ON_HEARTBEAT, ON_PRICE_UPDATE, PRICE_HISTORY } from '../graphql/operations.ts';
import type { BoardView } from './board-view.ts';
import { createCatchUp } from './catch-up.ts';
import type { EventFields, MarketBook, PriceUpdateFields } from './market-book.ts';
import { MarketFreshness, type HeartbeatFields } from './market-freshness.ts';
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

export interface PriceBoard {
  /** Reads what was published since each market was last seen (after a reconnect, back in the foreground). */
  catchUp(): Promise<boolean>;
  /** One read of every market now, beside any under way (see CatchUp.readNow). */
  readNow(): Promise<boolean>;
  freshness: MarketFreshness;
  stop(): void;
}

/**
 * The anonymous price board (API key): reads the events with their markets, subscribes to
 * onPriceUpdate per event (`eventId`, or `eventIds` for up to five), to onHeartbeat and to
 * onEventUpdate, and each time a subscription is acknowledged — the first time too, which closes
 * the gap between the first read and the subscription — catches up with
 * priceHistory(since: lastSeen). A heartbeat or an update naming a version above the one shown
 * (previousVersion) means a publication was missed: the same catch-up reads it. Freshness keeps,
 * per market, when its prices were last known to be the server's.
 */
export async function startPriceBoard({ api, book, history, view, connection, onError, onCatchingUp }: PriceBoardOptions): Promise<PriceBoard> {
  const freshness = new MarketFreshness(Date.now());
  book.load(await readEvents(api));
  view.render(book.events());
  const stopBook = book.onChange((market, changes) => view.update(market, changes));
  const receive = (update: PriceUpdateFields) => {
    history.add(update);
    return book.apply(update);
  };
  // A failed read is retried (after the next acknowledgement, heartbeat or poll); until then the
  // markets' freshness runs out and they show as stale, which says more than an error line.
  const catchUpFailed = (error: unknown) => console.warn(`catch-up read failed: ${apiErrors(error).map(describeError).join('; ')}`);
  const catchUp = createCatchUp(api, receive, () => book.markets(), catchUpFailed, (running) => onCatchingUp?.(running), (startedAt) => {
    // A finished read shows every market as the server had it when the read began.
    for (const [marketId, version] of book.shownVersions()) freshness.confirm(marketId, startedAt, version);
  });
  void readRecentHistory(api, history, book.markets().map((m) => m.id)).then(() => {
    for (const market of book.markets()) view.update(market, []);
  }, onError);

  const rereading = new Set<string>();
  async function rereadEvent(eventId: string, update?: PriceUpdateFields): Promise<void> {
    if (rereading.has(eventId)) return;
    rereading.add(eventId);
    try {
      const { event } = await api.request<{ event: EventFields | null }>(EVENT_BY_ID, { id: eventId }, 'apiKey');
      if (event) {
        const isNew = !book.events().some((e) => e.id === event.id);
        book.load([event]);
        view.render(book.events());
        if (update) receive(update);
        if (isNew) subscribePrices([event.id]);
      }
    } catch (error) {
      onError(error);
    } finally {
      rereading.delete(eventId);
    }
  }

  const stops: (() => void)[] = [];
  function subscribePrices(eventIds: string[]): void {
    stops.push(
      liveSubscription<{ onPriceUpdate: PriceUpdateFields | null }>({
        api,
        connection,
        query: ON_PRICE_UPDATE,
        variables: eventIds.length === 1 ? { eventId: eventIds[0] } : { eventIds },
        authMode: 'apiKey',
        next: ({ onPriceUpdate }) => {
          if (!onPriceUpdate) return;
          const now = Date.now();
          freshness.heard(now);
          const shown = book.market(onPriceUpdate.marketId);
          const missed = shown !== undefined && (onPriceUpdate.previousVersion ?? 0) > (shown.priceVersion || shown.version);
          const outcome = receive(onPriceUpdate);
          // A market the feed added after the first read: its event is read again.
          if (outcome.kind === 'unknown-market') void rereadEvent(outcome.eventId, onPriceUpdate);
          else if (missed) void catchUp.run();
          else freshness.confirm(onPriceUpdate.marketId, freshness.localTime(onPriceUpdate.publishedAt, now), onPriceUpdate.version);
        },
        onAcknowledged: () => void catchUp.run(),
        onError,
      }),
    );
  }
  const ids = book.events().map((event) => event.id);
  for (let i = 0; i < ids.length; i += EVENTS_PER_SUBSCRIPTION) subscribePrices(ids.slice(i, i + EVENTS_PER_SUBSCRIPTION));

  stops.push(
    liveSubscription<{ onHeartbeat: HeartbeatFields | null }>({
      api,
      connection,
      query: ON_HEARTBEAT,
      variables: {},
      authMode: 'apiKey',
      next: ({ onHeartbeat }) => {
        if (!onHeartbeat) return;
        const missed = freshness.heartbeat(onHeartbeat, Date.now(), book.shownVersions());
        // A market the board does not know yet (created by the feed): its event is read.
        for (const { marketId, eventId } of onHeartbeat.markets) if (!book.market(marketId)) void rereadEvent(eventId);
        if (missed.length > 0) void catchUp.run();
      },
      onAcknowledged: () => freshness.heard(Date.now()),
      onError,
    }),
    liveSubscription<{ onEventUpdate: (Omit<EventFields, 'markets'> & { updatedAt: string }) | null }>({
      api,
      connection,
      query: ON_EVENT_UPDATE,
      variables: {},
      authMode: 'apiKey',
      next: ({ onEventUpdate }) => {
        if (!onEventUpdate) return;
        freshness.heard(Date.now());
        if (book.updateEvent(onEventUpdate)) view.render(book.events());
        else void rereadEvent(onEventUpdate.id);
      },
      onAcknowledged: () => {},
      onError,
    }),
  );

  return {
    catchUp: () => catchUp.run(),
    readNow: () => catchUp.readNow(),
    freshness,
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
