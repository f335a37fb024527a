import type { MarketInfo, PriceUpdate } from '../../../sdk/live-markets/index.ts';

/** A publication of market `marketId` at `version`, chained on `previousVersion`, published `atMs` after 12:00. */
export function publication(marketId: string, version: number, previousVersion: number | null, atMs = version * 1000): PriceUpdate {
  return {
    marketId,
    eventId: 'evt-1',
    sport: 'football',
    version,
    previousVersion,
    status: 'OPEN',
    margin: 0.05,
    selections: [{ selectionId: 'home', name: 'Home', probability: 0.5, price: { decimal: 1.9, fractional: '9/10', american: -111, impliedProbability: 0.5263 } }],
    publishedAt: new Date(Date.UTC(2026, 11, 3, 12, 0, 0) + atMs).toISOString(),
    source: 'FEED',
  };
}

export function marketInfo(id: string, version: number, atMs = version * 1000): MarketInfo {
  return {
    id,
    eventId: 'evt-1',
    name: `Market ${id}`,
    status: 'OPEN',
    margin: 0.05,
    version,
    updatedAt: new Date(Date.UTC(2026, 11, 3, 12, 0, 0) + atMs).toISOString(),
    selections: [{ id: 'home', name: 'Home', probability: 0.5 }],
  };
}

/** Timers that run only when the test advances time. */
export class ManualClock {
  private time = Date.UTC(2026, 11, 3, 12, 0, 0);
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  /** Moves time forward, running each timer due on the way (and promises between them). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
    await settle();
  }
}

/** Lets every pending promise callback run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
