import { describe, expect, it } from 'vitest';
import { admin, apiKey, evaluate, plainItem, readable, resolve, trader, updatedAttributes } from './harness.ts';

const CONFLICT = 'DynamoDB:ConditionalCheckFailedException';
const conditionFailed = {
  type: CONFLICT,
  message: 'The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: r-1)',
};
const market = (overrides: Record<string, unknown> = {}) => ({
  id: 'mkt-1',
  eventId: 'evt-1',
  name: 'Match odds',
  status: 'OPEN',
  margin: 0.05,
  version: 4,
  selections: [{ id: 'home', name: 'Home', probability: 0.5 }],
  updatedAt: '2025-01-31T18:00:00.000Z',
  ...overrides,
});

type UpdateRequest = Parameters<typeof updatedAttributes>[0] & { operation: string; key: Record<string, unknown>; condition: { expression: string } };

describe('Mutation.setMargin', () => {
  const entry = 'resolvers/Mutation.setMargin.ts';
  const request = (args: Record<string, unknown>, identity: unknown = trader) => evaluate(entry, 'Mutation.setMargin', 'request', { arguments: args, identity });

  it('updates the margin if the market is still at expectedVersion and not settled: version + 1, lastChange TRADER by the caller', () => {
    const { result, error } = request({ marketId: 'mkt-1', margin: 0.08, expectedVersion: 4 });
    expect(error).toBeUndefined();
    const update = result as UpdateRequest;
    expect(update.operation).toBe('UpdateItem');
    expect(plainItem(update.key)).toEqual({ id: 'mkt-1' });
    const set = updatedAttributes(update);
    expect(set).toMatchObject({ margin: 0.08, version: 'version + 1', lastChange: { source: 'TRADER', by: 'trader' } });
    expect(Object.keys(set).sort()).toEqual(['lastChange', 'margin', 'updatedAt', 'version']);
    expect((set.lastChange as { at: string }).at).toBe(set.updatedAt);
    expect(Date.parse(set.updatedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(readable(update.condition as never)).toBe('(version = 4) AND (status <> "SETTLED")');
  });

  it('accepts 0 and margins just below 1', () => {
    expect(request({ marketId: 'mkt-1', margin: 0, expectedVersion: 1 }).error).toBeUndefined();
    expect(request({ marketId: 'mkt-1', margin: 0.999, expectedVersion: 1 }).error).toBeUndefined();
  });

  it('refuses a margin below 0 or from 1 up, naming the argument, the rule and the value', () => {
    expect(request({ marketId: 'mkt-1', margin: 1, expectedVersion: 4 }).error?.message).toBe(
      'Mutation.setMargin: margin must be at least 0 and below 1 (0.05 is a 105% book); got 1',
    );
    expect(request({ marketId: 'mkt-1', margin: -0.01, expectedVersion: 4 }).error?.message).toMatch(/margin must be at least 0 and below 1 .*; got -0\.01$/);
  });

  it('refuses an expectedVersion below 1', () => {
    expect(request({ marketId: 'mkt-1', margin: 0.05, expectedVersion: 0 }).error?.message).toBe('Mutation.setMargin: expectedVersion must be a market version (1 or more); got 0');
  });

  it('refuses callers that are not user-pool users (defence behind the @aws_cognito_user_pools directive)', () => {
    expect(request({ marketId: 'mkt-1', margin: 0.05, expectedVersion: 4 }, apiKey).error?.message).toBe('Unauthorized');
  });

  // UNVERIFIED (docs/reference/appsync-js-runtime.md §6.2): that AppSync's UpdateItem result is the whole item after the update.
  it('answers the updated market', () => {
    const updated = market({ margin: 0.08, version: 5 });
    expect(evaluate(entry, 'Mutation.setMargin', 'response', { arguments: { marketId: 'mkt-1', margin: 0.08, expectedVersion: 4 }, result: updated }).result).toEqual(updated);
  });

  it('a version conflict is a ConditionalCheckFailedException carrying the current market and both versions', async () => {
    const current = market({ version: 6 });
    const { outcome, calls } = await resolve('Mutation.setMargin', {
      arguments: { marketId: 'mkt-1', margin: 0.08, expectedVersion: 4 },
      identity: trader,
      answer: () => ({ error: conditionFailed, result: current }),
    });
    expect(calls).toHaveLength(1);
    expect(outcome.data).toBeNull();
    expect(outcome.error).toEqual({
      message: 'Mutation.setMargin: market mkt-1 is at version 6, not expectedVersion 4; read it again and retry',
      errorType: CONFLICT,
      data: current,
      errorInfo: { field: 'expectedVersion', expectedVersion: 4, currentVersion: 6 },
    });
  });

  it('a missing market is NotFound, not a conflict', async () => {
    const { outcome } = await resolve('Mutation.setMargin', {
      arguments: { marketId: 'nope', margin: 0.08, expectedVersion: 4 },
      identity: trader,
      answer: () => ({ error: conditionFailed, result: null }),
    });
    expect(outcome.error).toEqual({ message: 'Mutation.setMargin: market "nope" does not exist', errorType: 'NotFound', data: null, errorInfo: { field: 'marketId', value: 'nope' } });
  });

  it('a settled market at the expected version cannot change its margin', async () => {
    const { outcome } = await resolve('Mutation.setMargin', {
      arguments: { marketId: 'mkt-1', margin: 0.08, expectedVersion: 4 },
      identity: trader,
      answer: () => ({ error: conditionFailed, result: market({ status: 'SETTLED' }) }),
    });
    expect(outcome.error).toMatchObject({ errorType: 'InvalidState', message: 'Mutation.setMargin: market mkt-1 is SETTLED; its margin can no longer change' });
  });

  it('any other DynamoDB error is reported with its type', async () => {
    const { outcome } = await resolve('Mutation.setMargin', {
      arguments: { marketId: 'mkt-1', margin: 0.08, expectedVersion: 4 },
      identity: trader,
      answer: () => ({ error: { type: 'DynamoDB:ProvisionedThroughputExceededException', message: 'slow down' } }),
    });
    expect(outcome.error).toMatchObject({ errorType: 'DynamoDB:ProvisionedThroughputExceededException', message: 'Mutation.setMargin: slow down' });
  });
});

describe('Mutation.setMarketStatus', () => {
  const entry = 'resolvers/Mutation.setMarketStatus.ts';
  const request = (status: string, expectedVersion = 4) =>
    evaluate(entry, 'Mutation.setMarketStatus', 'request', { arguments: { marketId: 'mkt-1', status, expectedVersion }, identity: trader });
  const conditionOf = (status: string) => readable((request(status).result as UpdateRequest).condition as never);

  it('writes the status with version + 1 and lastChange TRADER', () => {
    const set = updatedAttributes(request('SUSPENDED').result as UpdateRequest);
    expect(set).toMatchObject({ status: 'SUSPENDED', version: 'version + 1', lastChange: { source: 'TRADER', by: 'trader' } });
  });

  it('allows only OPEN ⇄ SUSPENDED and OPEN/SUSPENDED → CLOSED, checked in the write together with the version', () => {
    expect(conditionOf('SUSPENDED')).toBe('(version = 4) AND (status IN ("OPEN"))');
    expect(conditionOf('OPEN')).toBe('(version = 4) AND (status IN ("SUSPENDED"))');
    expect(conditionOf('CLOSED')).toBe('(version = 4) AND (status IN ("OPEN", "SUSPENDED"))');
  });

  it('refuses SETTLED: settlement is a SETTLE_MARKET job', () => {
    expect(request('SETTLED').error?.message).toBe(
      'Mutation.setMarketStatus: status must be OPEN, SUSPENDED or CLOSED (a market is settled by a SETTLE_MARKET job); got "SETTLED"',
    );
  });

  it('explains a refused transition: from what, to what, and what it may come from', async () => {
    const { outcome } = await resolve('Mutation.setMarketStatus', {
      arguments: { marketId: 'mkt-1', status: 'OPEN', expectedVersion: 4 },
      identity: trader,
      answer: () => ({ error: conditionFailed, result: market({ status: 'CLOSED' }) }),
    });
    expect(outcome.error).toEqual({
      message: 'Mutation.setMarketStatus: market mkt-1 cannot go from CLOSED to OPEN; OPEN is reached only from SUSPENDED',
      errorType: 'InvalidState',
      data: null,
      errorInfo: { field: 'status', from: 'CLOSED', to: 'OPEN', allowedFrom: ['SUSPENDED'] },
    });
  });

  it('nothing leaves SETTLED', async () => {
    const { outcome } = await resolve('Mutation.setMarketStatus', {
      arguments: { marketId: 'mkt-1', status: 'CLOSED', expectedVersion: 4 },
      identity: trader,
      answer: () => ({ error: conditionFailed, result: market({ status: 'SETTLED' }) }),
    });
    expect(outcome.error?.message).toBe('Mutation.setMarketStatus: market mkt-1 cannot go from SETTLED to CLOSED; CLOSED is reached only from OPEN or SUSPENDED');
  });

  it('setting the current status again is refused (the client’s view was stale)', async () => {
    const { outcome } = await resolve('Mutation.setMarketStatus', {
      arguments: { marketId: 'mkt-1', status: 'OPEN', expectedVersion: 4 },
      identity: trader,
      answer: () => ({ error: conditionFailed, result: market({ status: 'OPEN' }) }),
    });
    expect(outcome.error?.errorType).toBe('InvalidState');
  });

  it('a version conflict wins over the transition check and carries the current market', async () => {
    const current = market({ version: 9, status: 'SUSPENDED' });
    const { outcome } = await resolve('Mutation.setMarketStatus', {
      arguments: { marketId: 'mkt-1', status: 'SUSPENDED', expectedVersion: 4 },
      identity: admin,
      answer: () => ({ error: conditionFailed, result: current }),
    });
    expect(outcome.error).toMatchObject({ errorType: CONFLICT, data: current, errorInfo: { expectedVersion: 4, currentVersion: 9 } });
  });

  it('a missing market is NotFound', async () => {
    const { outcome } = await resolve('Mutation.setMarketStatus', {
      arguments: { marketId: 'gone', status: 'CLOSED', expectedVersion: 1 },
      identity: trader,
      answer: () => ({ error: conditionFailed, result: null }),
    });
    expect(outcome.error).toMatchObject({ errorType: 'NotFound', errorInfo: { field: 'marketId', value: 'gone' } });
  });

  it('answers the updated market', async () => {
    const updated = market({ status: 'CLOSED', version: 5 });
    const { outcome, calls } = await resolve('Mutation.setMarketStatus', {
      arguments: { marketId: 'mkt-1', status: 'CLOSED', expectedVersion: 4 },
      identity: trader,
      answer: () => ({ result: updated }),
    });
    expect(calls.map((c) => c.dataSourceName)).toEqual(['Markets']);
    expect(outcome).toMatchObject({ data: updated });
    expect(outcome.error).toBeUndefined();
  });
});
