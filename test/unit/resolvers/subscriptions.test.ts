import { describe, expect, it } from 'vitest';
import { admin, apiKey, evaluate, resolve, trader, viewer } from './harness.ts';

const group = (...filters: { fieldName: string; operator: string; value: unknown }[]) => ({ filterGroup: [{ filters }] });

describe('Subscription.onPriceUpdate: arguments → one enhanced filter', () => {
  const subscribe = (args: Record<string, unknown>, identity: unknown = apiKey) => resolve('Subscription.onPriceUpdate', { arguments: args, identity });

  it('runs on the NONE data source and resolves to null', async () => {
    const { outcome, calls } = await subscribe({ marketId: 'mkt-1' });
    expect(calls.map((c) => [c.dataSourceName, c.request])).toEqual([['None', { payload: null }]]);
    expect(outcome.data).toBeNull();
    expect(outcome.error).toBeUndefined();
  });

  it('one market: marketId eq, and an invalidation filter on it (settlement ends the subscription)', async () => {
    const { outcome } = await subscribe({ marketId: 'mkt-1' }, viewer);
    expect(outcome.extensions.subscriptionFilter).toEqual(group({ fieldName: 'marketId', operator: 'eq', value: 'mkt-1' }));
    expect(outcome.extensions.subscriptionInvalidationFilter).toEqual(group({ fieldName: 'marketId', operator: 'eq', value: 'mkt-1' }));
  });

  it('one event, or several, and sports: every given argument must match (one AND group)', async () => {
    const one = await subscribe({ eventId: 'evt-1', sports: ['football'] });
    expect(one.outcome.extensions.subscriptionFilter).toEqual(
      group({ fieldName: 'eventId', operator: 'eq', value: 'evt-1' }, { fieldName: 'sport', operator: 'in', value: ['football'] }),
    );
    expect(one.outcome.extensions.subscriptionInvalidationFilter).toBeUndefined();
    const several = await subscribe({ marketId: 'mkt-1', eventIds: ['evt-1', 'evt-2'] });
    expect(several.outcome.extensions.subscriptionFilter).toEqual(
      group({ fieldName: 'marketId', operator: 'eq', value: 'mkt-1' }, { fieldName: 'eventId', operator: 'in', value: ['evt-1', 'evt-2'] }),
    );
  });

  it('no argument, or only nulls: a filter every update passes, so explicit nulls do not turn into "must be null"', async () => {
    const everything = group({ fieldName: 'marketId', operator: 'ne', value: '' });
    expect((await subscribe({})).outcome.extensions.subscriptionFilter).toEqual(everything);
    expect((await subscribe({ marketId: null, eventId: null, eventIds: null, sports: null })).outcome.extensions.subscriptionFilter).toEqual(everything);
  });

  it('refuses eventId together with eventIds (AppSync allows a field once per filter group)', () => {
    const run = evaluate('resolvers/Subscription.onPriceUpdate.ts', 'Subscription.onPriceUpdate', 'response', { arguments: { eventId: 'evt-1', eventIds: ['evt-2'] } });
    expect(run.error?.message).toBe('Subscription.onPriceUpdate: eventIds must be absent when eventId is given (one rule per field); got ["evt-2"]');
  });

  it('refuses empty lists and lists over AppSync’s 5 values of an `in` rule', async () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'];
    const tooMany = await subscribe({ eventIds: six });
    expect(tooMany.outcome.error).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'eventIds', value: six } });
    expect(tooMany.outcome.extensions.subscriptionFilter).toBeUndefined();
    expect((await subscribe({ sports: [] })).outcome.error?.message).toBe('Subscription.onPriceUpdate: sports must be 1 to 5 sports; got []');
    expect((await subscribe({ sports: ['a', 'b', 'c', 'd', 'e'] })).outcome.error).toBeUndefined();
  });
});

describe('Subscription.onEventUpdate and Subscription.onHeartbeat', () => {
  it('onEventUpdate(sport) filters on sport; without it (or null), every event update passes', async () => {
    const subscribe = async (args: Record<string, unknown>) => (await resolve('Subscription.onEventUpdate', { arguments: args, identity: apiKey })).outcome.extensions.subscriptionFilter;
    expect(await subscribe({ sport: 'football' })).toEqual(group({ fieldName: 'sport', operator: 'eq', value: 'football' }));
    expect(await subscribe({})).toEqual(group({ fieldName: 'id', operator: 'ne', value: '' }));
    expect(await subscribe({ sport: null })).toEqual(group({ fieldName: 'id', operator: 'ne', value: '' }));
  });

  it('onHeartbeat resolves to null on the NONE data source with no filter (every subscriber gets every heartbeat)', async () => {
    const { outcome, calls } = await resolve('Subscription.onHeartbeat', { arguments: {}, identity: viewer });
    expect(calls.map((c) => [c.dataSourceName, c.request])).toEqual([['None', { payload: null }]]);
    expect(outcome.data).toBeNull();
    expect(outcome.extensions.subscriptionFilter).toBeUndefined();
  });
});

describe('Subscription.onJobUpdate: owner filter', () => {
  const subscribe = (identity: unknown, args: Record<string, unknown> = {}) => resolve('Subscription.onJobUpdate', { arguments: args, identity });

  it('a user receives only their own jobs', async () => {
    expect((await subscribe(trader)).outcome.extensions.subscriptionFilter).toEqual(group({ fieldName: 'owner', operator: 'eq', value: 'trader' }));
  });

  it('with an id: that job, and still only if theirs', async () => {
    expect((await subscribe(viewer, { id: 'job-1' })).outcome.extensions.subscriptionFilter).toEqual(
      group({ fieldName: 'owner', operator: 'eq', value: 'viewer' }, { fieldName: 'id', operator: 'eq', value: 'job-1' }),
    );
  });

  it('admins receive every job, or the one they name', async () => {
    expect((await subscribe(admin)).outcome.extensions.subscriptionFilter).toEqual(group({ fieldName: 'id', operator: 'ne', value: '' }));
    expect((await subscribe(admin, { id: 'job-9' })).outcome.extensions.subscriptionFilter).toEqual(group({ fieldName: 'id', operator: 'eq', value: 'job-9' }));
  });

  it('refuses callers without a user-pool identity (no owner to filter on)', async () => {
    const { outcome } = await subscribe(apiKey);
    expect(outcome.error).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access onJobUpdate on type Subscription' });
    expect(outcome.extensions.subscriptionFilter).toBeUndefined();
  });
});
