import type { Api } from '../graphql/api.ts';
import { PRICE_HISTORY } from '../graphql/operations.ts';
import type { MarketView, PriceUpdateFields } from './market-book.ts';

const PAGE = 100;
/**
 * A read that has not answered by then is cancelled: on a black-holed path the browser may have
 * sent it on a kept-alive connection that will never answer.
 */
const READ_TIMEOUT_MS = 4_000;

export interface CatchUp {
  /**
   * Reads every market's updates since it was last seen; a run asked for while one is going runs
   * after it. Resolves true when the last run read everything.
   */
  run(): Promise<boolean>;
  /**
   * One read now, beside any that is under way: while the network is down a read may hang until
   * its timeout, and the one after the network returns must not wait for it.
   */
  readNow(): Promise<boolean>;
}

/**
 * The read after a (re)connection: `priceHistory(since: lastSeen)` per market, every page, each
 * update passed to `receive` (the book drops what it already shows by version). Updates that
 * were published while the subscription was down are the ones a live subscriber never gets.
 * `onRead(startedAt)` follows each complete read: the board then shows what the server had.
 */
export function createCatchUp(
  api: Api,
  receive: (update: PriceUpdateFields) => void,
  markets: () => MarketView[],
  onError: (error: unknown) => void,
  onRunning: (running: boolean) => void = () => {},
  onRead: (startedAt: number) => void = () => {},
): CatchUp {
  let running: Promise<boolean> | undefined;
  let again = false;

  async function readMarket(market: MarketView): Promise<void> {
    // A nextToken continues the query it came from: the same `since` on every page.
    const since = market.lastSeen;
    let nextToken: string | null = null;
    do {
      const page: { priceHistory: { items: PriceUpdateFields[]; nextToken: string | null } } = await api.request(
        PRICE_HISTORY,
        { marketId: market.id, since, limit: PAGE, nextToken },
        'apiKey',
        { timeoutMs: READ_TIMEOUT_MS },
      );
      for (const update of page.priceHistory.items) receive(update);
      nextToken = page.priceHistory.nextToken;
    } while (nextToken);
  }

  async function readAll(): Promise<boolean> {
    const startedAt = Date.now();
    try {
      await Promise.all(markets().map(readMarket));
      onRead(startedAt);
      return true;
    } catch (error) {
      onError(error);
      return false;
    }
  }

  async function loop(): Promise<boolean> {
    onRunning(true);
    let ok = false;
    do {
      again = false;
      ok = await readAll();
    } while (again);
    running = undefined;
    onRunning(false);
    return ok;
  }

  return {
    readNow: readAll,
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
