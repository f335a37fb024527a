import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppSyncClient } from '../../client/appsync-client.ts';
import { demoEvent } from '../../client/demo/demo-data.ts';
import { seedDemo } from '../../client/demo/seed.ts';
import { eventually, startTestRuntime } from './test-runtime.ts';

const { users } = JSON.parse(readFileSync(new URL('../../client/demo/users.json', import.meta.url), 'utf8'));
const trader = users.find((u: { username: string }) => u.username === 'trader');
const market = demoEvent.markets[0]!;
let runtime: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  runtime = await startTestRuntime({ users });
  const table = runtime.model.tables.find((t) => t.logicalId.startsWith('MarketsTable'))!;
  const dynamo = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await seedDemo(dynamo, table.tableName);
  dynamo.destroy();
  const outputs = JSON.parse(readFileSync(runtime.outputsPath, 'utf8'));
  Amplify.configure(outputs);
  const config = Amplify.getConfig();
  // Amplify's outputs have no field for a custom Cognito endpoint; the runtime lists it.
  Amplify.configure({ ...config, Auth: { Cognito: { ...config.Auth!.Cognito, userPoolEndpoint: outputs.custom.local_runtime.user_pool_endpoint } } });
});

afterAll(async () => {
  await signOut().catch(() => {});
  await runtime?.stop();
});

describe('aws-amplify v6 signed in through the local Cognito', () => {
  it('signs the trader in with USER_PASSWORD_AUTH and gets tokens carrying the traders group', async () => {
    const result = await signIn({ username: trader.username, password: trader.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    expect(result.isSignedIn).toBe(true);
    const session = await fetchAuthSession();
    expect(session.tokens?.accessToken.payload['cognito:groups']).toEqual(['traders']);
  });

  it('queries with authMode userPool (Amplify sends the access token) and subscribes over wss://', async () => {
    const client = generateClient({ authMode: 'userPool' });
    const queried = (await client.graphql({ query: 'query ($id: ID!) { market(id: $id) { id name } }', variables: { id: market.id } })) as { data: { market: { id: string } } };
    expect(queried.data.market.id).toBe(market.id);

    const received: unknown[] = [];
    const errors: unknown[] = [];
    const observable = client.graphql({ query: 'subscription ($id: ID) { onPriceUpdate(marketId: $id) { marketId version } }', variables: { id: market.id } }) as unknown as {
      subscribe(o: { next(v: { data: { onPriceUpdate: unknown } }): void; error(e: unknown): void }): { unsubscribe(): void };
    };
    const subscription = observable.subscribe({ next: ({ data }) => received.push(data.onPriceUpdate), error: (e) => errors.push(e) });
    await eventually('the subscription to be acknowledged', () => (runtime.apis[0]!.realtime.stats().subscriptions === 1 ? true : undefined));

    const publisherKey = runtime.credentials.find((c) => c.name.startsWith('PricePublisherRole'))!;
    const publisher = createAppSyncClient({ endpoint: runtime.apis[0]!.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: publisherKey } });
    const published = await publisher.request(
      'mutation ($input: PublishPriceUpdateInput!) { publishPriceUpdate(input: $input) { marketId eventId version } }',
      {
        input: {
          marketId: market.id,
          eventId: demoEvent.id,
          version: 7,
          status: 'OPEN',
          margin: 0.05,
          publishedAt: new Date().toISOString(),
          source: 'TRADER',
          selections: [{ selectionId: 's1', name: 'Home', probability: 0.5, price: { decimal: 1.9, fractional: '9/10', american: -111, impliedProbability: 0.5263 } }],
        },
      },
    );
    expect(published.errors).toBeUndefined();
    expect(await eventually('the update', () => received[0])).toEqual({ marketId: market.id, version: 7 });
    expect(errors).toEqual([]);
    subscription.unsubscribe();
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
