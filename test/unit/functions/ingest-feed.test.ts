import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedStore, LEDGER_TTL_SECONDS, type FeedStore } from '../../../functions/ingest-feed/feed-store.ts';
import { ingestFeedBatch } from '../../../functions/ingest-feed/ingest.ts';
import { createLogger } from '../../../functions/shared/logger.ts';
import { eventMessage, marketMessage, probabilitiesMessage, resultMessage, statusMessage } from './feed-messages.ts';
import { createTables, scanAll, setLambdaEnvironment, startLocalDynamo, type LocalDynamo, type PricestreamTables } from './support/tables.ts';

const CALLER = 'arn:aws:sts::123456789012:assumed-role/PartnerFeedRole/partner-a';
const logLines: string[] = [];
const log = createLogger('ingest-feed-test', (line) => logLines.push(line));

let dynamo: LocalDynamo;
let handlerTables: PricestreamTables;
let handler: (event: any) => Promise<any>;
let tableCount = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  handlerTables = await createTables(dynamo.client, 'handler');
  setLambdaEnvironment(dynamo.server.endpoint, handlerTables);
  // Imported after the environment is set, as Lambda loads a handler into its environment.
  ({ handler } = await import('../../../functions/ingest-feed/handler.ts'));
});

afterAll(async () => {
  await dynamo?.stop();
});

async function freshStore(): Promise<{ store: FeedStore; tables: PricestreamTables }> {
  const tables = await createTables(dynamo.client, `t${++tableCount}`);
  return { tables, store: createFeedStore(dynamo.client, tables) };
}

/** The state a batch leaves, without the times at which it was written. */
async function stateOf(tables: PricestreamTables) {
  const strip = ({ updatedAt: _u, lastChange, ...rest }: Record<string, any>) => ({ ...rest, ...(lastChange && { lastChange: { ...lastChange, at: 'T' } }) });
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return {
    events: (await scanAll(dynamo.client, tables.events)).map(strip).sort(byId),
    markets: (await scanAll(dynamo.client, tables.markets)).map(strip).sort(byId),
  };
}

/** A feed in order: an event, two markets, probabilities moving, status changes, a result. */
const inOrder = [
  eventMessage(1),
  marketMessage(2),
  probabilitiesMessage(3, { home: 0.5, draw: 0.3, away: 0.2 }),
  { ...marketMessage(4, ['over', 'under']), market: { marketId: 'm2', eventId: 'e1', name: 'Total goals 2.5', selections: [{ selectionId: 'over', name: 'Over' }, { selectionId: 'under', name: 'Under' }] } },
  probabilitiesMessage(5, { over: 0.55, under: 0.45 }, 'm2'),
  probabilitiesMessage(6, { home: 0.45, draw: 0.3, away: 0.25 }),
  statusMessage(7, 'SUSPENDED'),
  eventMessage(8, { status: 'LIVE' }),
  probabilitiesMessage(9, { home: 0.6, draw: 0.25, away: 0.15 }),
  statusMessage(10, 'OPEN'),
  statusMessage(11, 'CLOSED', 'm2'),
  resultMessage(12, ['over'], 'm2'),
];

describe('ingest-feed handler (real DynamoDB Local, reached through AWS_ENDPOINT_URL_DYNAMODB)', () => {
  it('applies an ordered feed and reports every message ACCEPTED', async () => {
    const result = await handler({ messages: inOrder, caller: CALLER });
    expect(result).toMatchObject({ accepted: 12, duplicates: 0, stale: 0, rejected: 0 });
    expect(result.results.map((r: any) => [r.sequence, r.outcome, r.reason, r.field])).toEqual(inOrder.map((m) => [m.sequence, 'ACCEPTED', null, null]));

    const { events, markets } = await stateOf(handlerTables);
    expect(events).toEqual([{ id: 'e1', name: 'Reds v Blues', sport: 'football', startTime: '2026-05-01T19:45:00Z', status: 'LIVE', watermarks: { definition: { 'partner-a': 8 } } }]);
    expect(markets).toEqual([
      {
        id: 'm1',
        eventId: 'e1',
        sport: 'football',
        name: 'Match result',
        status: 'OPEN',
        margin: 0.05,
        version: 6, // created, then 5 changes
        feedSequence: 10,
        selections: [{ id: 'home', name: 'HOME', probability: 0.6 }, { id: 'draw', name: 'DRAW', probability: 0.25 }, { id: 'away', name: 'AWAY', probability: 0.15 }],
        lastChange: { source: 'FEED', by: CALLER, at: 'T' },
        watermarks: { definition: { 'partner-a': 2 }, probabilities: { 'partner-a': 9 }, status: { 'partner-a': 10 } },
      },
      {
        id: 'm2',
        eventId: 'e1',
        sport: 'football',
        name: 'Total goals 2.5',
        status: 'SETTLED',
        winningSelectionIds: ['over'],
        margin: 0.05,
        version: 4,
        feedSequence: 12,
        selections: [{ id: 'over', name: 'Over', probability: 0.55 }, { id: 'under', name: 'Under', probability: 0.45 }],
        lastChange: { source: 'FEED', by: CALLER, at: 'T' },
        watermarks: { definition: { 'partner-a': 4 }, probabilities: { 'partner-a': 5 }, status: { 'partner-a': 11 }, result: { 'partner-a': 12 } },
      },
    ]);
    const ledger = await scanAll(dynamo.client, handlerTables.feedMessages);
    expect(ledger).toHaveLength(12);
    expect(ledger.every((e) => e.outcome === 'ACCEPTED' && e.expiresAt - Math.floor(Date.parse(e.processedAt) / 1000) === LEDGER_TTL_SECONDS)).toBe(true);
  });

  it('answers a resent batch with DUPLICATE for every message, changing nothing', async () => {
    const before = await stateOf(handlerTables);
    const result = await handler({ messages: inOrder, caller: CALLER });
    expect(result).toMatchObject({ accepted: 0, duplicates: 12, stale: 0, rejected: 0 });
    expect(result.results[0].reason).toMatch(/^feed partner-a sequence 1 was already processed at \S+ \(ACCEPTED\); nothing applied$/);
    expect(await stateOf(handlerTables)).toEqual(before);
  });

  it('refuses an event that is not a batch, as a Lambda error', async () => {
    await expect(handler({ caller: CALLER })).rejects.toThrow(/the event must be \{ messages: FeedMessageInput\[\], caller: string \}, got \{"caller"/);
  });
});

describe('ingestFeedBatch: duplicates, reordering and malformed messages', () => {
  it('ends a shuffled batch with duplicates and malformed messages in the in-order state, each message with its outcome', async () => {
    const ordered = await freshStore();
    await ingestFeedBatch({ messages: inOrder, caller: CALLER }, { store: ordered.store, log });

    const messy = await freshStore();
    const malformed = { ...probabilitiesMessage(13, { home: 0.5, draw: 0.5, away: 0.5 }) };
    const noIdentity = { feedId: 'partner-a', type: 'EVENT' };
    const batch = [
      inOrder[5], inOrder[2], inOrder[0], malformed, inOrder[8], inOrder[1], inOrder[2], inOrder[11], noIdentity,
      inOrder[3], inOrder[6], inOrder[4], inOrder[10], inOrder[9], inOrder[7], inOrder[0],
    ];
    const result = await ingestFeedBatch({ messages: batch, caller: CALLER }, { store: messy.store, log });
    expect(result.results.map((r) => `${r.sequence}:${r.outcome}`)).toEqual([
      '6:ACCEPTED', '3:ACCEPTED', '1:ACCEPTED', '13:REJECTED', '9:ACCEPTED', '2:ACCEPTED', '3:DUPLICATE', '12:ACCEPTED', '0:REJECTED',
      '4:ACCEPTED', '7:ACCEPTED', '5:ACCEPTED', '11:ACCEPTED', '10:ACCEPTED', '8:ACCEPTED', '1:DUPLICATE',
    ]);
    expect(result).toMatchObject({ accepted: 12, duplicates: 2, stale: 0, rejected: 2 });
    expect(result.results[3]).toEqual({ feedId: 'partner-a', sequence: 13, outcome: 'REJECTED', field: 'probabilities.selections', reason: 'probabilities must sum to 1 (within ±0.01), got 1.5' });
    expect(result.results[8]).toEqual({ feedId: 'partner-a', sequence: 0, outcome: 'REJECTED', field: 'sequence', reason: 'must be an integer from 1 to 2147483647, got nothing' });
    expect(await stateOf(messy.tables)).toEqual(await stateOf(ordered.tables));

    // The malformed message is in the ledger (a resend is a duplicate); the one without a sequence cannot be.
    const ledger = await scanAll(dynamo.client, messy.tables.feedMessages);
    expect(ledger.find((e) => e.sequence === 13)).toMatchObject({ outcome: 'REJECTED', field: 'probabilities.selections' });
    expect(ledger).toHaveLength(13);
  });

  it('reports a message older than one applied in an earlier batch as STALE, per aspect', async () => {
    const { store, tables } = await freshStore();
    await ingestFeedBatch({ messages: [eventMessage(1), marketMessage(2), probabilitiesMessage(5, { home: 0.5, draw: 0.3, away: 0.2 })], caller: CALLER }, { store, log });
    const later = await ingestFeedBatch(
      { messages: [probabilitiesMessage(4, { home: 0.4, draw: 0.4, away: 0.2 }), statusMessage(3, 'SUSPENDED'), eventMessage(1, {}, 'partner-b')], caller: CALLER },
      { store, log },
    );
    expect(later.results).toEqual([
      { feedId: 'partner-a', sequence: 4, outcome: 'STALE', reason: 'feed partner-a already applied sequence 5 to the probabilities of market m1; sequence 4 is not newer', field: null },
      // Older than the probabilities, but the status aspect has seen nothing newer: applied.
      { feedId: 'partner-a', sequence: 3, outcome: 'ACCEPTED', reason: null, field: null },
      // Another feed keeps its own watermarks.
      { feedId: 'partner-b', sequence: 1, outcome: 'ACCEPTED', reason: null, field: null },
    ]);
    const [market] = (await stateOf(tables)).markets;
    expect(market).toMatchObject({ status: 'SUSPENDED', selections: [{ probability: 0.5 }, { probability: 0.3 }, { probability: 0.2 }], version: 3 });
  });

  it('rejects with the offending field when the stored state does not allow a message', async () => {
    const { store } = await freshStore();
    const result = await ingestFeedBatch(
      { messages: [marketMessage(1), eventMessage(2), marketMessage(3), probabilitiesMessage(4, { home: 0.5, draw: 0.3, lost: 0.2 })], caller: CALLER },
      { store, log },
    );
    expect(result.results.map(({ outcome, field }) => [outcome, field])).toEqual([
      ['REJECTED', 'market.eventId'],
      ['ACCEPTED', null],
      ['ACCEPTED', null],
      ['REJECTED', 'probabilities.selections[2].selectionId'],
    ]);
  });

  it('applies a message once when the write committed but its answer was lost (a crash after the transaction)', async () => {
    const { store, tables } = await freshStore();
    await ingestFeedBatch({ messages: [eventMessage(1), marketMessage(2)], caller: CALLER }, { store, log });
    let crash = true;
    const crashing: FeedStore = {
      ...store,
      async apply(change, entry) {
        const outcome = await store.apply(change, entry);
        if (crash) {
          crash = false;
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        }
        return outcome;
      },
    };
    const message = probabilitiesMessage(3, { home: 0.5, draw: 0.3, away: 0.2 });
    const first = await ingestFeedBatch({ messages: [message], caller: CALLER }, { store: crashing, log });
    expect(first.results[0]).toMatchObject({ outcome: 'REJECTED', reason: 'could not be processed (TimeoutError: socket hang up); resending the same feedId and sequence is safe — it is applied at most once' });
    const resent = await ingestFeedBatch({ messages: [message], caller: CALLER }, { store: crashing, log });
    expect(resent.results[0]).toMatchObject({ outcome: 'DUPLICATE' });
    expect((await stateOf(tables)).markets[0]).toMatchObject({ version: 2, selections: [{ probability: 0.5 }, { probability: 0.3 }, { probability: 0.2 }] });
  });

  it('applies a message once when the write failed before committing, on resend', async () => {
    const { store, tables } = await freshStore();
    await ingestFeedBatch({ messages: [eventMessage(1), marketMessage(2)], caller: CALLER }, { store, log });
    let fail = true;
    const failing: FeedStore = {
      ...store,
      async apply(change, entry) {
        if (fail) {
          fail = false;
          throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
        }
        return store.apply(change, entry);
      },
    };
    const batch = [statusMessage(3, 'SUSPENDED'), statusMessage(4, 'OPEN')];
    const first = await ingestFeedBatch({ messages: batch, caller: CALLER }, { store: failing, log });
    expect(first.results.map((r) => r.outcome)).toEqual(['REJECTED', 'ACCEPTED']);
    expect(await scanAll(dynamo.client, tables.feedMessages)).toHaveLength(3); // nothing recorded for the failed one
    // The resend of 3 is now older than the applied 4 on the status aspect: stale, not applied over it.
    const resent = await ingestFeedBatch({ messages: batch, caller: CALLER }, { store: failing, log });
    expect(resent.results.map((r) => r.outcome)).toEqual(['STALE', 'DUPLICATE']);
    expect((await stateOf(tables)).markets[0]).toMatchObject({ status: 'OPEN', version: 2 });
  });

  it('retries on a concurrent trader change and keeps both', async () => {
    const { store, tables } = await freshStore();
    await ingestFeedBatch({ messages: [eventMessage(1), marketMessage(2)], caller: CALLER }, { store, log });
    let traderMoved = false;
    const racing: FeedStore = {
      ...store,
      async readState(target) {
        const state = await store.readState(target);
        if (!traderMoved) {
          traderMoved = true;
          // A trader's setMargin lands between our read and our write.
          await dynamo.client.send(
            new UpdateItemCommand({
              TableName: tables.markets,
              Key: marshall({ id: 'm1' }),
              UpdateExpression: 'SET margin = :m, version = version + :one',
              ExpressionAttributeValues: marshall({ ':m': 0.1, ':one': 1 }),
            }),
          );
        }
        return state;
      },
    };
    const result = await ingestFeedBatch({ messages: [probabilitiesMessage(3, { home: 0.5, draw: 0.3, away: 0.2 })], caller: CALLER }, { store: racing, log });
    expect(result.results[0]!.outcome).toBe('ACCEPTED');
    expect((await stateOf(tables)).markets[0]).toMatchObject({ margin: 0.1, version: 3, selections: [{ probability: 0.5 }, { probability: 0.3 }, { probability: 0.2 }] });
    expect(logLines.some((l) => l.includes('target changed while it was applied') && l.includes('"attempt":1'))).toBe(true);
  });

  it('lets two concurrent deliveries of one batch apply each message exactly once', async () => {
    const ordered = await freshStore();
    await ingestFeedBatch({ messages: inOrder, caller: CALLER }, { store: ordered.store, log });
    const { store, tables } = await freshStore();
    const [a, b] = await Promise.all([ingestFeedBatch({ messages: inOrder, caller: CALLER }, { store, log }), ingestFeedBatch({ messages: inOrder, caller: CALLER }, { store, log })]);
    for (let i = 0; i < inOrder.length; i++) {
      expect([a.results[i]!.outcome, b.results[i]!.outcome].sort()).toEqual(['ACCEPTED', 'DUPLICATE']);
    }
    expect(await stateOf(tables)).toEqual(await stateOf(ordered.tables));
  });

  it('writes watermarks into items created behind its back without them', async () => {
    const { store, tables } = await freshStore();
    await dynamo.client.send(new UpdateItemCommand({ TableName: tables.events, Key: marshall({ id: 'e1' }), UpdateExpression: 'SET #n = :n, sport = :s', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: marshall({ ':n': 'Seeded', ':s': 'football' }) }));
    await dynamo.client.send(
      new UpdateItemCommand({
        TableName: tables.markets,
        Key: marshall({ id: 'm1' }),
        UpdateExpression: 'SET eventId = :e, #n = :n, #s = :s, margin = :m, version = :v, selections = :sel, watermarks = :wm',
        ExpressionAttributeNames: { '#n': 'name', '#s': 'status' },
        ExpressionAttributeValues: marshall({ ':e': 'e1', ':n': 'Seeded market', ':s': 'OPEN', ':m': 0.05, ':v': 1, ':sel': [{ id: 'home', name: 'Home' }, { id: 'away', name: 'Away' }], ':wm': { definition: {} } }),
      }),
    );
    const result = await ingestFeedBatch(
      { messages: [eventMessage(1), probabilitiesMessage(2, { home: 0.5, away: 0.5 }), probabilitiesMessage(3, { home: 0.4, away: 0.6 })], caller: CALLER },
      { store, log },
    );
    expect(result.accepted).toBe(3);
    const { events, markets } = await stateOf(tables);
    expect(events[0]!.watermarks).toEqual({ definition: { 'partner-a': 1 } });
    expect(markets[0]).toMatchObject({ version: 3, watermarks: { definition: {}, probabilities: { 'partner-a': 3 } } });
  });

  it('reports a storage failure for one message and goes on with the others', async () => {
    const { store } = await freshStore();
    const flaky: FeedStore = {
      ...store,
      async readState(target) {
        if (target.id === 'broken') throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError' });
        return store.readState(target);
      },
    };
    const result = await ingestFeedBatch({ messages: [eventMessage(1, { eventId: 'broken' }), eventMessage(2)], caller: CALLER }, { store: flaky, log });
    expect(result.results.map((r) => r.outcome)).toEqual(['REJECTED', 'ACCEPTED']);
    expect(result.results[0]!.reason).toMatch(/^could not be processed \(InternalServerError: Internal server error\)/);
    expect(logLines.some((l) => JSON.parse(l).level === 'ERROR' && l.includes('"sequence":1'))).toBe(true);
  });
});
