import { describe, expect, it } from 'vitest';
import { apiKey, evaluate, readable, resolve, viewer } from './harness.ts';

const ddbError = { message: 'Requested resource not found (Service: DynamoDb, Status Code: 400)', type: 'DynamoDB:ResourceNotFoundException' };

const market = {
  id: 'mkt-1',
  eventId: 'evt-1',
  sport: 'football',
  name: 'Match odds',
  status: 'OPEN',
  margin: 0.05,
  version: 7,
  selections: [
    { id: 'home', name: 'Home', probability: 0.5 },
    { id: 'draw', name: 'Draw', probability: 0.3 },
    { id: 'away', name: 'Away' },
  ],
  updatedAt: '2025-01-31T18:00:00.000Z',
};
const price = (decimal: number) => ({ decimal, fractional: 'x', american: 100, impliedProbability: 1 / decimal });

describe('Query.event and Query.market: GetItem by id', () => {
  for (const [field, entry] of [
    ['Query.event', 'resolvers/Query.event.ts'],
    ['Query.market', 'resolvers/Query.market.ts'],
  ] as const) {
    it(`${field}: GetItem {id}`, () => {
      const { result } = evaluate(entry, field, 'request', { arguments: { id: 'x-1' }, identity: apiKey });
      expect(result).toEqual({ operation: 'GetItem', key: { id: { S: 'x-1' } } });
    });

    it(`${field}: the item, or null when there is none`, () => {
      expect(evaluate(entry, field, 'response', { arguments: { id: 'x-1' }, result: { id: 'x-1', name: 'n' } }).result).toEqual({ id: 'x-1', name: 'n' });
      expect(evaluate(entry, field, 'response', { arguments: { id: 'x-1' }, result: null }).result).toBeNull();
    });

    it(`${field}: a data-source error becomes the field's error, naming the field`, () => {
      const run = evaluate(entry, field, 'response', { arguments: { id: 'x-1' }, error: ddbError, result: null });
      expect(run.error?.message).toBe(`${field}: ${ddbError.message}`);
    });
  }

  it('keeps the DynamoDB error type on the field error', async () => {
    const { outcome } = await resolve('Query.market', { arguments: { id: 'mkt-1' }, identity: viewer, answer: () => ({ error: ddbError }) });
    expect(outcome.data).toBeNull();
    expect(outcome.error).toMatchObject({ errorType: 'DynamoDB:ResourceNotFoundException', message: `Query.market: ${ddbError.message}` });
  });
});

describe('Query.events: by sport (bySport index) or all (scan), status filter, pages', () => {
  const entry = 'resolvers/Query.events.ts';
  const request = (args: Record<string, unknown>) => evaluate(entry, 'Query.events', 'request', { arguments: args, identity: apiKey });

  it('queries the bySport index in start-time order with a status filter and the client page token', () => {
    const { result } = request({ sport: 'football', status: 'LIVE', limit: 5, nextToken: 'page-2' }) as { result: Record<string, any> };
    expect(result).toMatchObject({ operation: 'Query', index: 'bySport', limit: 5, nextToken: 'page-2' });
    expect(result.scanIndexForward ?? true).toBe(true);
    expect(readable(result.query)).toBe('(sport = "football")');
    expect(readable(result.filter)).toBe('(status = "LIVE")');
  });

  it('scans when no sport is given; no filter without a status; 20 a page by default; no token on the first page', () => {
    const { result } = request({}) as { result: Record<string, any> };
    expect(result).toEqual({ operation: 'Scan', limit: 20 });
    expect(readable((request({ status: 'SCHEDULED' }).result as Record<string, any>).filter)).toBe('(status = "SCHEDULED")');
  });

  it('refuses a limit outside 1..100, naming the argument and the value', () => {
    expect(request({ limit: 0 }).error?.message).toBe('Query.events: limit must be between 1 and 100; got 0');
    expect(request({ limit: 101 }).error?.message).toBe('Query.events: limit must be between 1 and 100; got 101');
    expect(request({ limit: 100 }).error).toBeUndefined();
  });

  it('answers a connection: the items and the next page token, null on the last page', () => {
    const items = [{ id: 'e1' }, { id: 'e2' }];
    expect(evaluate(entry, 'Query.events', 'response', { result: { items, nextToken: 'n', scannedCount: 9 } }).result).toEqual({ items, nextToken: 'n' });
    expect(evaluate(entry, 'Query.events', 'response', { result: { items: [], scannedCount: 0 } }).result).toEqual({ items: [], nextToken: null });
  });

  it('reports a ValidationError with the field and value in errorInfo', async () => {
    const { outcome, calls } = await resolve('Query.events', { arguments: { limit: 1000 }, identity: apiKey });
    expect(calls).toEqual([]);
    expect(outcome.error).toEqual({
      message: 'Query.events: limit must be between 1 and 100; got 1000',
      errorType: 'ValidationError',
      data: null,
      errorInfo: { field: 'limit', expected: 'between 1 and 100', value: 1000 },
    });
  });
});

describe('Event.markets: the event’s markets from the byEvent index', () => {
  it('queries byEvent with the parent event’s id and answers the items', () => {
    const { result } = evaluate('resolvers/Event.markets.ts', 'Event.markets', 'request', { source: { id: 'evt-1', name: 'A v B' } }) as { result: Record<string, any> };
    expect(result).toMatchObject({ operation: 'Query', index: 'byEvent' });
    expect(readable(result.query)).toBe('(eventId = "evt-1")');
    expect(evaluate('resolvers/Event.markets.ts', 'Event.markets', 'response', { source: { id: 'evt-1' }, result: { items: [market] } }).result).toEqual([market]);
    expect(evaluate('resolvers/Event.markets.ts', 'Event.markets', 'response', { source: { id: 'evt-1' }, result: { items: [] } }).result).toEqual([]);
  });
});

describe('Market.selections: selections merged with the newest PriceUpdate', () => {
  const entry = 'resolvers/Market.selections.ts';

  it('reads only the newest PriceUpdate of the market (sort key descending, one item)', () => {
    const { result } = evaluate(entry, 'Market.selections', 'request', { source: market }) as { result: Record<string, any> };
    expect(result).toMatchObject({ operation: 'Query', scanIndexForward: false, limit: 1 });
    expect(result.index).toBeUndefined();
    expect(readable(result.query)).toBe('(marketId = "mkt-1")');
  });

  it('gives each selection, in the market’s order, its probability and the price of the newest update', () => {
    const update = {
      marketId: 'mkt-1',
      version: 6,
      selections: [
        { selectionId: 'away', name: 'Away', probability: 0.2, price: price(4.5) },
        { selectionId: 'home', name: 'Home', probability: 0.48, price: price(1.9) },
      ],
    };
    const { result } = evaluate(entry, 'Market.selections', 'response', { source: market, result: { items: [update] } });
    expect(result).toEqual([
      // The market's own probability (the feed's latest) wins over the one the price was made from.
      { id: 'home', name: 'Home', probability: 0.5, price: price(1.9) },
      // Not priced by the newest update: no price.
      { id: 'draw', name: 'Draw', probability: 0.3, price: null },
      // No probability on the market: the update's.
      { id: 'away', name: 'Away', probability: 0.2, price: price(4.5) },
    ]);
  });

  it('gives null prices to a market never priced', () => {
    const { result } = evaluate(entry, 'Market.selections', 'response', { source: market, result: { items: [] } });
    expect(result).toEqual([
      { id: 'home', name: 'Home', probability: 0.5, price: null },
      { id: 'draw', name: 'Draw', probability: 0.3, price: null },
      { id: 'away', name: 'Away', probability: null, price: null },
    ]);
  });

  it('reports a PricesTable error on the field', () => {
    expect(evaluate(entry, 'Market.selections', 'response', { source: market, error: ddbError }).error?.message).toBe(`Market.selections: ${ddbError.message}`);
  });
});

describe('Query.priceHistory: a market’s updates in time order, from `since`', () => {
  const entry = 'resolvers/Query.priceHistory.ts';
  const request = (args: Record<string, unknown>) => evaluate(entry, 'Query.priceHistory', 'request', { arguments: args, identity: apiKey });

  it('queries the market in ascending sort-key order, 100 a page by default', () => {
    const { result } = request({ marketId: 'mkt-1' }) as { result: Record<string, any> };
    expect(result).toMatchObject({ operation: 'Query', limit: 100 });
    expect(result.scanIndexForward ?? true).toBe(true);
    expect(readable(result.query)).toBe('(marketId = "mkt-1")');
  });

  it('starts at `since` inclusive, normalised to the sort key’s UTC millisecond form whatever the offset', () => {
    const bound = (since: string) => readable((request({ marketId: 'mkt-1', since }).result as Record<string, any>).query);
    expect(bound('2025-01-31T19:00:00+01:00')).toBe('(marketId = "mkt-1") AND (sk >= "2025-01-31T18:00:00.000Z")');
    // Whole seconds keep their .000: "…00Z" would sort after "…00.123Z#…" and skip updates of that second
    // (UNVERIFIED whether util.time.epochMilliSecondsToISO8601 would drop it; the resolver does not use it).
    expect(bound('2025-01-31T18:00:00Z')).toBe('(marketId = "mkt-1") AND (sk >= "2025-01-31T18:00:00.000Z")');
    expect(bound('2025-01-31T18:00:00.5Z')).toBe('(marketId = "mkt-1") AND (sk >= "2025-01-31T18:00:00.500Z")');
  });

  it('passes the page token through and refuses a limit over 1000', () => {
    expect((request({ marketId: 'mkt-1', limit: 1000, nextToken: 't' }).result as Record<string, any>).nextToken).toBe('t');
    expect(request({ marketId: 'mkt-1', limit: 1001 }).error?.message).toBe('Query.priceHistory: limit must be between 1 and 1000; got 1001');
  });

  it('answers the updates as a connection', () => {
    const items = [{ marketId: 'mkt-1', sk: '2025-01-31T18:00:00.000Z#0000000001', version: 1 }];
    expect(evaluate(entry, 'Query.priceHistory', 'response', { result: { items, nextToken: null } }).result).toEqual({ items, nextToken: null });
  });
});
