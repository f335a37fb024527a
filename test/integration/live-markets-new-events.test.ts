import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedMessageInput, IngestFeedMutation } from '../../client/generated/operations.ts';
import { INGEST_FEED } from '../../client/operations/documents.ts';
import { eventually } from './test-runtime.ts';
import { startClient, startWorld, untilConsistent } from '../support/live-markets-harness.ts';

/**
 * An event the feed creates while a live-markets client runs appears without a reload (from
 * onEventUpdate), and so do its markets with their prices (an unknown marketId on
 * onPriceUpdate or in a heartbeat: the client reads market(id), then its history).
 */

let world: Awaited<ReturnType<typeof startWorld>>;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.stop());

describe('live markets in Node: what the feed creates', () => {
  it('shows a new event and its new market, priced and live, without a reload', async () => {
    const client = await startClient(world);
    try {
      await untilConsistent(world, client, 60_000);
      const feedId = `new-event-${Date.now()}`;
      const messages: FeedMessageInput[] = [
        { feedId, sequence: 1, type: 'EVENT', event: { eventId: 'evt-new', name: 'Eastport v Westham', sport: 'football', startTime: '2026-12-03T20:00:00.000Z', status: 'SCHEDULED' } },
        { feedId, sequence: 2, type: 'MARKET', market: { marketId: 'mkt-new', eventId: 'evt-new', name: 'Winner', selections: [{ selectionId: 'east', name: 'Eastport' }, { selectionId: 'west', name: 'Westham' }] } },
        { feedId, sequence: 3, type: 'PROBABILITIES', probabilities: { marketId: 'mkt-new', selections: [{ selectionId: 'east', probability: 0.6 }, { selectionId: 'west', probability: 0.4 }] } },
      ];
      const { ingestFeed } = await world.partner.request<IngestFeedMutation>(INGEST_FEED, { messages });
      expect(ingestFeed.accepted).toBe(3);
      await eventually('the new event', () => client.live.events().find((e) => e.id === 'evt-new'), 30_000);
      const market = await eventually('the new market, priced and live', () => {
        const m = client.live.market('mkt-new');
        return m?.price && m.liveness.kind === 'live' ? m : undefined;
      }, 30_000);
      expect(market).toMatchObject({ eventId: 'evt-new', name: 'Winner', status: 'OPEN' });
      expect(market.price!.selections.map((s) => [s.selectionId, s.probability])).toEqual([
        ['east', 0.6],
        ['west', 0.4],
      ]);
      expect(client.changes.some(({ change }) => change.type === 'event' && change.event.id === 'evt-new')).toBe(true);
    } finally {
      await client.stop();
    }
  }, 120_000);
});
