import { generateClient } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEvent } from '../../client/demo/demo-feed.ts';
import { PUBLISH_PRICE_UPDATE } from '../../client/operations/documents.ts';
import { configureAmplify, openDemoEvent, passwordOf, priceUpdateInput, roleClient } from '../support/pricestream.ts';
import { eventually, startTestRuntime, type TestRuntime } from './test-runtime.ts';

type Observable<T> = { subscribe(o: { next(v: { data: T }): void; error(e: unknown): void }): { unsubscribe(): void } };

const market = demoEvent.markets[0]!;
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime();
  await openDemoEvent(runtime);
  configureAmplify(runtime);
});

afterAll(async () => {
  await signOut().catch(() => {});
  await runtime?.stop();
});

describe('aws-amplify v6 signed in through the local Cognito', () => {
  it('signs the trader in with USER_PASSWORD_AUTH and gets tokens carrying the traders group', async () => {
    const result = await signIn({ username: 'trader', password: passwordOf('trader'), options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    expect(result.isSignedIn).toBe(true);
    const session = await fetchAuthSession();
    expect(session.tokens?.accessToken.payload['cognito:groups']).toEqual(['traders']);
    expect(session.tokens?.idToken?.payload['cognito:username']).toBe('trader');
  });

  it('queries with authMode userPool (Amplify sends the access token), subscribes over wss:// and receives an update', async () => {
    const client = generateClient({ authMode: 'userPool' });
    const queried = (await client.graphql({ query: 'query ($id: ID!) { market(id: $id) { id name version } }', variables: { id: market.id } })) as { data: { market: { id: string; version: number } } };
    expect(queried.data.market).toMatchObject({ id: market.id, name: market.name });

    const received: { marketId: string; version: number }[] = [];
    const errors: unknown[] = [];
    const observable = client.graphql({ query: 'subscription ($id: ID) { onPriceUpdate(marketId: $id) { marketId version } }', variables: { id: market.id } }) as unknown as Observable<{
      onPriceUpdate: { marketId: string; version: number };
    }>;
    const subscription = observable.subscribe({ next: ({ data }) => received.push(data.onPriceUpdate), error: (e) => errors.push(e) });
    await eventually('the subscription to be acknowledged', () => (runtime.apis[0]!.realtime.stats().subscriptions === 1 ? true : undefined));

    await roleClient(runtime, 'PricePublisherRole').request(PUBLISH_PRICE_UPDATE, { input: priceUpdateInput(market.id, 5000) });
    expect(await eventually('the update', () => received.find((u) => u.version === 5000))).toEqual({ marketId: market.id, version: 5000 });
    expect(errors).toEqual([]);
    subscription.unsubscribe();
  });

  it('lets the trader run a trader mutation that a viewer may not', async () => {
    const client = generateClient({ authMode: 'userPool' });
    const { data } = (await client.graphql({ query: 'query ($id: ID!) { market(id: $id) { version } }', variables: { id: market.id } })) as { data: { market: { version: number } } };
    const changed = (await client.graphql({
      query: 'mutation ($id: ID!, $v: Int!) { setMargin(marketId: $id, margin: 0.07, expectedVersion: $v) { id margin version } }',
      variables: { id: market.id, v: data.market.version },
    })) as { data: { setMargin: { margin: number; version: number } } };
    expect(changed.data.setMargin).toMatchObject({ margin: 0.07, version: data.market.version + 1 });
  });

  it('refuses a user-pool token whose signature was tampered with: HTTP 401', async () => {
    const { tokens } = await fetchAuthSession();
    const [header, payload] = tokens!.accessToken.toString().split('.');
    const response = await fetch(runtime.apis[0]!.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `${header}.${payload}.${'A'.repeat(342)}` },
      body: JSON.stringify({ query: '{ market(id: "x") { id } }' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] });
  });
});
