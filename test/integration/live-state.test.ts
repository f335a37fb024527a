import { BatchWriteItemCommand, DynamoDBClient, type BatchWriteItemCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEvent } from '../../client/demo/demo-feed.ts';
import type { FeedMessageInput, IngestFeedMutation } from '../../client/generated/operations.ts';
import { INGEST_FEED } from '../../client/operations/documents.ts';
import type { AppSyncClient } from '../../sdk/appsync-client.ts';
import { apiKeyClient, openDemoEvent } from '../support/pricestream.ts';
import { apiKey } from '../support/callers.ts';
import { connectRealtime, type RealtimeConnection } from '../support/realtime-client.ts';
import { eventually, startTestRuntime, type TestRuntime } from './test-runtime.ts';

/**
 * The live-state guarantees of docs/live-state.md on the local runtime, through the real path
 * (ingestFeed → markets/events streams → price-engine / event-publisher; the heartbeat Lambda
 * started by its EventBridge rule): heartbeats every 3 s with the last published versions,
 * a previousVersion chain that priceHistory agrees with, onEventUpdate for a new event, and a
 * burst on one market conflated to at most one publication per 250 ms window, and a beat of
 * 4,000 markets split into messages under AppSync's 240 KB subscription payload limit.
 */

type Published = { marketId: string; version: number; previousVersion: number | null; selections: { probability: number }[] };
type Heartbeat = { at: string; intervalSeconds: number; markets: { marketId: string; eventId: string; version: number }[] };
const PRICE_FIELDS = 'marketId version previousVersion selections { probability }';
const WINDOW_MS = 250;

let runtime: TestRuntime;
let partner: AppSyncClient;
let reader: AppSyncClient;
let sequence = 1_000;

/** A subscription on its own real-time connection with the API key; `received()` is its data so far. */
async function subscribe<T>(query: string, variables: Record<string, unknown> = {}): Promise<{ received(): T[]; close(): void }> {
  const api = runtime.apis[0]!;
  const auth = apiKey(api.model.apiKeys[0]!.value);
  const connection: RealtimeConnection = await connectRealtime(`wss://localhost:${api.port}/graphql/realtime`, await auth(new URL(`${api.graphqlUrl}/connect`), '{}'));
  connection.send({ type: 'connection_init' });
  await connection.next((f) => f.type === 'connection_ack');
  const data = JSON.stringify({ query, variables });
  connection.send({ id: 'sub', type: 'start', payload: { data, extensions: { authorization: await auth(new URL(api.graphqlUrl), data) } } });
  await connection.next((f) => f.id === 'sub' && f.type === 'start_ack');
  const received = () => connection.frames.filter((f) => f.type === 'data' && f.id === 'sub').map((f) => Object.values((f.payload as { data: Record<string, T> }).data)[0]!);
  return { received, close: () => connection.close() };
}

const probabilities = (marketId: string, p: number): FeedMessageInput => ({
  feedId: 'live-state-feed',
  sequence: (sequence += 1),
  type: 'PROBABILITIES',
  probabilities: { marketId, selections: [{ selectionId: 'yes', probability: p }, { selectionId: 'no', probability: Math.round((1 - p) * 10_000) / 10_000 }] },
});

async function ingest(messages: FeedMessageInput[]) {
  const { ingestFeed } = await partner.request<IngestFeedMutation>(INGEST_FEED, { messages });
  expect(ingestFeed.rejected, JSON.stringify(ingestFeed.results.filter((r) => r.outcome === 'REJECTED'))).toBe(0);
  return ingestFeed;
}

async function marketVersion(id: string): Promise<number> {
  const { market } = await reader.request<{ market: { version: number } }>('query ($id: ID!) { market(id: $id) { version } }', { id });
  return market.version;
}

async function history(marketId: string): Promise<Published[]> {
  const { priceHistory } = await reader.request<{ priceHistory: { items: Published[] } }>(`query ($id: ID!) { priceHistory(marketId: $id, limit: 1000) { items { ${PRICE_FIELDS} } } }`, { id: marketId });
  return priceHistory.items;
}

/** Every publication's previousVersion is the version of the one before it. */
function chainBreaks(publications: Published[]): string[] {
  return publications.slice(1).flatMap((p, i) => (p.previousVersion === publications[i]!.version ? [] : [`version ${p.version} follows ${p.previousVersion}, but ${publications[i]!.version} was published before it`]));
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  ({ partner } = await openDemoEvent(runtime, 'live-state-opening'));
  reader = apiKeyClient(runtime);
}, 60_000);

afterAll(async () => {
  reader?.close();
  partner?.close();
  await runtime?.stop();
});

const btts = demoEvent.markets.find((m) => m.id.endsWith('btts'))!;

describe('heartbeat', () => {
  it('reaches an onHeartbeat subscriber every ~3 s with each market\'s last published version', async () => {
    const beats = await subscribe<Heartbeat>('subscription { onHeartbeat { at intervalSeconds markets { marketId eventId version } } }');
    const received = await eventually('three heartbeats', () => (beats.received().length >= 3 ? beats.received() : undefined), 15_000);
    beats.close();
    // Every 3 s as published (`at`): one late beat (a slow scan) shortens the next gap, so the
    // two gaps are checked together; none reaches the 8 s of silence a client takes as a dead link.
    const gaps = received.slice(1, 3).map((b, i) => Date.parse(b.at) - Date.parse(received[i]!.at));
    expect(gaps[0]! + gaps[1]!).toBeGreaterThan(4_000);
    expect(gaps[0]! + gaps[1]!).toBeLessThan(8_000);
    for (const gap of gaps) expect(gap).toBeLessThan(8_000);
    const last = received.at(-1)!;
    expect(last.intervalSeconds).toBe(3);
    for (const market of demoEvent.markets) {
      const listed = last.markets.find((m) => m.marketId === market.id);
      expect(listed, market.id).toMatchObject({ eventId: demoEvent.id });
      expect(listed!.version).toBe((await history(market.id)).at(-1)!.version);
    }
  });
});

describe('previousVersion', () => {
  it('chains every publication of a feed of N messages to the one before, and priceHistory holds exactly that chain', async () => {
    const updates = await subscribe<Published>(`subscription ($id: ID) { onPriceUpdate(marketId: $id) { ${PRICE_FIELDS} } }`, { id: btts.id });
    const before = (await history(btts.id)).at(-1)!.version;
    // 40 messages in batches of 1–3 with short pauses: some publish alone, some are conflated;
    // a definition resend (a version no price follows) and a repeat in between.
    const sent: number[] = [];
    for (let i = 0; i < 20; i++) {
      const batch = Array.from({ length: 1 + (i % 3) }, (_, j) => probabilities(btts.id, 0.3 + ((i * 3 + j) % 30) / 100));
      if (i === 7) batch.push({ feedId: 'live-state-feed', sequence: (sequence += 1), type: 'MARKET', market: { marketId: btts.id, eventId: demoEvent.id, name: btts.name, selections: btts.selections.map((s) => ({ selectionId: s.id, name: s.name })) } });
      sent.push(...batch.map((m) => m.sequence));
      await ingest(batch);
      await new Promise((resolve) => setTimeout(resolve, 40 + (i % 4) * 60));
    }
    const final = await marketVersion(btts.id);
    await eventually('the final version published', () => (updates.received().at(-1)?.version === final ? true : undefined), 15_000);
    updates.close();

    const received = updates.received();
    expect(received[0]!.previousVersion).toBe(before);
    expect(chainBreaks(received)).toEqual([]);
    const stored = (await history(btts.id)).filter((h) => h.version > before);
    expect(stored.map((h) => [h.version, h.previousVersion])).toEqual(received.map((r) => [r.version, r.previousVersion]));
    expect(final - before).toBeGreaterThan(received.length); // some versions were never published, and the chain says so
  });
});

describe('event updates', () => {
  it('a new event from the feed reaches onEventUpdate(sport) subscribers without a reload; another sport does not', async () => {
    const football = await subscribe<{ id: string; name: string; status: string }>('subscription { onEventUpdate(sport: "football") { id name sport startTime status updatedAt } }');
    const tennis = await subscribe<{ id: string }>('subscription { onEventUpdate(sport: "tennis") { id } }');
    const event = (status: 'SCHEDULED' | 'LIVE'): FeedMessageInput => ({
      feedId: 'live-state-feed',
      sequence: (sequence += 1),
      type: 'EVENT',
      event: { eventId: 'evt-live-state', name: 'Lakeside v Hilltop', sport: 'football', startTime: '2026-12-03T20:00:00.000Z', status },
    });
    await ingest([event('SCHEDULED')]);
    await eventually('the new event', () => football.received().find((r) => r.id === 'evt-live-state'), 15_000);
    await ingest([event('LIVE')]);
    await eventually('its status change', () => football.received().find((r) => r.status === 'LIVE'), 15_000);
    football.close();
    tennis.close();
    expect(football.received().map((r) => [r.id, r.name, r.status])).toEqual([
      ['evt-live-state', 'Lakeside v Hilltop', 'SCHEDULED'],
      ['evt-live-state', 'Lakeside v Hilltop', 'LIVE'],
    ]);
    expect(tennis.received()).toEqual([]);
  });
});

describe('conflation', () => {
  it('a burst of 100 messages on one market in about a second publishes at most one update per window, ending in the final state', async () => {
    const updates = await subscribe<Published>(`subscription ($id: ID) { onPriceUpdate(marketId: $id) { ${PRICE_FIELDS} } }`, { id: btts.id });
    const start = Date.now();
    const last: FeedMessageInput[] = [];
    for (let i = 0; i < 20; i++) {
      const batch = Array.from({ length: 5 }, (_, j) => probabilities(btts.id, 0.2 + ((i * 5 + j) % 50) / 100));
      last.splice(0, last.length, ...batch);
      await ingest(batch);
    }
    const final = await marketVersion(btts.id);
    await eventually('the final version published', () => (updates.received().at(-1)?.version === final ? true : undefined), 15_000);
    const elapsed = Date.now() - start;
    updates.close();

    const received = updates.received();
    expect(received.length).toBeLessThan(100);
    expect(received.length).toBeLessThanOrEqual(Math.ceil(elapsed / WINDOW_MS) + 1);
    expect(chainBreaks(received)).toEqual([]);
    const finalProbability = last.at(-1)!.probabilities!.selections[0]!.probability;
    expect(received.at(-1)!.selections[0]!.probability).toBe(finalProbability);
  });
});

describe('heartbeat at scale', () => {
  it('lists 4,000 markets in each beat, in messages that AppSync delivers, where one message of ~276 KB would be dropped', async () => {
    const table = runtime.model.tables.find((t) => t.logicalId.startsWith('PublicationsTable'))!;
    const dynamo = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const ids = Array.from({ length: 4_000 }, (_, i) => `scale-market-${String(i).padStart(4, '0')}`);
    // Written behind the API's back: what the price engine records once it has published each market.
    const item = (marketId: string) => marshall({ marketId, eventId: 'scale-event', version: 1, previousVersion: null, status: 'OPEN', publishedAt: new Date().toISOString(), publishedAtMs: Date.now(), delivered: true });
    for (let i = 0; i < ids.length; i += 25) {
      let requests: BatchWriteItemCommandInput['RequestItems'] = { [table.tableName]: ids.slice(i, i + 25).map((id) => ({ PutRequest: { Item: item(id) } })) };
      while (requests && Object.keys(requests).length > 0) requests = (await dynamo.send(new BatchWriteItemCommand({ RequestItems: requests }))).UnprocessedItems;
    }
    dynamo.destroy();

    const beats = await subscribe<Heartbeat>('subscription { onHeartbeat { at intervalSeconds markets { marketId eventId version } } }');
    // The first beat whose scan saw every market: its messages share its `at`.
    const whole = await eventually(
      'a beat listing all 4,000 markets',
      () =>
        [...Map.groupBy(beats.received(), (b) => b.at).values()].find((messages) => {
          const listed = new Set(messages.flatMap((m) => m.markets.map((x) => x.marketId)));
          return ids.every((id) => listed.has(id));
        }),
      20_000,
    );
    beats.close();
    expect(whole.length).toBeGreaterThan(1);
    for (const message of whole) expect(Buffer.byteLength(JSON.stringify({ data: { onHeartbeat: message } }))).toBeLessThan(240 * 1024);
    const listed = whole.flatMap((m) => m.markets.map((x) => x.marketId));
    expect(listed).toEqual([...listed].sort());
    expect(new Set(listed).size).toBe(listed.length);
    expect(runtime.logs.filter((line) => line.includes('payload-too-large'))).toEqual([]);
  });
});
