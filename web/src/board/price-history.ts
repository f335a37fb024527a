/** One published price of one selection: what a chart plots. */
export interface PricePoint {
  version: number;
  /** publishedAt in epoch milliseconds. */
  at: number;
  decimal: number;
}

/** The parts of a PriceUpdate the history keeps. */
export interface HistoryUpdate {
  marketId: string;
  version: number;
  publishedAt: string;
  selections: { selectionId: string; price: { decimal: number } }[];
}

/** Points kept per selection: a few minutes of a busy feed, enough for a trader's glance. */
export const MAX_POINTS = 240;

/**
 * Each selection's price over time, from priceHistory reads and live updates. They overlap and
 * arrive out of order (a catch-up read answers after newer live updates), so points are kept in
 * version order and a version is recorded once.
 */
export class PriceHistory {
  #series = new Map<string, PricePoint[]>();

  add(update: HistoryUpdate): void {
    const at = Date.parse(update.publishedAt);
    for (const selection of update.selections) {
      const key = seriesKey(update.marketId, selection.selectionId);
      let points = this.#series.get(key);
      if (!points) this.#series.set(key, (points = []));
      insertByVersion(points, { version: update.version, at, decimal: selection.price.decimal });
    }
  }

  /** The selection's points, oldest first. */
  points(marketId: string, selectionId: string): readonly PricePoint[] {
    return this.#series.get(seriesKey(marketId, selectionId)) ?? [];
  }
}

function seriesKey(marketId: string, selectionId: string): string {
  return `${marketId}\u0000${selectionId}`;
}

function insertByVersion(points: PricePoint[], point: PricePoint): void {
  let at = points.length;
  while (at > 0 && points[at - 1]!.version > point.version) at -= 1;
  if (at > 0 && points[at - 1]!.version === point.version) return;
  points.splice(at, 0, point);
  if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
}
