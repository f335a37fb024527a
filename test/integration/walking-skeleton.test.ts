import { readFileSync } from 'node:fs';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEvent } from '../../client/demo/demo-feed.ts';
import { PUBLISH_PRICE_UPDATE } from '../../client/operations/documents.ts';
import { apiKeyClient, openDemoEvent, priceUpdateInput, roleClient } from '../support/pricestream.ts';
import { eventually, startTestRuntime, type TestRuntime } from './test-runtime.ts';

// Records the URLs Amplify opens, to show subscriptions really travel over wss://.
const openedSockets: string[] = [];
const NativeWebSocket = globalThis.WebSocket;
globalThis.WebSocket = class extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    openedSockets.push(String(url));
    super(url, protocols);
  }
} as typeof WebSocket;

const MARKET_QUERY = /* GraphQL */ `
  query Market($id: ID!) {
    market(id: $id) { id eventId name status margin version selections { id name probability price { decimal fractional american impliedProbability } } }
  }
`;
const ON_PRICE_UPDATE = /* GraphQL */ `
  subscription OnPriceUpdate($marketId: ID) {
    onPriceUpdate(marketId: $marketId) { marketId eventId version source selections { selectionId price { decimal } } }
  }
`;

type Observable<T> = { subscribe(o: { next(v: { data: T }): void; error(e: unknown): void }): { unsubscribe(): void } };

let runtime: TestRuntime;
const [market, otherMarket] = demoEvent.markets;

beforeAll(async () => {
  runtime = await startTestRuntime();
  await openDemoEvent(runtime);
  // Configured only from the outputs file the runtime wrote, as a user would.
  Amplify.configure(JSON.parse(readFileSync(runtime.outputsPath, 'utf8')));
});

afterAll(async () => {
  await runtime?.stop();
});

describe('walking skeleton: aws-amplify v6 against the local runtime', () => {
  it('writes outputs that point Amplify at the local endpoint with the template API key', () => {
    const outputs = JSON.parse(readFileSync(runtime.outputsPath, 'utf8'));
    expect(outputs.data.url).toBe(runtime.apis[0]!.graphqlUrl);
    expect(outputs.data.api_key).toBe(runtime.apis[0]!.model.apiKeys[0]!.value);
    expect(outputs.data.default_authorization_type).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(outputs.data.authorization_types).toEqual(expect.arrayContaining(['AWS_IAM', 'API_KEY']));
  });

  it('queries market(id) with the API key through the JS resolvers reading DynamoDB Local', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const result = (await client.graphql({ query: MARKET_QUERY, variables: { id: market!.id } })) as { data: { market: { selections: { id: string; price: unknown }[] } & Record<string, unknown> } };
    expect(result.data.market).toMatchObject({ id: market!.id, eventId: demoEvent.id, name: market!.name, status: 'OPEN', margin: 0.05 });
    expect(result.data.market.selections.map((s) => s.id)).toEqual(market!.selections.map((s) => s.id));
    for (const selection of result.data.market.selections) expect(selection.price).toMatchObject({ decimal: expect.any(Number), fractional: expect.stringMatching(/^\d+\/\d+$/) });
  });

  it('answers an unknown market with null, not an error', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const result = (await client.graphql({ query: MARKET_QUERY, variables: { id: 'no-such-market' } })) as { data: { market: unknown }; errors?: unknown };
    expect(result.data.market).toBeNull();
    expect(result.errors).toBeUndefined();
  });

  it('delivers a SigV4-signed publishPriceUpdate to an onPriceUpdate subscriber over wss://, filtered by marketId', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const received: Record<string, unknown>[] = [];
    const receivedOther: Record<string, unknown>[] = [];
    const errors: unknown[] = [];
    const sub = client.graphql({ query: ON_PRICE_UPDATE, variables: { marketId: market!.id } }) as unknown as Observable<{ onPriceUpdate: Record<string, unknown> }>;
    const other = client.graphql({ query: ON_PRICE_UPDATE, variables: { marketId: otherMarket!.id } }) as unknown as typeof sub;
    const subscription = sub.subscribe({ next: ({ data }) => received.push(data.onPriceUpdate), error: (e) => errors.push(e) });
    const otherSubscription = other.subscribe({ next: ({ data }) => receivedOther.push(data.onPriceUpdate), error: (e) => errors.push(e) });
    await eventually('both subscriptions to be acknowledged', () => (runtime.apis[0]!.realtime.stats().subscriptions === 2 ? true : undefined));

    const publisher = roleClient(runtime, 'PricePublisherRole');
    const published = await publisher.request<{ publishPriceUpdate: { version: number } }>(PUBLISH_PRICE_UPDATE, { input: priceUpdateInput(market!.id, 1000) });
    expect(published.publishPriceUpdate.version).toBe(1000);

    const update = await eventually('the price update to arrive', () => received.find((u) => u.version === 1000));
    expect(update).toEqual({ marketId: market!.id, eventId: demoEvent.id, version: 1000, source: 'TRADER', selections: [{ selectionId: 'home', price: { decimal: 1.9 } }] });
    expect(errors).toEqual([]);
    expect(receivedOther.filter((u) => u.version === 1000)).toEqual([]);
    expect(openedSockets.length).toBeGreaterThan(0);
    expect(openedSockets.every((url) => url.startsWith(`wss://localhost:${runtime.apis[0]!.port}/graphql/realtime`))).toBe(true);
    subscription.unsubscribe();
    otherSubscription.unsubscribe();
    publisher.close();
  });

  it('refuses publishPriceUpdate with the API key: the field is IAM-only', async () => {
    const client = apiKeyClient(runtime);
    await expect(client.request(PUBLISH_PRICE_UPDATE, { input: priceUpdateInput(market!.id, 1001) })).rejects.toMatchObject({
      data: { publishPriceUpdate: null },
      errors: [expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access publishPriceUpdate on type Mutation', path: ['publishPriceUpdate'] })],
    });
  });

  it('refuses publishPriceUpdate to the partner role, whose policy allows only ingestFeed', async () => {
    const partner = roleClient(runtime, 'PartnerFeedRole');
    await expect(partner.request(PUBLISH_PRICE_UPDATE, { input: priceUpdateInput(market!.id, 1002) })).rejects.toMatchObject({
      data: { publishPriceUpdate: null },
      errors: [expect.objectContaining({ errorType: 'Unauthorized', path: ['publishPriceUpdate'] })],
    });
  });

  it('answers a wrong API key with HTTP 401 and UnauthorizedException', async () => {
    const response = await fetch(runtime.apis[0]!.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'da2-wrong' },
      body: JSON.stringify({ query: '{ market(id: "x") { id } }' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] });
  });

  it('serves the same API over HTTPS on the same port, with the local CA trusted', async () => {
    const error = await apiKeyClient(runtime)
      .request('{ market(id: "x") { id } }')
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeUndefined();
    const https = await fetch(runtime.apis[0]!.graphqlUrl.replace('http://', 'https://'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': runtime.apis[0]!.model.apiKeys[0]!.value },
      body: JSON.stringify({ query: `{ market(id: "${market!.id}") { id } }` }),
    });
    expect(await https.json()).toEqual({ data: { market: { id: market!.id } } });
  });
});
