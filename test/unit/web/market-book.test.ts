import { describe, expect, it } from 'vitest';
import { MarketBook, type EventFields, type PriceUpdateFields } from '../../../web/src/board/market-book.ts';

// The board's state, alone: what a first read and then live or caught-up updates (in any order,
// some twice) leave on the board.

const price = (decimal: number) => ({ decimal, fractional: `${Math.round((decimal - 1) * 100)}/100`, american: Math.round((decimal - 1) * 100), impliedProbability: 1 / decimal });

function event(version = 4): EventFields {
  return {
    id: 'evt-1',
    name: 'A v B',
    sport: 'football',
    startTime: '2030-01-01T15:00:00.000Z',
    status: 'LIVE',
    markets: [
      {
        id: 'mkt-1',
        eventId: 'evt-1',
        name: 'Match result',
        status: 'OPEN',
        margin: 0.05,
        version,
        updatedAt: '2030-01-01T12:00:00.000Z',
        selections: [
          { id: 'home', name: 'A', probability: 0.5, price: price(1.9) },
          { id: 'away', name: 'B', probability: 0.5, price: price(1.9) },
        ],
      },
    ],
  };
}

function update(version: number, home: number, away: number, publishedAt = `2030-01-01T12:00:0${version}.000Z`): PriceUpdateFields {
  return {
    marketId: 'mkt-1',
    eventId: 'evt-1',
    version,
    status: 'OPEN',
    margin: 0.06,
    publishedAt,
    source: 'FEED',
    selections: [
      { selectionId: 'home', name: 'A', probability: 0.55, price: price(home) },
      { selectionId: 'away', name: 'B', probability: 0.45, price: price(away) },
    ],
  };
}

describe('MarketBook', () => {
  it('starts from the first read: version from the market, no price version, caught up to its updatedAt', () => {
    const book = new MarketBook();
    book.load([event()]);
    expect(book.market('mkt-1')).toMatchObject({ version: 4, priceVersion: 0, margin: 0.05, pricedMargin: 0.05, source: null, lastSeen: '2030-01-01T12:00:00.000Z' });
    expect(book.events().map((e) => e.markets.map((m) => m.id))).toEqual([['mkt-1']]);
  });

  it('applies a newer update: prices, margin, version, lastSeen, and which prices went up or down', () => {
    const book = new MarketBook();
    book.load([event()]);
    const seen: unknown[] = [];
    book.onChange((market, changes) => seen.push({ version: market.priceVersion, changes }));
    const outcome = book.apply(update(5, 1.8, 2.1));
    expect(outcome.kind).toBe('applied');
    expect(book.market('mkt-1')).toMatchObject({ version: 5, priceVersion: 5, margin: 0.06, pricedMargin: 0.06, source: 'FEED', lastSeen: '2030-01-01T12:00:05.000Z' });
    expect(book.market('mkt-1')!.selections.map((s) => s.price?.decimal)).toEqual([1.8, 2.1]);
    expect(seen).toEqual([{ version: 5, changes: [{ selectionId: 'home', direction: 'down' }, { selectionId: 'away', direction: 'up' }] }]);
  });

  it('drops an update it already shows or that a newer one overtook', () => {
    const book = new MarketBook();
    book.load([event()]);
    book.apply(update(6, 1.8, 2.1));
    expect(book.apply(update(6, 1.5, 2.5)).kind).toBe('stale');
    expect(book.apply(update(5, 1.5, 2.5)).kind).toBe('stale');
    expect(book.market('mkt-1')!.selections.map((s) => s.price?.decimal)).toEqual([1.8, 2.1]);
  });

  it('reports an update of a market it has not read, with the event to read again', () => {
    const book = new MarketBook();
    book.load([event()]);
    expect(book.apply({ ...update(1, 2, 2), marketId: 'mkt-new' })).toEqual({ kind: 'unknown-market', marketId: 'mkt-new', eventId: 'evt-1' });
  });

  it('compares publishedAt as instants, not strings (a catch-up must not start before what it saw)', () => {
    const book = new MarketBook();
    book.load([event()]);
    book.apply(update(5, 1.8, 2.1, '2030-01-01T12:00:05Z'));
    // Lexically "…05.5Z" < "…05Z"; in time it is later.
    book.apply(update(6, 1.8, 2.1, '2030-01-01T12:00:05.500Z'));
    expect(book.market('mkt-1')!.lastSeen).toBe('2030-01-01T12:00:05.500Z');
    book.apply(update(7, 1.8, 2.1, '2030-01-01T12:00:04.000Z'));
    expect(book.market('mkt-1')!.lastSeen).toBe('2030-01-01T12:00:05.500Z');
  });

  it("takes a trader mutation's answer as the market's version and margin, leaving the shown prices' margin", () => {
    const book = new MarketBook();
    book.load([event()]);
    book.noteMarket({ id: 'mkt-1', version: 5, margin: 0.075, status: 'SUSPENDED' });
    expect(book.market('mkt-1')).toMatchObject({ version: 5, margin: 0.075, status: 'SUSPENDED', pricedMargin: 0.05, priceVersion: 0 });
    book.noteMarket({ id: 'mkt-1', version: 3, margin: 0.01, status: 'OPEN' });
    expect(book.market('mkt-1')).toMatchObject({ version: 5, margin: 0.075 });
  });

  it('keeps what live updates showed when a re-read answers with an older market', () => {
    const book = new MarketBook();
    book.load([event()]);
    book.apply(update(7, 1.8, 2.1));
    book.load([event(5)]);
    expect(book.market('mkt-1')).toMatchObject({ version: 7, priceVersion: 7 });
    book.load([event(9)]);
    expect(book.market('mkt-1')).toMatchObject({ version: 9, priceVersion: 7, lastSeen: '2030-01-01T12:00:07.000Z' });
  });
});
