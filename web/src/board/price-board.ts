import type { Api } from '../graphql/api.ts';
import type { ConnectionWatch } from '../graphql/connection.ts';
import { liveSubscription } from '../graphql/live-subscription.ts';
import { EVENT_BY_ID, EVENTS, ON_PRICE_UPDATE } from '../graphql/operations.ts';
import type { BoardView } from './board-view.ts';
import { createCatchUp } from './catch-up.ts';
import type { EventFields, MarketBook, PriceUpdateFields } from './market-book.ts';

/** A board of this many events: subscriptions cover five events each (the schema's `eventIds` limit). */
const MAX_EVENTS = 20;
const EVENTS_PER_SUBSCRIPTION = 5;

export interface PriceBoardOptions {
  api: Api;
  book: MarketBook;
  view: BoardView;
  connection: ConnectionWatch;
  onError(error: unknown): void;
}

/**
 * The anonymous price board (API key): reads the events with their markets, subscribes to
 * onPriceUpdate per event (`eventId`, or `eventIds` for up to five), and each time a
 * subscription is acknowledged — the first time too, which closes the gap between the first
 * read and the subscription — catches up with priceHistory(since: lastSeen).
 */
export async function startPriceBoard({ api, book, view, connection, onError }: PriceBoardOptions): Promise<{ stop(): void }> {
  book.load(await readEvents(api));
  view.render(book.events());
  const stopBook = book.onChange((market, changes) => view.update(market, changes));
  const catchUp = createCatchUp(api, book, onError);

  const rereading = new Set<string>();
  async function rereadEvent(eventId: string, update: PriceUpdateFields): Promise<void> {
    if (rereading.has(eventId)) return;
    rereading.add(eventId);
    try {
      const { event } = await api.request<{ event: EventFields | null }>(EVENT_BY_ID, { id: eventId }, 'apiKey');
      if (event) {
        book.load([event]);
        view.render(book.events());
        book.apply(update);
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
          const outcome = book.apply(onPriceUpdate);
          // A market the feed added after the first read: its event is read again.
          if (outcome.kind === 'unknown-market') void rereadEvent(outcome.eventId, onPriceUpdate);
        },
        onAcknowledged: () => void catchUp.run(),
        onError,
      }),
    );
  }

  return {
    stop() {
      for (const stop of stops.splice(0)) stop();
      stopBook();
    },
  };
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
