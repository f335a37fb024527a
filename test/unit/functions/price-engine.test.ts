import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFeedStore, type FeedStore } from '../../../functions/ingest-feed/feed-store.ts';
import { ingestFeedBatch } from '../../../functions/ingest-feed/ingest.ts';
import { createLogger } from '../../../functions/shared/logger.ts';
import type { DynamoDBStreamEvent } from '../../../functions/shared/stream-event.ts';
import { eventMessage, marketMessage, probabilitiesMessage, resultMessage, statusMessage } from './feed-messages.ts';
import { startFakeAppSync, type FakeAppSync } from './support/fake-appsync.ts';
import { streamReader } from './support/streams.ts';
import { createTables, scanAll, setLambdaEnvironment, startLocalDynamo, TEST_CREDENTIALS, TEST_REGION, type LocalDynamo, type PricestreamTables } from './support/tables.ts';

const CALLER = 'arn:aws:sts::123456789012:assumed-role/PartnerFeedRole/partner-a';
let dynamo: LocalDynamo;
let tables: PricestreamTables;
let appsync: FakeAppSync;
let feed: FeedStore;
let stream: ReturnType<typeof streamReader>;
let handler: (event: DynamoDBStreamEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const logs: Record<string, any>[] = [];
const silentLog = createLogger('test', () => {});

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  tables = await createTables(dynamo.client, 'pe');
  appsync = await startFakeAppSync({ region: TEST_REGION, secrets: { [TEST_CREDENTIALS.accessKeyId]: TEST_CREDENTIALS.secretAccessKey } });
  setLambdaEnvironment(dynamo.server.endpoint, tables, { GRAPHQL_URL: appsync.url, PRICE_HISTORY_TTL_DAYS: '30', PRICE_CONFLATION_WINDOW_MS: '0' });
  ({ handler } = await import('../../../functions/price-engine/handler.ts'));
  feed = createFeedStore(dynamo.client, tables);
  stream = streamReader(dynamo.client, dynamo.server.endpoint, tables.markets);
  vi.spyOn(console, 'log').mockImplementation((line: string) => {
    logs.push(JSON.parse(line));
  });
});

afterEach(() => {
  appsync.requests.length = 0;
  logs.length = 0;
  appsync.respond = (request) => ({ status: 200, body: { data: { [request.field]: request.variables.input } } });
});

afterAll(async () => {
  vi.restoreAllMocks();
  stream?.close();
  await appsync?.close();
  await dynamo?.stop();
});

const ingest = (messages: unknown[]) => ingestFeedBatch({ messages, caller: CALLER }, { store: feed, log: silentLog });

describe('price-engine handler (real DynamoDB Local and its stream; publishing to a recording AppSync stand-in)', () => {
  it('prices a market when its probabilities arrive, stores the update and publishes it signed with SigV4', async () => {
    await ingest([eventMessage(1), marketMessage(2)]);
    const created = await stream.next();
    expect(created.Records.map((r) => r.eventName)).toEqual(['INSERT']);
    expect(await handler(created)).toEqual({ batchItemFailures: [] });
    expect(appsync.requests).toEqual([]); // no probabilities yet: not priceable

    await ingest([probabilitiesMessage(3, { home: 0.45, draw: 0.27, away: 0.28 })]);
    const priced = await stream.next();
    expect(await handler(priced)).toEqual({ batchItemFailures: [] });

    const [market] = await scanAll(dynamo.client, tables.markets);
    const expected = {
      marketId: 'm1',
      eventId: 'e1',
      sport: 'football',
      version: 2,
      status: 'OPEN',
      margin: 0.05,
      publishedAt: market!.updatedAt,
      source: 'FEED',
      previousVersion: null,
      selections: [
        { selectionId: 'home', name: 'HOME', probability: 0.45, price: { decimal: 2.1, fractional: '11/10', american: 110, impliedProbability: 1 / 2.1 } },
        { selectionId: 'draw', name: 'DRAW', probability: 0.27, price: { decimal: 3.5, fractional: '5/2', american: 250, impliedProbability: 1 / 3.5 } },
        { selectionId: 'away', name: 'AWAY', probability: 0.28, price: { decimal: 3.4, fractional: '12/5', american: 240, impliedProbability: 1 / 3.4 } },
      ],
    };
    expect(appsync.requests).toHaveLength(1);
    const [publish] = appsync.requests;
    expect(publish!.field).toBe('publishPriceUpdate');
    expect(publish!.variables).toEqual({ input: expected });
    expect(publish!.signature).toEqual({ ok: true, accessKeyId: TEST_CREDENTIALS.accessKeyId });
    expect(publish!.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/\\d{8}/${TEST_REGION}/appsync/aws4_request, SignedHeaders=`));

    const history = await scanAll(dynamo.client, tables.prices);
    expect(history).toEqual([{ ...expected, sk: `${market!.updatedAt}#0000000002`, expiresAt: Math.floor(Date.parse(market!.updatedAt) / 1000) + 30 * 86400 }]);
    expect(logs.find((l) => l.message === 'published market m1 version 2')).toMatchObject({ level: 'INFO', service: 'price-engine', why: 'probabilities' });
    expect(await scanAll(dynamo.client, tables.publications)).toEqual([
      { marketId: 'm1', eventId: 'e1', version: 2, previousVersion: null, status: 'OPEN', publishedAt: market!.updatedAt, publishedAtMs: expect.any(Number), delivered: true },
    ]);
  });

  it('publishes nothing for changes that do not move prices, and again for a status change', async () => {
    await ingest([marketMessage(4, ['home', 'draw', 'away'], { name: 'Full-time result' }), statusMessage(5, 'SUSPENDED')]);
    const event = await stream.next();
    expect(event.Records).toHaveLength(2);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    // Version 3 (the new name) is never published: version 4 follows version 2.
    expect(appsync.requests.map((r) => [r.variables.input.version, r.variables.input.status, r.variables.input.previousVersion])).toEqual([[4, 'SUSPENDED', 2]]);
  });

  it('is idempotent on retry: a delivered version is not published again; an undelivered one is, with the same previousVersion', async () => {
    await ingest([statusMessage(6, 'OPEN')]);
    const event = await stream.next();
    await handler(event);
    const before = await scanAll(dynamo.client, tables.prices);
    await handler(event);
    expect(await scanAll(dynamo.client, tables.prices)).toEqual(before);
    expect(appsync.requests.map((r) => [r.variables.input.version, r.variables.input.previousVersion])).toEqual([[5, 4]]);

    appsync.respond = () => ({ status: 500, body: { errors: [{ errorType: 'InternalFailure', message: 'try again' }] } });
    await ingest([statusMessage(7, 'SUSPENDED')]);
    const next = await stream.next();
    expect((await handler(next)).batchItemFailures).toHaveLength(1);
    appsync.respond = (request) => ({ status: 200, body: { data: { [request.field]: request.variables.input } } });
    expect(await handler(next)).toEqual({ batchItemFailures: [] });
    expect(appsync.requests.slice(1).map((r) => [r.variables.input.version, r.variables.input.previousVersion])).toEqual([[6, 5], [6, 5]]);
    await ingest([statusMessage(8, 'OPEN')]);
    await handler(await stream.next());
  });

  it('publishes the final SETTLED update when a market is settled', async () => {
    await ingest([statusMessage(9, 'CLOSED'), resultMessage(10, ['draw'])]);
    const event = await stream.next();
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    // Closing publishes too (clients must see the market is no longer OPEN), then the settlement.
    expect(appsync.requests.map((r) => [r.variables.input.version, r.variables.input.status, r.variables.input.previousVersion])).toEqual([[8, 'CLOSED', 7], [9, 'SETTLED', 8]]);
  });

  it('fails a record it cannot price alone, naming the market and the reason', async () => {
    const item = (id: string, margin: unknown) => ({
      id, eventId: 'e1', name: id, status: 'OPEN', margin, version: 1, updatedAt: '2026-05-01T12:00:00.000Z',
      selections: [{ id: 'a', name: 'A', probability: 0.5 }, { id: 'b', name: 'B', probability: 0.5 }],
    });
    await dynamo.client.send(new PutItemCommand({ TableName: tables.markets, Item: marshall(item('good-before', 0.05)) }));
    await dynamo.client.send(new PutItemCommand({ TableName: tables.markets, Item: marshall(item('poisoned', 1.5)) }));
    await dynamo.client.send(new PutItemCommand({ TableName: tables.markets, Item: marshall(item('good-after', 0.1)) }));
    await dynamo.client.send(new DeleteItemCommand({ TableName: tables.markets, Key: marshall({ id: 'good-before' }) }));
    const event = await stream.next();
    expect(event.Records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'INSERT', 'REMOVE']);
    const poisoned = event.Records[1]!.dynamodb!.SequenceNumber!;

    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: poisoned }] });
    // Markets are priced side by side, so their publications may come in any order.
    expect(appsync.requests.map((r) => r.variables.input.marketId).sort()).toEqual(['good-after', 'good-before']);
    expect(logs.filter((l) => l.level === 'ERROR')).toEqual([
      expect.objectContaining({
        message: 'cannot price market poisoned: margin: margin must be a number with 0 <= margin < 1 (0.05 is a 105% book), got 1.5',
        marketId: 'poisoned',
        sequenceNumber: poisoned,
      }),
    ]);
  });

  it('fails the record when AppSync refuses the publish, so that it is retried', async () => {
    appsync.respond = () => ({ status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] } });
    await ingest([probabilitiesMessage(11, { home: 0.4, draw: 0.3, away: 0.3 }, 'm1')]);
    const event = await stream.next();
    // m1 is SETTLED: the feed's message is rejected, nothing changes. Use a fresh market instead.
    expect(event.Records).toHaveLength(0);
    await ingest([{ ...marketMessage(12), market: { ...marketMessage(12).market, marketId: 'm3' } }, probabilitiesMessage(13, { home: 0.4, draw: 0.3, away: 0.3 }, 'm3')]);
    const next = await stream.next();
    const result = await handler(next);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: next.Records[1]!.dynamodb!.SequenceNumber }]);
    expect(logs.find((l) => l.level === 'ERROR')!.message).toBe(
      'cannot price market m3: AppSyncRequestError: mutation PublishPriceUpdate: AppSync answered HTTP 401 with UnauthorizedException: You are not authorized to make this call.',
    );
  });
});
