import type { DataSourceCall } from '../../../local/appsync/js/index.ts';
import { describe, expect, it } from 'vitest';
import { admin, apiKey, evaluate, otherTrader, plainItem, readable, resolve, trader, updatedAttributes, viewer } from './harness.ts';

const job = (overrides: Record<string, unknown> = {}) => ({
  id: 'job-1',
  type: 'REPRICE_EVENT',
  status: 'QUEUED',
  owner: 'trader',
  params: '{"eventId":"evt-1"}',
  progress: 0,
  cancelRequested: false,
  createdAt: '2025-01-31T18:00:00.000Z',
  updatedAt: '2025-01-31T18:00:00.000Z',
  expiresAt: 1_740_000_000,
  ...overrides,
});
const event = { id: 'evt-1', name: 'A v B', sport: 'football', startTime: '2025-02-01T15:00:00Z', status: 'SCHEDULED' };
const market = (overrides: Record<string, unknown> = {}) => ({
  id: 'mkt-1',
  eventId: 'evt-1',
  name: 'Match odds',
  status: 'CLOSED',
  margin: 0.05,
  version: 9,
  selections: [
    { id: 'home', name: 'Home' },
    { id: 'draw', name: 'Draw' },
    { id: 'away', name: 'Away' },
  ],
  ...overrides,
});
const CONFLICT = { type: 'DynamoDB:ConditionalCheckFailedException', message: 'The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: r)' };

const keyOf = (call: DataSourceCall) => plainItem((call.request as { key: Record<string, unknown> }).key);

describe('Query.job', () => {
  const entry = 'resolvers/Query.job.ts';

  it('reads the job by id for a user-pool caller; others are refused before any read', () => {
    expect(evaluate(entry, 'Query.job', 'request', { arguments: { id: 'job-1' }, identity: viewer }).result).toEqual({ operation: 'GetItem', key: { id: { S: 'job-1' } } });
    expect(evaluate(entry, 'Query.job', 'request', { arguments: { id: 'job-1' }, identity: apiKey }).error?.message).toBe('Unauthorized');
  });

  it('answers the job to its owner and to admins, Unauthorized to anyone else, null when there is none', () => {
    const response = (identity: unknown, result: unknown) => evaluate(entry, 'Query.job', 'response', { arguments: { id: 'job-1' }, identity, result });
    expect(response(trader, job()).result).toEqual(job());
    expect(response(admin, job()).result).toEqual(job());
    expect(response(otherTrader, job()).error?.message).toBe('Unauthorized');
    expect(response(otherTrader, null).result).toBeNull();
  });

  // UNVERIFIED (docs/reference/appsync-js-runtime.md §9.1): the live message of util.unauthorized(); the runtime uses the text of AppSync's directive denials.
  it('a refusal is AppSync’s Unauthorized field error', async () => {
    const { outcome } = await resolve('Query.job', { arguments: { id: 'job-1' }, identity: otherTrader, answer: () => ({ result: job() }) });
    expect(outcome.data).toBeNull();
    expect(outcome.error).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access job on type Query' });
  });
});

describe('Query.myJobs', () => {
  const entry = 'resolvers/Query.myJobs.ts';

  it('queries the byOwner index for the caller, newest first, 20 a page by default', () => {
    const { result } = evaluate(entry, 'Query.myJobs', 'request', { arguments: { nextToken: 'p2' }, identity: trader }) as { result: Record<string, any> };
    expect(result).toMatchObject({ operation: 'Query', index: 'byOwner', scanIndexForward: false, limit: 20, nextToken: 'p2' });
    expect(readable(result.query)).toBe('(owner = "trader")');
  });

  it('has no owner to list for callers without a user-pool identity', () => {
    expect(evaluate(entry, 'Query.myJobs', 'request', { arguments: {}, identity: apiKey }).error?.message).toBe('Unauthorized');
  });

  it('refuses a page size over 100 and answers a connection', () => {
    expect(evaluate(entry, 'Query.myJobs', 'request', { arguments: { limit: 101 }, identity: trader }).error?.message).toBe('Query.myJobs: limit must be between 1 and 100; got 101');
    expect(evaluate(entry, 'Query.myJobs', 'response', { result: { items: [job()] } }).result).toEqual({ items: [job()], nextToken: null });
  });
});

describe('Mutation.startJob: validate params → check the target → write the job QUEUED', () => {
  /** Events and Markets answer from these items; Jobs writes succeed with the written item. */
  const tables = (items: { events?: unknown[]; markets?: unknown[] }) => (call: DataSourceCall) => {
    if (call.dataSourceName === 'None') return undefined;
    const request = call.request as { operation: string; key: Record<string, unknown>; attributeValues?: Record<string, unknown> };
    const id = keyOf(call)!.id;
    if (call.dataSourceName === 'Events') return { result: (items.events ?? []).find((e) => (e as { id: string }).id === id) ?? null };
    if (call.dataSourceName === 'Markets') return { result: (items.markets ?? []).find((m) => (m as { id: string }).id === id) ?? null };
    if (call.dataSourceName === 'Jobs' && request.operation === 'PutItem') return { result: { id, ...plainItem(request.attributeValues) } };
    return undefined;
  };
  const start = (type: string, params: unknown, identity: unknown = trader, items = { events: [event], markets: [market()] }) =>
    resolve('Mutation.startJob', { arguments: { type, params: params === null || typeof params === 'string' ? params : JSON.stringify(params) }, identity, answer: tables(items) });

  it('REPRICE_EVENT: checks the event, then puts the job QUEUED, owned by the caller, with its params as JSON', async () => {
    const { outcome, calls } = await start('REPRICE_EVENT', { eventId: 'evt-1' });
    expect(outcome.error).toBeUndefined();
    expect(calls.map((c) => c.dataSourceName)).toEqual(['None', 'Events', 'Jobs']);
    expect(keyOf(calls[1]!)).toEqual({ id: 'evt-1' });
    const put = calls[2]!.request as { operation: string; key: Record<string, unknown>; attributeValues: Record<string, unknown>; condition: never };
    expect(put.operation).toBe('PutItem');
    expect(readable(put.condition)).toBe('(attribute_not_exists(id))');
    const written = plainItem(put.attributeValues)!;
    expect(written).toMatchObject({ type: 'REPRICE_EVENT', status: 'QUEUED', owner: 'trader', progress: 0, cancelRequested: false });
    expect(JSON.parse(written.params as string)).toEqual({ eventId: 'evt-1' });
    expect(written.createdAt).toBe(written.updatedAt);
    // TTL: 30 days, in epoch seconds.
    expect((written.expiresAt as number) - Date.now() / 1000).toBeGreaterThan(29.9 * 86_400);
    expect(keyOf(calls[2]!)!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(outcome.data).toMatchObject({ id: keyOf(calls[2]!)!.id, status: 'QUEUED', owner: 'trader' });
  });

  it('SETTLE_MARKET: checks the market (not the events table) and keeps only known parameters', async () => {
    const { outcome, calls } = await start('SETTLE_MARKET', { marketId: 'mkt-1', winningSelectionIds: ['home'] }, admin);
    expect(outcome.error).toBeUndefined();
    expect(calls.map((c) => c.dataSourceName)).toEqual(['None', 'Markets', 'Jobs']);
    expect(outcome.data).toMatchObject({ type: 'SETTLE_MARKET', owner: 'admin', params: '{"marketId":"mkt-1","winningSelectionIds":["home"]}' });
  });

  it('EXPORT_PRICE_HISTORY: a market and an optional ISO `since`', async () => {
    expect((await start('EXPORT_PRICE_HISTORY', { marketId: 'mkt-1' })).outcome.error).toBeUndefined();
    const { outcome } = await start('EXPORT_PRICE_HISTORY', { marketId: 'mkt-1', since: '2025-01-31T18:00:00Z' });
    expect(JSON.parse((outcome.data as { params: string }).params)).toEqual({ marketId: 'mkt-1', since: '2025-01-31T18:00:00Z' });
  });

  const refusals: [string, string, unknown, string, unknown][] = [
    ['no params', 'REPRICE_EVENT', null, 'params', null],
    ['params that are not an object', 'REPRICE_EVENT', '[1,2]', 'params', '[1,2]'],
    ['a missing eventId', 'REPRICE_EVENT', {}, 'params.eventId', null],
    ['a blank eventId', 'REPRICE_EVENT', { eventId: '  ' }, 'params.eventId', '  '],
    ['an unknown parameter', 'REPRICE_EVENT', { eventId: 'evt-1', force: true }, 'params.force', true],
    ['no winners', 'SETTLE_MARKET', { marketId: 'mkt-1', winningSelectionIds: [] }, 'params.winningSelectionIds', []],
    ['winners that are not a list', 'SETTLE_MARKET', { marketId: 'mkt-1', winningSelectionIds: 'home' }, 'params.winningSelectionIds', 'home'],
    ['a winner listed twice', 'SETTLE_MARKET', { marketId: 'mkt-1', winningSelectionIds: ['home', 'home'] }, 'params.winningSelectionIds[1]', 'home'],
    ['a winner that is not an id', 'SETTLE_MARKET', { marketId: 'mkt-1', winningSelectionIds: ['home', 7] }, 'params.winningSelectionIds[1]', 7],
    ['a `since` that is not a date-time', 'EXPORT_PRICE_HISTORY', { marketId: 'mkt-1', since: 'yesterday' }, 'params.since', 'yesterday'],
  ];
  for (const [what, type, params, field, value] of refusals) {
    it(`refuses ${what} (${type}) before reading anything, naming ${field} and the value`, async () => {
      const { outcome, calls } = await start(type, params);
      expect(calls).toEqual([]);
      expect(outcome.error).toMatchObject({ errorType: 'ValidationError', errorInfo: { field, value } });
      expect(outcome.error!.message).toMatch(new RegExp(`^Mutation\\.startJob: ${field.replace(/[.[\]]/g, '\\$&')} must be .*; got ${JSON.stringify(JSON.stringify(value)).slice(1, -1).replace(/[[\]]/g, '\\$&')}$`));
    });
  }

  it('a target that does not exist is NotFound and no job is written', async () => {
    const { outcome, calls } = await start('REPRICE_EVENT', { eventId: 'evt-404' });
    expect(calls.map((c) => c.dataSourceName)).toEqual(['None', 'Events']);
    expect(outcome.error).toEqual({ message: 'Mutation.startJob: event "evt-404" does not exist', errorType: 'NotFound', data: null, errorInfo: { field: 'params.eventId', value: 'evt-404' } });
    const market404 = await start('EXPORT_PRICE_HISTORY', { marketId: 'mkt-404' });
    expect(market404.outcome.error).toMatchObject({ errorType: 'NotFound', errorInfo: { field: 'params.marketId', value: 'mkt-404' } });
  });

  it('settling needs winners that are selections of the market, and a market not yet settled', async () => {
    const unknown = await start('SETTLE_MARKET', { marketId: 'mkt-1', winningSelectionIds: ['home', 'nobody'] });
    expect(unknown.calls.map((c) => c.dataSourceName)).toEqual(['None', 'Markets']);
    expect(unknown.outcome.error).toMatchObject({
      errorType: 'ValidationError',
      message: 'Mutation.startJob: params.winningSelectionIds[1] must be a selection of market mkt-1 (home, draw, away); got "nobody"',
    });
    const settled = await start('SETTLE_MARKET', { marketId: 'mkt-1', winningSelectionIds: ['home'] }, trader, { events: [], markets: [market({ status: 'SETTLED' })] });
    expect(settled.outcome.error).toMatchObject({ errorType: 'InvalidState', message: 'Mutation.startJob: market mkt-1 is already SETTLED' });
  });

  it('refuses callers without a user-pool identity before any step', async () => {
    const { outcome, calls } = await start('REPRICE_EVENT', { eventId: 'evt-1' }, apiKey);
    expect(calls).toEqual([]);
    expect(outcome.error?.errorType).toBe('Unauthorized');
  });

  it('the skipped target check passes the params through untouched (earlyReturn)', () => {
    const params = { marketId: 'mkt-1' };
    const run = evaluate('resolvers/pipeline-functions/checkJobEvent.ts', 'Mutation.startJob', 'request', {
      arguments: { type: 'EXPORT_PRICE_HISTORY' },
      identity: trader,
      stash: { target: { table: 'markets', id: 'mkt-1' } },
      prev: { result: params },
    });
    expect(run.result).toEqual(params);
    const runMarket = evaluate('resolvers/pipeline-functions/checkJobMarket.ts', 'Mutation.startJob', 'request', {
      arguments: { type: 'REPRICE_EVENT' },
      identity: trader,
      stash: { target: { table: 'events', id: 'evt-1' } },
      prev: { result: { eventId: 'evt-1' } },
    });
    expect(runMarket.result).toEqual({ eventId: 'evt-1' });
  });

  it('validateJobParams accepts params already parsed (AWSJSON delivery is UNVERIFIED) and stashes the target', () => {
    const run = evaluate('resolvers/pipeline-functions/validateJobParams.ts', 'Mutation.startJob', 'request', {
      arguments: { type: 'REPRICE_EVENT', params: { eventId: 'evt-1' } },
      identity: trader,
    });
    expect(run.result).toEqual({ payload: { eventId: 'evt-1' } });
    expect(run.stash).toEqual({ target: { table: 'events', id: 'evt-1' } });
  });
});

describe('Mutation.cancelJob: load → owner or admin → cancel', () => {
  /** Jobs answers GetItem with `stored` and UpdateItem with `update` (default: success with the update applied). */
  const jobs = (stored: unknown, update?: (request: Record<string, any>) => { result?: unknown; error?: { message: string; type: string } }) => (call: DataSourceCall) => {
    if (call.dataSourceName !== 'Jobs') return undefined;
    const request = call.request as Record<string, any>;
    if (request.operation === 'GetItem') return { result: stored };
    return update ? update(request) : { result: { ...(stored as object), ...updatedAttributes(request as never) } };
  };
  const cancel = (identity: unknown, stored: unknown, update?: Parameters<typeof jobs>[1]) => resolve('Mutation.cancelJob', { arguments: { id: 'job-1' }, identity, answer: jobs(stored, update) });

  it('a QUEUED job is CANCELLED at once, if it is still QUEUED', async () => {
    const { outcome, calls } = await cancel(trader, job());
    expect(calls.map((c) => c.dataSourceName)).toEqual(['Jobs', 'None', 'Jobs']);
    const update = calls[2]!.request as Record<string, any>;
    expect(readable(update.condition)).toBe('(status = "QUEUED")');
    expect(updatedAttributes(update as never)).toMatchObject({ status: 'CANCELLED', cancelRequested: true, message: 'cancelled by trader' });
    expect(outcome.data).toMatchObject({ id: 'job-1', status: 'CANCELLED', cancelRequested: true });
  });

  it('a RUNNING job gets cancelRequested (job-runner stops between steps), if it is still RUNNING', async () => {
    const { outcome, calls } = await cancel(admin, job({ status: 'RUNNING', owner: 'someone' }));
    const update = calls[2]!.request as Record<string, any>;
    expect(readable(update.condition)).toBe('(status = "RUNNING")');
    expect(Object.keys(updatedAttributes(update as never)).sort()).toEqual(['cancelRequested', 'updatedAt']);
    expect(outcome.data).toMatchObject({ status: 'RUNNING', cancelRequested: true });
  });

  it('only the owner or an admin may cancel: anyone else is Unauthorized and nothing is written', async () => {
    const { outcome, calls } = await cancel(otherTrader, job());
    expect(calls.map((c) => c.dataSourceName)).toEqual(['Jobs']);
    expect(outcome.error).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access cancelJob on type Mutation' });
  });

  it('an unknown job is NotFound', async () => {
    const { outcome } = await cancel(trader, null);
    expect(outcome.error).toEqual({ message: 'Mutation.cancelJob: job "job-1" does not exist', errorType: 'NotFound', data: null, errorInfo: { field: 'id', value: 'job-1' } });
  });

  it('cancelling a CANCELLED job again answers it unchanged, without a write', async () => {
    const cancelled = job({ status: 'CANCELLED', cancelRequested: true });
    const { outcome, calls } = await cancel(trader, cancelled);
    expect(calls.map((c) => c.dataSourceName)).toEqual(['Jobs', 'None']);
    expect(outcome.data).toEqual(cancelled);
  });

  it('a finished job cannot be cancelled', async () => {
    for (const status of ['SUCCEEDED', 'FAILED']) {
      const { outcome } = await cancel(trader, job({ status }));
      expect(outcome.error).toEqual({
        message: `Mutation.cancelJob: job job-1 already ${status}; only a QUEUED or RUNNING job can be cancelled`,
        errorType: 'InvalidState',
        data: null,
        errorInfo: { field: 'id', status },
      });
    }
  });

  it('a job that started meanwhile is reported with its current state, not overwritten', async () => {
    const now = job({ status: 'RUNNING', progress: 0.1 });
    const { outcome } = await cancel(trader, job(), () => ({ error: CONFLICT, result: now }));
    expect(outcome.error).toEqual({
      message: 'Mutation.cancelJob: job job-1 went from QUEUED to RUNNING while being cancelled; try again',
      errorType: 'DynamoDB:ConditionalCheckFailedException',
      data: now,
      errorInfo: { field: 'id', expectedStatus: 'QUEUED', status: 'RUNNING' },
    });
  });

  it('authorizeJobOwner passes the job on through the NONE data source', () => {
    const run = evaluate('resolvers/pipeline-functions/authorizeJobOwner.ts', 'Mutation.cancelJob', 'request', { arguments: { id: 'job-1' }, identity: trader, prev: { result: job() } });
    expect(run.result).toEqual({ payload: job() });
  });
});
