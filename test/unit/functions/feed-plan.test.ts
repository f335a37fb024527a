import { describe, expect, it } from 'vitest';
import { processingOrder } from '../../../functions/domain/feed/batch-order.ts';
import { planFeedMessage, targetOf, type FeedDecision, type FeedState } from '../../../functions/domain/feed/plan-message.ts';
import type { ValidFeedMessage } from '../../../functions/domain/feed/messages.ts';
import type { EventItem, MarketItem } from '../../../functions/domain/market/market.ts';
import { eventMessage, marketMessage, probabilitiesMessage, resultMessage, statusMessage } from './feed-messages.ts';

const context = { caller: 'arn:aws:sts::123456789012:assumed-role/PartnerFeedRole/partner', now: '2026-05-01T12:00:00.000Z' };
const lastChange = { source: 'FEED', by: context.caller, at: context.now };
const plan = (message: unknown, state: FeedState): FeedDecision => planFeedMessage(message as ValidFeedMessage, state, context);

const event: EventItem = { id: 'e1', name: 'Reds v Blues', sport: 'football', startTime: '2026-05-01T19:45:00Z', status: 'SCHEDULED', watermarks: { definition: { 'partner-a': 1 } } };
const market: MarketItem = {
  id: 'm1',
  eventId: 'e1',
  sport: 'football',
  name: 'Match result',
  status: 'OPEN',
  margin: 0.05,
  version: 4,
  feedSequence: 5,
  selections: [
    { id: 'home', name: 'HOME', probability: 0.5 },
    { id: 'draw', name: 'DRAW', probability: 0.3 },
    { id: 'away', name: 'AWAY', probability: 0.2 },
  ],
  watermarks: { definition: { 'partner-a': 2 }, probabilities: { 'partner-a': 5 }, status: {}, result: {} },
};

describe('targetOf', () => {
  it('names the item and aspect each type changes', () => {
    expect(targetOf(eventMessage(1) as ValidFeedMessage)).toEqual({ table: 'events', id: 'e1', aspect: 'definition' });
    expect(targetOf(marketMessage(1) as ValidFeedMessage)).toEqual({ table: 'markets', id: 'm1', aspect: 'definition', eventId: 'e1' });
    expect(targetOf(probabilitiesMessage(1, {}) as ValidFeedMessage)).toMatchObject({ aspect: 'probabilities' });
    expect(targetOf(statusMessage(1, 'OPEN') as ValidFeedMessage)).toMatchObject({ aspect: 'status' });
    expect(targetOf(resultMessage(1, ['home']) as ValidFeedMessage)).toMatchObject({ aspect: 'result' });
  });
});

describe('planFeedMessage: EVENT', () => {
  it('creates a new event with its first watermark', () => {
    expect(plan(eventMessage(1), {})).toEqual({
      outcome: 'ACCEPTED',
      change: {
        table: 'events',
        id: 'e1',
        create: { id: 'e1', name: 'Reds v Blues', sport: 'football', startTime: '2026-05-01T19:45:00Z', status: 'SCHEDULED', updatedAt: context.now, watermarks: { definition: { 'partner-a': 1 } } },
      },
    });
  });

  it('updates an existing event, raising only this feed’s watermark', () => {
    expect(plan(eventMessage(3, { status: 'LIVE' }), { event })).toEqual({
      outcome: 'ACCEPTED',
      change: {
        table: 'events',
        id: 'e1',
        set: { name: 'Reds v Blues', sport: 'football', startTime: '2026-05-01T19:45:00Z', status: 'LIVE', updatedAt: context.now },
        watermark: { mode: 'feed', aspect: 'definition', feedId: 'partner-a', sequence: 3 },
      },
    });
  });

  it('creates the watermark path that is missing on an item written by someone else', () => {
    const { watermarks: _w, ...bare } = event;
    expect(plan(eventMessage(3), { event: bare })).toMatchObject({ change: { watermark: { mode: 'item', value: { definition: { 'partner-a': 3 } } } } });
    expect(plan(eventMessage(3), { event: { ...event, watermarks: {} } })).toMatchObject({ change: { watermark: { mode: 'aspect', aspect: 'definition', value: { 'partner-a': 3 } } } });
  });

  it('is STALE at or below the feed’s watermark; another feed has its own', () => {
    expect(plan(eventMessage(1), { event })).toEqual({ outcome: 'STALE', reason: 'feed partner-a already applied sequence 1 to event e1; sequence 1 is not newer' });
    expect(plan(eventMessage(1, {}, 'partner-b'), { event }).outcome).toBe('ACCEPTED');
  });
});

describe('planFeedMessage: MARKET', () => {
  it('creates an OPEN market at version 1 with the default margin and the event’s sport', () => {
    expect(plan(marketMessage(2), { event })).toEqual({
      outcome: 'ACCEPTED',
      change: {
        table: 'markets',
        id: 'm1',
        create: {
          id: 'm1',
          eventId: 'e1',
          sport: 'football',
          name: 'Match result',
          status: 'OPEN',
          margin: 0.05,
          version: 1,
          feedSequence: 2,
          selections: [{ id: 'home', name: 'HOME' }, { id: 'draw', name: 'DRAW' }, { id: 'away', name: 'AWAY' }],
          lastChange,
          watermarks: { definition: { 'partner-a': 2 } },
          updatedAt: context.now,
        },
      },
    });
  });

  it('needs the event', () => {
    expect(plan(marketMessage(2), {})).toEqual({ outcome: 'REJECTED', field: 'market.eventId', reason: 'event e1 does not exist; send its EVENT message first' });
  });

  it('keeps probabilities when the selections stay the same, renamed or reordered', () => {
    const decision = plan(
      marketMessage(6, ['away', 'home', 'draw'], { name: 'Full-time result' }),
      { event, market },
    );
    expect(decision).toEqual({
      outcome: 'ACCEPTED',
      change: {
        table: 'markets',
        id: 'm1',
        set: {
          name: 'Full-time result',
          sport: 'football',
          selections: [{ id: 'away', name: 'AWAY', probability: 0.2 }, { id: 'home', name: 'HOME', probability: 0.5 }, { id: 'draw', name: 'DRAW', probability: 0.3 }],
          version: 5,
          feedSequence: 6,
          lastChange,
          updatedAt: context.now,
        },
        expectedVersion: 4,
        watermark: { mode: 'feed', aspect: 'definition', feedId: 'partner-a', sequence: 6 },
      },
    });
  });

  it('clears probabilities when the set of selections changes', () => {
    const decision = plan(marketMessage(6, ['home', 'away']), { event, market });
    expect(decision).toMatchObject({ change: { set: { selections: [{ id: 'home', name: 'HOME' }, { id: 'away', name: 'AWAY' }] } } });
  });

  it('keeps feedSequence at the highest sequence applied', () => {
    expect(plan(marketMessage(3), { event, market })).toMatchObject({ change: { set: { feedSequence: 5 } } });
  });

  it('refuses moving a market to another event and redefining a settled one', () => {
    expect(plan(marketMessage(6, undefined, { eventId: 'e2' }), { event: { ...event, id: 'e2' }, market })).toEqual({
      outcome: 'REJECTED',
      field: 'market.eventId',
      reason: 'market m1 belongs to event e1; a market cannot move to event e2',
    });
    expect(plan(marketMessage(6), { event, market: { ...market, status: 'SETTLED' } })).toEqual({ outcome: 'REJECTED', field: 'market.marketId', reason: 'market m1 is SETTLED; its definition is final' });
  });

  it('is STALE below the definition watermark even when other aspects are newer', () => {
    expect(plan(marketMessage(2), { event, market }).outcome).toBe('STALE');
    expect(plan(marketMessage(3), { event, market }).outcome).toBe('ACCEPTED');
  });
});

describe('planFeedMessage: PROBABILITIES', () => {
  it('sets every selection’s probability, in the market’s order', () => {
    expect(plan(probabilitiesMessage(6, { away: 0.3, home: 0.4, draw: 0.3 }), { market })).toMatchObject({
      outcome: 'ACCEPTED',
      change: { set: { selections: [{ id: 'home', probability: 0.4 }, { id: 'draw', probability: 0.3 }, { id: 'away', probability: 0.3 }], version: 5 }, expectedVersion: 4 },
    });
  });

  it('rejects unknown selections, missing ones, unknown markets and closed markets', () => {
    expect(plan(probabilitiesMessage(6, { home: 0.4, draw: 0.3, void: 0.3 }), { market })).toEqual({
      outcome: 'REJECTED',
      field: 'probabilities.selections[2].selectionId',
      reason: 'selection void is not a selection of market m1 (home, draw, away)',
    });
    expect(plan(probabilitiesMessage(6, { home: 0.5, draw: 0.5 }), { market })).toEqual({
      outcome: 'REJECTED',
      field: 'probabilities.selections',
      reason: 'every selection of market m1 needs a probability; missing away',
    });
    expect(plan(probabilitiesMessage(6, { home: 1 }, 'nope'), {})).toEqual({ outcome: 'REJECTED', field: 'probabilities.marketId', reason: 'market nope does not exist; send its MARKET message first' });
    expect(plan(probabilitiesMessage(6, { home: 0.4, draw: 0.3, away: 0.3 }), { market: { ...market, status: 'CLOSED' } })).toEqual({
      outcome: 'REJECTED',
      field: 'probabilities.marketId',
      reason: 'market m1 is CLOSED; it takes no more probabilities',
    });
  });

  it('is STALE at or below the probabilities watermark', () => {
    expect(plan(probabilitiesMessage(5, { home: 0.4, draw: 0.3, away: 0.3 }), { market })).toEqual({
      outcome: 'STALE',
      reason: 'feed partner-a already applied sequence 5 to the probabilities of market m1; sequence 5 is not newer',
    });
  });
});

describe('planFeedMessage: MARKET_STATUS and RESULT', () => {
  it('allows the feed’s status transitions', () => {
    expect(plan(statusMessage(6, 'SUSPENDED'), { market })).toMatchObject({
      outcome: 'ACCEPTED',
      change: { set: { status: 'SUSPENDED', version: 5 }, watermark: { mode: 'feed', aspect: 'status', feedId: 'partner-a', sequence: 6 } },
    });
    expect(plan(statusMessage(6, 'OPEN'), { market: { ...market, status: 'SUSPENDED' } }).outcome).toBe('ACCEPTED');
    expect(plan(statusMessage(6, 'CLOSED'), { market }).outcome).toBe('ACCEPTED');
    expect(plan(statusMessage(6, 'OPEN'), { market }).outcome).toBe('ACCEPTED');
  });

  it('refuses the others, saying what is allowed', () => {
    expect(plan(statusMessage(6, 'OPEN'), { market: { ...market, status: 'CLOSED' } })).toEqual({ outcome: 'REJECTED', field: 'marketStatus.status', reason: 'a CLOSED market cannot become OPEN: that status is final' });
    expect(plan(statusMessage(6, 'OPEN'), { market: { ...market, status: 'SETTLED' } })).toEqual({ outcome: 'REJECTED', field: 'marketStatus.status', reason: 'a SETTLED market cannot become OPEN: that status is final' });
    expect(plan(statusMessage(6, 'OPEN'), {})).toMatchObject({ outcome: 'REJECTED', field: 'marketStatus.marketId' });
  });

  it('settles a market with its result', () => {
    expect(plan(resultMessage(6, ['draw']), { market: { ...market, status: 'CLOSED' } })).toMatchObject({
      outcome: 'ACCEPTED',
      change: { set: { status: 'SETTLED', winningSelectionIds: ['draw'], version: 5 }, expectedVersion: 4, watermark: { aspect: 'result' } },
    });
  });

  it('refuses a result for unknown selections, an unknown market or a settled market', () => {
    expect(plan(resultMessage(6, ['home', 'nobody']), { market })).toEqual({
      outcome: 'REJECTED',
      field: 'result.winningSelectionIds[1]',
      reason: 'selection nobody is not a selection of market m1 (home, draw, away)',
    });
    expect(plan(resultMessage(6, ['home']), { market: { ...market, status: 'SETTLED', winningSelectionIds: ['away'] } })).toEqual({
      outcome: 'REJECTED',
      field: 'result.marketId',
      reason: 'market m1 is already SETTLED (winners away)',
    });
    expect(plan(resultMessage(6, ['home']), {})).toMatchObject({ outcome: 'REJECTED', field: 'result.marketId' });
  });
});

describe('processingOrder', () => {
  const m = (feedId: string, sequence: number) => ({ feedId, sequence });

  it('sorts each feed by sequence within the positions that feed occupies', () => {
    const batch = [m('a', 3), m('b', 9), m('a', 1), m('b', 2), m('a', 2)];
    expect(processingOrder(batch).map((i) => batch[i])).toEqual([m('a', 1), m('b', 2), m('a', 2), m('b', 9), m('a', 3)]);
  });

  it('keeps repeats in arrival order and leaves unidentifiable messages where they are', () => {
    const first = { ...m('a', 2), tag: 'first' };
    const repeat = { ...m('a', 2), tag: 'repeat' };
    const batch = [first, 'garbage', m('a', 1), repeat, { feedId: 'a' }];
    expect(processingOrder(batch)).toEqual([2, 1, 0, 3, 4]);
  });

  it('is the identity on an ordered batch', () => {
    const batch = [m('a', 1), m('a', 2), m('b', 1), m('a', 3)];
    expect(processingOrder(batch)).toEqual([0, 1, 2, 3]);
  });
});
