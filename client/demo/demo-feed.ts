import type { FeedMessageInput } from '../generated/operations.ts';

/**
 * The demo partner feed of `npm start`: one football event with three markets, then new
 * probabilities for every market on each tick (a bounded random walk), so prices move every
 * second through the real ingest path (ingestFeed → markets stream → price-engine → publish).
 */

export interface DemoMarket {
  id: string;
  name: string;
  selections: { id: string; name: string; start: number }[];
}

export const demoEvent = {
  id: 'evt-demo-1',
  name: 'Harbour City v Northside Rovers',
  sport: 'football',
  markets: [
    {
      id: 'mkt-demo-1-match-odds',
      name: 'Match result',
      selections: [
        { id: 'home', name: 'Harbour City', start: 0.45 },
        { id: 'draw', name: 'Draw', start: 0.28 },
        { id: 'away', name: 'Northside Rovers', start: 0.27 },
      ],
    },
    {
      id: 'mkt-demo-1-total-goals',
      name: 'Total goals over/under 2.5',
      selections: [
        { id: 'over', name: 'Over 2.5', start: 0.55 },
        { id: 'under', name: 'Under 2.5', start: 0.45 },
      ],
    },
    {
      id: 'mkt-demo-1-btts',
      name: 'Both teams to score',
      selections: [
        { id: 'yes', name: 'Yes', start: 0.52 },
        { id: 'no', name: 'No', start: 0.48 },
      ],
    },
  ] satisfies DemoMarket[],
};

export interface DemoFeed {
  feedId: string;
  /** The event and its markets, then their first probabilities. */
  opening(): FeedMessageInput[];
  /** New probabilities for every market. */
  tick(): FeedMessageInput[];
}

/** `random` is injectable so tests can make the walk repeatable. */
export function createDemoFeed(feedId: string, random: () => number = Math.random): DemoFeed {
  let sequence = 0;
  const weights = new Map(demoEvent.markets.map((m) => [m.id, m.selections.map((s) => s.start)]));
  const next = () => (sequence += 1);
  const sentAt = () => new Date().toISOString();

  const probabilities = (market: DemoMarket): FeedMessageInput => ({
    feedId,
    sequence: next(),
    type: 'PROBABILITIES',
    sentAt: sentAt(),
    probabilities: {
      marketId: market.id,
      selections: normalised(weights.get(market.id)!).map((probability, i) => ({ selectionId: market.selections[i]!.id, probability })),
    },
  });

  return {
    feedId,
    opening: () => [
      {
        feedId,
        sequence: next(),
        type: 'EVENT',
        sentAt: sentAt(),
        event: { eventId: demoEvent.id, name: demoEvent.name, sport: demoEvent.sport, startTime: kickOff(), status: 'LIVE' },
      },
      ...demoEvent.markets.map(
        (market): FeedMessageInput => ({
          feedId,
          sequence: next(),
          type: 'MARKET',
          sentAt: sentAt(),
          market: { marketId: market.id, eventId: demoEvent.id, name: market.name, selections: market.selections.map((s) => ({ selectionId: s.id, name: s.name })) },
        }),
      ),
      ...demoEvent.markets.map(probabilities),
    ],
    tick: () =>
      demoEvent.markets.map((market) => {
        // Each weight moves by up to ±6 %, kept between 0.05 and 0.9 before normalising.
        weights.set(
          market.id,
          weights.get(market.id)!.map((w) => Math.min(0.9, Math.max(0.05, w * (1 + (random() - 0.5) * 0.12)))),
        );
        return probabilities(market);
      }),
  };
}

/** Probabilities rounded to 4 places that sum to exactly 1 (the last takes the remainder). */
export function normalised(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const rounded = weights.map((w) => Math.round((w / total) * 10_000) / 10_000);
  const rest = rounded.slice(0, -1).reduce((a, b) => a + b, 0);
  rounded[rounded.length - 1] = Math.round((1 - rest) * 10_000) / 10_000;
  return rounded;
}

function kickOff(): string {
  const now = new Date();
  now.setUTCMinutes(0, 0, 0);
  return now.toISOString();
}
