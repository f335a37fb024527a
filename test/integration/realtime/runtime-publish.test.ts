import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppSyncClient, type AppSyncClient } from '../../../sdk/appsync-client.ts';
import { eventually, startTestRuntime } from '../test-runtime.ts';
import { openRaw, subprotocolFor, type RawClient } from '../../unit/realtime/harness.ts';

/**
 * The real-time server inside the local runtime: a SigV4-signed publishPriceUpdate runs through
 * the executor and the template's resolvers, and reaches raw subscribers over wss:// with
 * AppSync's payload rules — the subscriber's selection projected onto what the mutation selected.
 */

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let client: RawClient;
let publisher: AppSyncClient;
let apiKey: string;

const PUBLISH = /* GraphQL */ `
  mutation Publish($input: PublishPriceUpdateInput!) {
    publishPriceUpdate(input: $input) { marketId v: version eventId }
  }
`;
const PUBLISH_WITH_STATUS = /* GraphQL */ `
  mutation Publish($input: PublishPriceUpdateInput!) {
    publishPriceUpdate(input: $input) { marketId version status }
  }
`;

function update(marketId: string, version: number, status = 'OPEN') {
  return {
    marketId,
    eventId: 'evt-1',
    sport: 'football',
    version,
    status,
    margin: 0.05,
    publishedAt: new Date().toISOString(),
    source: 'FEED',
    selections: [{ selectionId: 's1', name: 'Home', probability: 0.5, price: { decimal: 1.9, fractional: '9/10', american: -111, impliedProbability: 0.5263 } }],
  };
}

function signedPublisher(): AppSyncClient {
  const credential = runtime.credentials.find((c) => c.name.startsWith('PricePublisherRole'));
  if (!credential) throw new Error(`no local credential for PricePublisherRole; have ${runtime.credentials.map((c) => c.name).join(', ')}`);
  return createAppSyncClient({ endpoint: runtime.apis[0]!.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: credential } });
}

async function start(id: string, query: string): Promise<string> {
  const data = JSON.stringify({ query, variables: {} });
  const from = client.frames.length;
  client.send({ id, type: 'start', payload: { data, extensions: { authorization: { host: new URL(runtime.apis[0]!.graphqlUrl).host, 'x-api-key': apiKey } } } });
  return (await client.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'), 10_000, from)).type;
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  const api = runtime.apis[0]!;
  apiKey = api.model.apiKeys[0]!.value;
  publisher = signedPublisher();
  client = await openRaw(`wss://localhost:${api.port}/graphql/realtime`, { protocols: subprotocolFor({ host: new URL(api.graphqlUrl).host, 'x-api-key': apiKey }) });
  client.send({ type: 'connection_init' });
  await client.next((f) => f.type === 'connection_ack', 10_000);
});

afterAll(async () => {
  client?.close();
  publisher?.close();
  await runtime?.stop();
});

describe('publishPriceUpdate → onPriceUpdate through the local runtime', () => {
  it('delivers the subscriber’s selection of what the mutation selected: aliases undone, unselected fields null or errors', async () => {
    expect(await start('m1', 'subscription { onPriceUpdate(marketId: "mkt-1") { marketId sport version } }')).toBe('start_ack');
    expect(await start('m2', 'subscription { onPriceUpdate(marketId: "mkt-2") { marketId } }')).toBe('start_ack');
    expect(await start('status', 'subscription { onPriceUpdate(marketId: "mkt-1") { status } }')).toBe('start_ack');

    const published = await publisher.request(PUBLISH, { input: update('mkt-1', 2) });
    expect(published).toEqual({ publishPriceUpdate: { marketId: 'mkt-1', v: 2, eventId: 'evt-1' } });

    const m1 = await client.next((f) => f.type === 'data' && f.id === 'm1', 10_000);
    // `sport` was not in the mutation's selection set: null (DOC-DATA); `version` arrives though the mutation aliased it.
    expect(m1.payload).toEqual({ data: { onPriceUpdate: { marketId: 'mkt-1', sport: null, version: 2 } } });
    const status = await client.next((f) => f.type === 'data' && f.id === 'status', 10_000);
    expect(status.payload.data).toEqual({ onPriceUpdate: null });
    expect(status.payload.errors[0].message).toBe('Cannot return null for non-nullable field PriceUpdate.status.');
    expect(client.frames.some((f) => f.type === 'data' && f.id === 'm2')).toBe(false);
  });

  it('ends a market’s subscriptions when its SETTLED update is published (the template’s invalidation)', async () => {
    expect(await start('settle', 'subscription { onPriceUpdate(marketId: "mkt-3") { marketId status } }')).toBe('start_ack');
    await publisher.request(PUBLISH_WITH_STATUS, { input: update('mkt-3', 5, 'SETTLED') });
    // UNVERIFIED wire message (docs/reference/appsync-realtime.md §3.6): `complete` for the id.
    await client.next((f) => f.type === 'complete' && f.id === 'settle', 10_000);
    await eventually('the subscription to be gone', () => (runtime.apis[0]!.realtime.stats().subscriptions === 3 ? true : undefined));
    const from = client.frames.length;
    await publisher.request(PUBLISH_WITH_STATUS, { input: update('mkt-3', 6) });
    await publisher.request(PUBLISH, { input: update('mkt-1', 7) });
    await client.next((f) => f.type === 'data' && f.id === 'm1', 10_000, from);
    expect(client.frames.slice(from).some((f) => f.id === 'settle')).toBe(false);
  });
});
