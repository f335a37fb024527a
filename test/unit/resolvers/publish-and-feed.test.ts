import { describe, expect, it } from 'vitest';
import { evaluate, partner, resolve } from './harness.ts';

const message = (sequence: number) => ({ feedId: 'feed-a', sequence, type: 'MARKET_STATUS', marketStatus: { marketId: 'mkt-1', status: 'SUSPENDED' } });
const priceUpdate = (status: string) => ({
  marketId: 'mkt-1',
  eventId: 'evt-1',
  sport: 'football',
  version: 12,
  status,
  margin: 0.05,
  selections: [{ selectionId: 'home', name: 'Home', probability: 0.5, price: { decimal: 1.9, fractional: '9/10', american: -111, impliedProbability: 0.5263 } }],
  publishedAt: '2025-01-31T18:00:00.000Z',
  source: 'FEED',
});

describe('Mutation.ingestFeed → the ingest-feed Lambda', () => {
  const entry = 'resolvers/Mutation.ingestFeed.ts';

  it('invokes the Lambda with the messages and the signing principal as `caller`', () => {
    const { result } = evaluate(entry, 'Mutation.ingestFeed', 'request', { arguments: { messages: [message(1), message(2)] }, identity: partner });
    expect(result).toEqual({ operation: 'Invoke', payload: { messages: [message(1), message(2)], caller: partner.userArn } });
  });

  it('refuses an empty batch and one over 500 messages without invoking anything', async () => {
    const empty = await resolve('Mutation.ingestFeed', { arguments: { messages: [] }, identity: partner });
    expect(empty.calls).toEqual([]);
    expect(empty.outcome.error).toMatchObject({ errorType: 'ValidationError', message: 'Mutation.ingestFeed: messages must be a list of 1 to 500 feed messages; got "0 messages"' });
    const many = Array.from({ length: 501 }, (_, i) => message(i + 1));
    expect(evaluate(entry, 'Mutation.ingestFeed', 'request', { arguments: { messages: many }, identity: partner }).error?.message).toMatch(/got "501 messages"$/);
  });

  it('answers the IngestFeedResult the Lambda returns', async () => {
    const result = { results: [{ feedId: 'feed-a', sequence: 1, outcome: 'ACCEPTED', reason: null, field: null }], accepted: 1, duplicates: 0, stale: 0, rejected: 0 };
    const { outcome, calls } = await resolve('Mutation.ingestFeed', { arguments: { messages: [message(1)] }, identity: partner, answer: () => ({ result }) });
    expect(calls.map((c) => c.dataSourceName)).toEqual(['IngestFeed']);
    expect(outcome.data).toEqual(result);
  });

  it('a Lambda failure is the field’s error, with Lambda’s error type', async () => {
    const { outcome } = await resolve('Mutation.ingestFeed', {
      arguments: { messages: [message(1)] },
      identity: partner,
      answer: () => ({ error: { type: 'Lambda:Unhandled', message: 'Task timed out after 30.00 seconds' } }),
    });
    expect(outcome.data).toBeNull();
    expect(outcome.error).toMatchObject({ errorType: 'Lambda:Unhandled', message: 'Mutation.ingestFeed: Task timed out after 30.00 seconds' });
  });
});

describe('Mutation.publishPriceUpdate (NONE): fires onPriceUpdate', () => {
  it('returns its input through the NONE data source', async () => {
    const { outcome, calls } = await resolve('Mutation.publishPriceUpdate', { arguments: { input: priceUpdate('OPEN') }, identity: partner });
    expect(calls.map((c) => [c.dataSourceName, c.request])).toEqual([['None', { payload: priceUpdate('OPEN') }]]);
    expect(outcome.data).toEqual(priceUpdate('OPEN'));
    expect(outcome.extensions.invalidations).toEqual([]);
  });

  it('a SETTLED update also ends that market’s onPriceUpdate subscriptions', async () => {
    const { outcome } = await resolve('Mutation.publishPriceUpdate', { arguments: { input: priceUpdate('SETTLED') }, identity: partner });
    expect(outcome.data).toEqual(priceUpdate('SETTLED'));
    expect(outcome.extensions.invalidations).toEqual([{ subscriptionField: 'onPriceUpdate', payload: { marketId: 'mkt-1' } }]);
  });
});

describe('Mutation.publishJobUpdate (NONE): fires onJobUpdate', () => {
  it('returns its input', async () => {
    const input = { id: 'job-1', type: 'REPRICE_EVENT', status: 'RUNNING', owner: 'trader', progress: 0.5, createdAt: 'c', updatedAt: 'u' };
    const { outcome } = await resolve('Mutation.publishJobUpdate', { arguments: { input }, identity: partner });
    expect(outcome.data).toEqual(input);
    expect(outcome.error).toBeUndefined();
  });
});

describe('Mutation.publishHeartbeat and Mutation.publishEventUpdate (NONE): fire onHeartbeat and onEventUpdate', () => {
  it('publishHeartbeat returns its input through the NONE data source', async () => {
    const input = { at: '2026-12-03T09:00:00.000Z', intervalSeconds: 3, markets: [{ marketId: 'mkt-1', eventId: 'evt-1', version: 7 }] };
    const { outcome, calls } = await resolve('Mutation.publishHeartbeat', { arguments: { input }, identity: partner });
    expect(calls.map((c) => [c.dataSourceName, c.request])).toEqual([['None', { payload: input }]]);
    expect(outcome.data).toEqual(input);
  });

  it('publishEventUpdate returns its input through the NONE data source', async () => {
    const input = { id: 'evt-1', name: 'A v B', sport: 'football', startTime: '2026-12-03T20:00:00.000Z', status: 'LIVE', updatedAt: '2026-12-03T09:00:00.000Z' };
    const { outcome, calls } = await resolve('Mutation.publishEventUpdate', { arguments: { input }, identity: partner });
    expect(calls.map((c) => [c.dataSourceName, c.request])).toEqual([['None', { payload: input }]]);
    expect(outcome.data).toEqual(input);
  });
});
