import type { Api } from '../graphql/api.ts';
import { PRICE_HISTORY } from '../graphql/operations.ts';
import type { MarketView, PriceUpdateFields } from './market-book.ts';

const PAGE = 100;

export interface CatchUp {
  /** Reads every market's updates since it was last seen; a run asked for while one is going runs after it. */
  run(): Promise<void>;
}

/**
 * The read after a (re)connection: `priceHistory(since: lastSeen)` per market, every page, each
 * update passed to `receive` (the book drops what it already shows by version). Updates that
 * were published while the subscription was down are the ones a live subscriber never gets.
 */
export function createCatchUp(
  api: Api,
  receive: (update: PriceUpdateFields) => void,
  markets: () => MarketView[],
  onError: (error: unknown) => void,
  onRunning: (running: boolean) => void = () => {},
): CatchUp {
  let running: Promise<void> | undefined;
  let again = false;

  async function readAll(): Promise<void> {
    for (const market of markets()) {
      // A nextToken continues the query it came from: the same `since` on every page.
      const since = market.lastSeen;
      let nextToken: string | null = null;
      do {
        const page: { priceHistory: { items: PriceUpdateFields[]; nextToken: string | null } } = await api.request(
          PRICE_HISTORY,
          { marketId: market.id, since, limit: PAGE, nextToken },
          'apiKey',
        );
        for (const update of page.priceHistory.items) receive(update);
        nextToken = page.priceHistory.nextToken;
      } while (nextToken);
    }
  }

  async function loop(): Promise<void> {
    onRunning(true);
    do {
      again = false;
      try {
        await readAll();
      } catch (error) {
        onError(error);
      }
    } while (again);
    running = undefined;
    onRunning(false);
  }

  return {
    run() {
      if (running) {
        again = true;
        return running;
      }
      running = loop();
      return running;
    },
  };
}
