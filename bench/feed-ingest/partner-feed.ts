/**
 * The feed-ingest benchmark's partners: each partner is one feed with its own event and
 * two-way markets (yes/no). Every PROBABILITIES message of a market carries a distinct "yes"
 * probability that encodes its per-market index, so a publication names the newest message of
 * its market that it reflects (a conflated publication covers every earlier one too).
 */
import type { FeedMessageInput } from '../../client/generated/operations.ts';

/** Indexes 0..MAX_STATE_INDEX fit in "yes" probabilities 0.1000..0.8999 at 4 decimals. */
const MAX_STATE_INDEX = 7_999;

export interface PartnerFeed {
  feedId: string;
  eventId: string;
  marketIds: string[];
  /** The event, its markets and their first probabilities (state index 0), in sequence order. */
  opening(): FeedMessageInput[];
  /** The next PROBABILITIES message of a market, with the market's next state index. */
  probabilities(marketId: string): { message: FeedMessageInput; stateIndex: number };
}

/** Partner `partner` of a phase named `tag`: fresh ids, so every message of it is new to the ledger. */
export function createPartnerFeed(tag: string, partner: number, marketCount: number): PartnerFeed {
  const feedId = `bench-${tag}-feed-${partner}`;
  const eventId = partnerEventId(tag, partner);
  const marketIds = Array.from({ length: marketCount }, (_, m) => `${eventId}-mkt-${m}`);
  const nextIndex = new Map(marketIds.map((id) => [id, 0]));
  let sequence = 0;
  const sentAt = () => new Date().toISOString();

  const probabilities = (marketId: string) => {
    const stateIndex = nextIndex.get(marketId);
    if (stateIndex === undefined) throw new Error(`${feedId}: market ${marketId} is not one of its ${marketCount} markets`);
    if (stateIndex > MAX_STATE_INDEX) throw new Error(`${feedId}: market ${marketId} ran out of distinct probabilities after ${MAX_STATE_INDEX + 1} messages; spread the load over more markets`);
    nextIndex.set(marketId, stateIndex + 1);
    const yes = yesOf(stateIndex);
    const message: FeedMessageInput = {
      feedId,
      sequence: (sequence += 1),
      type: 'PROBABILITIES',
      sentAt: sentAt(),
      probabilities: { marketId, selections: [{ selectionId: 'yes', probability: yes }, { selectionId: 'no', probability: round4(1 - yes) }] },
    };
    return { message, stateIndex };
  };

  return {
    feedId,
    eventId,
    marketIds,
    opening: () => [
      { feedId, sequence: (sequence += 1), type: 'EVENT', sentAt: sentAt(), event: { eventId, name: `Bench ${tag} ${partner}`, sport: 'football', startTime: sentAt(), status: 'LIVE' } },
      ...marketIds.map(
        (marketId): FeedMessageInput => ({
          feedId,
          sequence: (sequence += 1),
          type: 'MARKET',
          sentAt: sentAt(),
          market: { marketId, eventId, name: `Market ${marketId}`, selections: [{ selectionId: 'yes', name: 'Yes' }, { selectionId: 'no', name: 'No' }] },
        }),
      ),
      ...marketIds.map((marketId) => probabilities(marketId).message),
    ],
    probabilities,
  };
}

/** The event of partner `partner` in the phase `tag` (what a subscriber filters on). */
export function partnerEventId(tag: string, partner: number): string {
  return `bench-${tag}-evt-${partner}`;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const yesOf = (stateIndex: number) => round4(0.1 + stateIndex / 10_000);

/** The state index a publication's "yes" probability encodes. */
export function stateIndexOf(yesProbability: number): number {
  return Math.round((yesProbability - 0.1) * 10_000);
}

/** A small seeded generator (mulberry32), so that a run's choice of markets is repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
