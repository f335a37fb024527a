import type { Api } from '../graphql/api.ts';
import { PRICE_HISTORY, priceHistoryOfMarkets } from '../graphql/operations.ts';
import type { MarketView, PriceUpdateFields } from './market-book.ts';

const PAGE = 100;
/** Markets per batched request. */
const MARKETS_PER_READ = 10;
/**
 * A read that has not answered by then is cancelled: on a black-holed path the browser may have
 * sent it on a kept-alive connection that will never answer. Each timeout doubles the next
 * read's allowance (a slow link's long answer still gets through), up to the maximum; an answer
 * resets it.
 */
const READ_TIMEOUT_MS = { first: 2_500, max: 16_000 };
/** Reads beside a running one (readNow) at most: hung reads must not fill the browser's connections to the host (6). */
const MAX_PARALLEL_READS = 2;

type HistoryPage = { items: PriceUpdateFields[]; nextToken: string | null };

export interface CatchUp {
  /**
   * Reads every market's updates since it was last seen; a run asked for while one is going runs
   * after it. Resolves true when the last run read everything.
   */
  run(): Promise<boolean>;
  /**
   * One read now, beside any that is under way: while the network is down a read may hang until
   * its timeout, and the one after the network returns must not wait for it. Resolves false
   * without reading when MAX_PARALLEL_READS are already out.
   */
  readNow(): Promise<boolean>;
}

/**
 * The read after a (re)connection: `priceHistory(since: lastSeen)` for every market (batched,
 * then every further page), each update passed to `receive` (the book drops what it already
 * shows by version). Updates that were published while the subscription was down are the ones a
 * live subscriber never gets. `onRead(startedAt)` follows each complete read: the board then
 * shows what the server had.
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
  let parallel = 0;
  let timeoutMs = READ_TIMEOUT_MS.first;

  async function request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    try {
      const data = await api.request<T>(query, variables, 'apiKey', { timeoutMs });
      timeoutMs = READ_TIMEOUT_MS.first;
      return data;
    } catch (error) {
      if (error instanceof Error && / did not answer within /.test(error.message)) timeoutMs = Math.min(timeoutMs * 2, READ_TIMEOUT_MS.max);
      throw error;
    }
  }

  async function readBatch(batch: MarketView[]): Promise<void> {
    // A nextToken continues the query it came from: the same `since` on every page.
    const since = batch.map((market) => market.lastSeen);
    const variables: Record<string, unknown> = { limit: PAGE };
    batch.forEach((market, i) => Object.assign(variables, { [`m${i}`]: market.id, [`s${i}`]: since[i] }));
    const first = await request<Record<string, HistoryPage>>(priceHistoryOfMarkets(batch.length), variables);
    await Promise.all(
      batch.map(async (market, i) => {
        let page = first[`m${i}`]!;
        for (;;) {
          for (const update of page.items) receive(update);
          if (!page.nextToken) return;
          page = (await request<{ priceHistory: HistoryPage }>(PRICE_HISTORY, { marketId: market.id, since: since[i], limit: PAGE, nextToken: page.nextToken })).priceHistory;
        }
      }),
    );
  }

  async function readAll(): Promise<boolean> {
    const startedAt = Date.now();
    const all = markets();
    try {
      const batches: MarketView[][] = [];
      for (let i = 0; i < all.length; i += MARKETS_PER_READ) batches.push(all.slice(i, i + MARKETS_PER_READ));
      await Promise.all(batches.map(readBatch));
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
    async readNow() {
      if (parallel >= MAX_PARALLEL_READS) return false;
      parallel += 1;
      try {
        return await readAll();
      } finally {
        parallel -= 1;
      }
    },
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
