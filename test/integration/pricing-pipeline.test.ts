import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { generateClient } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoFeed, demoEvent } from '../../client/demo/demo-feed.ts';
import type { FeedMessageInput, IngestFeedMutation } from '../../client/generated/operations.ts';
import { INGEST_FEED } from '../../client/operations/documents.ts';
import { priceSelections } from '../../functions/domain/pricing/price-market.ts';
import { readFailures } from '../../local/event-sources/index.ts';
import { apiKeyClient, configureAmplify, openDemoEvent, passwordOf, roleClient, seeded } from '../support/pricestream.ts';
import { connectRealtime, type RealtimeConnection } from '../support/realtime-client.ts';
import { bearer, signInTokens } from '../support/callers.ts';
import { eventually, startTestRuntime, type TestRuntime } from './test-runtime.ts';

/**
 * The product end to end on the local runtime: a partner's feed batch becomes prices that a
 * signed-in viewer receives live and can read back; a trader's margin change reprices and
 * publishes; a trader's job streams its progress to them (and admins), and to no one else.
 */

type Observable<T> = { subscribe(o: { next(v: { data: T }): void; error(e: unknown): void }): { unsubscribe(): void } };
type PriceUpdate = { marketId: string; version: number; source: string; margin: number; selections: { selectionId: string; probability: number; price: { decimal: number; fractional: string; american: number } }[] };

const market = demoEvent.markets[0]!;
const PRICE_FIELDS = 'marketId version source margin selections { selectionId probability price { decimal fractional american } }';
let runtime: TestRuntime;

async function signInAs(username: string) {
  await signOut().catch(() => {});
  const result = await signIn({ username, password: passwordOf(username), options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  expect(result.isSignedIn).toBe(true);
}

function subscribe<T>(query: string, variables: Record<string, unknown>, into: T[], errors: unknown[]) {
  const client = generateClient({ authMode: 'userPool' });
  return (client.graphql({ query, variables }) as unknown as Observable<Record<string, T>>).subscribe({
    next: ({ data }) => into.push(Object.values(data)[0]!),
    error: (e) => errors.push(e),
  });
}

/** A second user on their own raw real-time connection (Amplify holds one signed-in user). */
async function rawSubscriber(username: string, id: string, query: string): Promise<RealtimeConnection> {
  const api = runtime.apis[0]!;
  const { accessToken } = await signInTokens(runtime, runtime.model.userPools[0]!.clients[0]!.clientId, username, passwordOf(username));
  const auth = bearer(accessToken);
  const connection = await connectRealtime(`wss://localhost:${api.port}/graphql/realtime`, await auth(new URL(`${api.graphqlUrl}/connect`), '{}'));
  connection.send({ type: 'connection_init' });
  await connection.next((f) => f.type === 'connection_ack');
  const data = JSON.stringify({ query, variables: {} });
  connection.send({ id, type: 'start', payload: { data, extensions: { authorization: await auth(new URL(api.graphqlUrl), data) } } });
  await connection.next((f) => f.id === id && f.type === 'start_ack');
  return connection;
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  await openDemoEvent(runtime, 'opening-feed');
  configureAmplify(runtime);
});

afterAll(async () => {
  await signOut().catch(() => {});
  await runtime?.stop();
});

describe('feed in, prices out', () => {
  it('turns a partner feed batch into prices a signed-in viewer receives live and reads back from priceHistory', async () => {
    await signInAs('viewer');
    const received: PriceUpdate[] = [];
    const errors: unknown[] = [];
    const subscription = subscribe<PriceUpdate>(`subscription ($id: ID) { onPriceUpdate(marketId: $id) { ${PRICE_FIELDS} } }`, { id: market.id }, received, errors);
    await eventually('the viewer subscription', () => (runtime.apis[0]!.realtime.stats().subscriptions === 1 ? true : undefined));

    const feed = createDemoFeed('pipeline-feed', seeded(7));
    const messages: FeedMessageInput[] = [...feed.tick(), ...feed.tick()].filter((m) => m.probabilities!.marketId === market.id);
    const since = new Date().toISOString();
    const { ingestFeed } = await roleClient(runtime, 'PartnerFeedRole').request<IngestFeedMutation>(INGEST_FEED, { messages });
    expect(ingestFeed).toMatchObject({ accepted: 2, duplicates: 0, stale: 0, rejected: 0 });

    // The last probabilities of the batch, priced with the market's margin, as price-engine must.
    const last = messages.at(-1)!.probabilities!.selections;
    const expected = priceSelections(
      0.05,
      last.map((s) => ({ selectionId: s.selectionId, name: s.selectionId, probability: s.probability })),
    ).map((s) => ({ selectionId: s.selectionId, probability: s.probability, price: { decimal: s.price.decimal, fractional: s.price.fractional, american: s.price.american } }));
    const update = await eventually('the computed prices to reach the viewer', () =>
      received.find((u) => u.source === 'FEED' && JSON.stringify(u.selections.map((s) => s.probability)) === JSON.stringify(last.map((s) => s.probability))),
    20_000);
    expect(update.selections).toEqual(expected);
    expect(errors).toEqual([]);

    const client = generateClient({ authMode: 'userPool' });
    const history = (await client.graphql({ query: `query ($id: ID!, $since: AWSDateTime) { priceHistory(marketId: $id, since: $since) { items { ${PRICE_FIELDS} } } }`, variables: { id: market.id, since } })) as {
      data: { priceHistory: { items: PriceUpdate[] } };
    };
    const versions = history.data.priceHistory.items.map((i) => i.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(history.data.priceHistory.items.at(-1)).toEqual(update);
    subscription.unsubscribe();
  });
});

describe('a poisoned record', () => {
  it('is retried and recorded in the on-failure destination while the rest of the stream flows', async () => {
    const table = runtime.model.tables.find((t) => t.logicalId.startsWith('MarketsTable'))!;
    const dynamo = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // Written behind the API's back: a margin no market may have, which price-engine cannot price.
    await dynamo.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: marshall({
          id: 'mkt-poisoned',
          eventId: demoEvent.id,
          sport: demoEvent.sport,
          name: 'Poisoned',
          status: 'OPEN',
          margin: 5,
          version: 1,
          selections: [{ id: 'a', name: 'A', probability: 0.5 }, { id: 'b', name: 'B', probability: 0.5 }],
          lastChange: { source: 'FEED', by: 'test', at: new Date().toISOString() },
          updatedAt: new Date().toISOString(),
        }),
      }),
    );
    dynamo.destroy();
    const feed = createDemoFeed('after-poison', seeded(11));
    const messages = feed.tick().filter((m) => m.probabilities!.marketId === demoEvent.markets[1]!.id);
    await roleClient(runtime, 'PartnerFeedRole').request<IngestFeedMutation>(INGEST_FEED, { messages });
    const reader = apiKeyClient(runtime);
    const want = JSON.stringify(messages[0]!.probabilities!.selections.map((s) => s.probability));
    await eventually('the next market to be priced past the poisoned record', async () => {
      const { priceHistory } = await reader.request<{ priceHistory: { items: { selections: { probability: number }[] }[] } }>(
        'query ($id: ID!) { priceHistory(marketId: $id, limit: 1000) { items { selections { probability } } } }',
        { id: demoEvent.markets[1]!.id },
      );
      return priceHistory.items.some((i) => JSON.stringify(i.selections.map((x) => x.probability)) === want) ? true : undefined;
    }, 30_000);
    const failure = await eventually('the on-failure record', () => readFailures(runtime.stateDir).find((f) => f.destination.includes('PriceEngineStreamFailureQueue')), 60_000);
    // price-engine reports the record in batchItemFailures (a partial batch response, so the
    // invocation itself succeeded: no functionError); it is retried from that record until exhausted.
    expect(failure.record.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', functionArn: expect.stringContaining('PriceEngine'), approximateInvokeCount: 4 });
    expect(failure.record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(failure.record.DDBStreamBatchInfo.streamArn).toContain(table.tableName);
    expect(runtime.logs.some((l) => l.includes('cannot price market mkt-poisoned: margin'))).toBe(true);
  }, 90_000);
});

describe('traders', () => {
  it("reprices and publishes on a trader's setMargin", async () => {
    await signInAs('trader');
    const client = generateClient({ authMode: 'userPool' });
    const received: PriceUpdate[] = [];
    const errors: unknown[] = [];
    const subscription = subscribe<PriceUpdate>(`subscription ($id: ID) { onPriceUpdate(marketId: $id) { ${PRICE_FIELDS} } }`, { id: market.id }, received, errors);
    await eventually('the trader subscription', () => (runtime.apis[0]!.realtime.stats().subscriptions >= 1 ? true : undefined));

    const { data } = (await client.graphql({ query: 'query ($id: ID!) { market(id: $id) { version selections { id probability } } }', variables: { id: market.id } })) as {
      data: { market: { version: number; selections: { id: string; probability: number }[] } };
    };
    const changed = (await client.graphql({
      query: 'mutation ($id: ID!, $v: Int!) { setMargin(marketId: $id, margin: 0.12, expectedVersion: $v) { version margin } }',
      variables: { id: market.id, v: data.market.version },
    })) as { data: { setMargin: { version: number; margin: number } } };
    expect(changed.data.setMargin).toEqual({ version: data.market.version + 1, margin: 0.12 });

    const update = await eventually('the repriced market', () => received.find((u) => u.version === changed.data.setMargin.version), 20_000);
    expect(update).toMatchObject({ source: 'TRADER', margin: 0.12 });
    const expected = priceSelections(0.12, data.market.selections.map((s) => ({ selectionId: s.id, name: s.id, probability: s.probability })));
    expect(update.selections.map((s) => s.price.decimal)).toEqual(expected.map((s) => s.price.decimal));

    const conflict = await Promise.resolve(
      client.graphql({ query: 'mutation ($id: ID!, $v: Int!) { setMargin(marketId: $id, margin: 0.2, expectedVersion: $v) { version } }', variables: { id: market.id, v: data.market.version } }),
    ).then(
      () => undefined,
      (e: { errors: { errorType: string }[] }) => e,
    );
    expect(conflict?.errors[0]?.errorType).toBe('DynamoDB:ConditionalCheckFailedException');
    subscription.unsubscribe();
  });

  it("streams a trader's job progress to them and to admins, and nothing of it to another user", async () => {
    const session = await fetchAuthSession();
    expect(session.tokens?.accessToken.payload.username).toBe('trader');
    const client = generateClient({ authMode: 'userPool' });
    const mine: { id: string; status: string; progress: number; owner: string }[] = [];
    const errors: unknown[] = [];
    const subscription = subscribe('subscription { onJobUpdate { id status progress owner message } }', {}, mine, errors);
    const viewer = await rawSubscriber('viewer', 'viewer-jobs', 'subscription { onJobUpdate { id status progress } }');
    const admin = await rawSubscriber('admin', 'admin-jobs', 'subscription { onJobUpdate { id status progress } }');
    await eventually('three job subscriptions', () => (runtime.apis[0]!.realtime.stats().subscriptions >= 3 ? true : undefined));

    const started = (await client.graphql({
      query: 'mutation ($params: AWSJSON) { startJob(type: REPRICE_EVENT, params: $params) { id status owner } }',
      variables: { params: JSON.stringify({ eventId: demoEvent.id }) },
    })) as { data: { startJob: { id: string; status: string; owner: string } } };
    expect(started.data.startJob).toMatchObject({ status: 'QUEUED', owner: 'trader' });
    const jobId = started.data.startJob.id;

    const done = await eventually('the job to succeed', () => mine.find((u) => u.id === jobId && u.status === 'SUCCEEDED'), 30_000);
    expect(done.progress).toBe(1);
    const progress = mine.filter((u) => u.id === jobId).map((u) => u.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.length).toBeGreaterThanOrEqual(demoEvent.markets.length);
    expect(mine.every((u) => u.owner === 'trader')).toBe(true);
    await eventually('the admin to see it', () => admin.frames.find((f) => f.type === 'data' && JSON.stringify(f.payload).includes('SUCCEEDED')));
    // Frames reach a connection in publish order, so an update of the viewer's own, published
    // now, arrives after anything of the trader's job could have: then it must be all they got.
    const own = { id: 'viewer-own-job', type: 'REPRICE_EVENT', status: 'RUNNING', owner: 'viewer', progress: 0.5, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    const publisher = roleClient(runtime, 'PricePublisherRole');
    await publisher.request('mutation ($input: PublishJobUpdateInput!) { publishJobUpdate(input: $input) { id type status owner progress createdAt updatedAt } }', { input: own });
    publisher.close();
    await eventually("the viewer's own job update", () => viewer.frames.find((f) => f.type === 'data'));
    expect(viewer.frames.filter((f) => f.type === 'data').map((f) => f.payload)).toEqual([{ data: { onJobUpdate: { id: own.id, status: own.status, progress: own.progress } } }]);
    expect(errors).toEqual([]);

    const jobs = (await client.graphql({ query: 'query { myJobs { items { id status } } }' })) as { data: { myJobs: { items: { id: string; status: string }[] } } };
    expect(jobs.data.myJobs.items).toContainEqual({ id: jobId, status: 'SUCCEEDED' });
    subscription.unsubscribe();
    viewer.close();
    admin.close();
  });
});
