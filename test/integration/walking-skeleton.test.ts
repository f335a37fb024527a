import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppSyncClient } from '../../client/appsync-client.ts';
import { demoEvent } from '../../client/demo/demo-data.ts';
import { seedDemo } from '../../client/demo/seed.ts';
import { eventually, startTestRuntime } from './test-runtime.ts';

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
const PUBLISH = /* GraphQL */ `
  mutation Publish($input: PublishPriceUpdateInput!) {
    publishPriceUpdate(input: $input) { marketId eventId sport version status margin publishedAt source selections { selectionId name probability price { decimal fractional american impliedProbability } } }
  }
`;

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
const [market, otherMarket] = demoEvent.markets;

/** The local access key standing for a role of the template (CDK suffixes logical ids with a hash). */
function credentialFor(rolePrefix: string) {
  const credential = runtime.credentials.find((c) => c.name.startsWith(rolePrefix));
  if (!credential) throw new Error(`no local credential for a role named ${rolePrefix}*; roles: ${runtime.credentials.map((c) => c.name).join(', ')}`);
  return { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey };
}

function priceUpdate(marketId: string, version: number) {
  return {
    marketId,
    eventId: demoEvent.id,
    sport: demoEvent.sport,
    version,
    status: 'OPEN',
    margin: 0.05,
    publishedAt: new Date().toISOString(),
    source: 'FEED',
    selections: [{ selectionId: 's1', name: 'Home', probability: 0.5, price: { decimal: 1.9, fractional: '9/10', american: -111, impliedProbability: 0.5263 } }],
  };
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  const table = runtime.model.tables.find((t) => t.logicalId.startsWith('MarketsTable'))!;
  const dynamo = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await seedDemo(dynamo, table.tableName);
  dynamo.destroy();
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
  });

  it('queries market(id) with the API key through a JS resolver reading DynamoDB Local', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const result = (await client.graphql({ query: MARKET_QUERY, variables: { id: market!.id } })) as { data: { market: Record<string, unknown> } };
    expect(result.data.market).toMatchObject({ id: market!.id, eventId: demoEvent.id, name: market!.name, status: 'OPEN', version: 1 });
    expect((result.data.market.selections as unknown[]).length).toBe(market!.selections.length);
  });

  it('answers an unknown market with null, not an error', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const result = (await client.graphql({ query: MARKET_QUERY, variables: { id: 'no-such-market' } })) as { data: { market: unknown } };
    expect(result.data.market).toBeNull();
  });

  it('delivers a SigV4-signed publishPriceUpdate to an onPriceUpdate subscriber over wss://, filtered by marketId', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const received: Record<string, unknown>[] = [];
    const receivedOther: unknown[] = [];
    const errors: unknown[] = [];
    const sub = client.graphql({ query: ON_PRICE_UPDATE, variables: { marketId: market!.id } }) as unknown as {
      subscribe(o: { next(v: { data: { onPriceUpdate: Record<string, unknown> } }): void; error(e: unknown): void }): { unsubscribe(): void };
    };
    const other = client.graphql({ query: ON_PRICE_UPDATE, variables: { marketId: otherMarket!.id } }) as unknown as typeof sub;
    const subscription = sub.subscribe({ next: ({ data }) => received.push(data.onPriceUpdate), error: (e) => errors.push(e) });
    const otherSubscription = other.subscribe({ next: ({ data }) => receivedOther.push(data.onPriceUpdate), error: (e) => errors.push(e) });

    await eventually('both subscriptions to be acknowledged', () => (runtime.apis[0]!.realtime.stats().subscriptions === 2 ? true : undefined));
    const publisher = createAppSyncClient({
      endpoint: runtime.apis[0]!.graphqlUrl,
      region: runtime.region,
      auth: { type: 'AWS_IAM', credentials: credentialFor('PricePublisherRole') },
    });
    const published = await publisher.request<{ publishPriceUpdate: { version: number } }, unknown>(PUBLISH, { input: priceUpdate(market!.id, 2) });
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishPriceUpdate.version).toBe(2);

    const update = await eventually('the price update to arrive', () => received[0]);
    expect(update).toEqual({ marketId: market!.id, eventId: demoEvent.id, version: 2, source: 'FEED', selections: [{ selectionId: 's1', price: { decimal: 1.9 } }] });
    expect(errors).toEqual([]);
    expect(receivedOther).toEqual([]);
    expect(openedSockets.length).toBeGreaterThan(0);
    expect(openedSockets.every((url) => url.startsWith(`wss://localhost:${runtime.apis[0]!.port}/graphql/realtime`))).toBe(true);
    subscription.unsubscribe();
    otherSubscription.unsubscribe();
  });

  it('refuses publishPriceUpdate with the API key: the field is IAM-only', async () => {
    const client = createAppSyncClient({ endpoint: runtime.apis[0]!.graphqlUrl, region: runtime.region, auth: { type: 'API_KEY', apiKey: runtime.apis[0]!.model.apiKeys[0]!.value } });
    const result = await client.request<{ publishPriceUpdate: unknown }, unknown>(PUBLISH, { input: priceUpdate(market!.id, 3) });
    expect(result.data).toEqual({ publishPriceUpdate: null });
    expect(result.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access publishPriceUpdate on type Mutation', path: ['publishPriceUpdate'] })]);
  });

  it('refuses publishPriceUpdate to the partner role, whose policy allows only ingestFeed', async () => {
    const partner = createAppSyncClient({ endpoint: runtime.apis[0]!.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: credentialFor('PartnerFeedRole') } });
    const result = await partner.request<{ publishPriceUpdate: unknown }, unknown>(PUBLISH, { input: priceUpdate(market!.id, 4) });
    expect(result.data).toEqual({ publishPriceUpdate: null });
    expect(result.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized', path: ['publishPriceUpdate'] })]);
  });

  it('answers a SigV4 signature made with the wrong secret with HTTP 401', async () => {
    const forged = createAppSyncClient({
      endpoint: runtime.apis[0]!.graphqlUrl,
      region: runtime.region,
      auth: { type: 'AWS_IAM', credentials: { ...credentialFor('PricePublisherRole'), secretAccessKey: 'not-the-secret' } },
    });
    await expect(forged.request(PUBLISH, { input: priceUpdate(market!.id, 5) })).rejects.toThrow(/401/);
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
});
