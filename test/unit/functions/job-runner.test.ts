import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobItem } from '../../../functions/domain/jobs/job.ts';
import { createFeedStore } from '../../../functions/ingest-feed/feed-store.ts';
import { ingestFeedBatch } from '../../../functions/ingest-feed/ingest.ts';
import { processJobRecords } from '../../../functions/job-runner/process-records.ts';
import { storePriceUpdate } from '../../../functions/price-engine/price-history.ts';
import { processMarketRecords } from '../../../functions/price-engine/process-records.ts';
import { buildPriceUpdate, type PriceUpdate } from '../../../functions/domain/pricing/price-update.ts';
import { createLogger } from '../../../functions/shared/logger.ts';
import type { DynamoDBStreamEvent } from '../../../functions/shared/stream-event.ts';
import { eventMessage, marketMessage, probabilitiesMessage, statusMessage } from './feed-messages.ts';
import { startFakeAppSync, type FakeAppSync } from './support/fake-appsync.ts';
import { streamReader } from './support/streams.ts';
import { createTables, setLambdaEnvironment, startLocalDynamo, TEST_CREDENTIALS, TEST_REGION, type LocalDynamo, type PricestreamTables } from './support/tables.ts';

const silent = createLogger('test', () => {});
let dynamo: LocalDynamo;
let tables: PricestreamTables;
let appsync: FakeAppSync;
let jobs: ReturnType<typeof streamReader>;
let markets: ReturnType<typeof streamReader>;
let handler: (event: DynamoDBStreamEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const logs: Record<string, any>[] = [];
let jobCount = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  tables = await createTables(dynamo.client, 'jr');
  appsync = await startFakeAppSync({ region: TEST_REGION, secrets: { [TEST_CREDENTIALS.accessKeyId]: TEST_CREDENTIALS.secretAccessKey } });
  setLambdaEnvironment(dynamo.server.endpoint, tables, { GRAPHQL_URL: appsync.url });
  ({ handler } = await import('../../../functions/job-runner/handler.ts'));
  jobs = streamReader(dynamo.client, dynamo.server.endpoint, tables.jobs);
  markets = streamReader(dynamo.client, dynamo.server.endpoint, tables.markets);
  vi.spyOn(console, 'log').mockImplementation((line: string) => {
    logs.push(JSON.parse(line));
  });
  const feed = createFeedStore(dynamo.client, tables);
  const m = (id: string, sequence: number) => ({ ...marketMessage(sequence), market: { ...marketMessage(sequence).market, marketId: id, name: `Market ${id}` } });
  await ingestFeedBatch(
    {
      messages: [
        eventMessage(1),
        m('m1', 2), probabilitiesMessage(3, { home: 0.5, draw: 0.3, away: 0.2 }, 'm1'),
        m('m2', 4), probabilitiesMessage(5, { home: 0.4, draw: 0.3, away: 0.3 }, 'm2'),
        m('m3', 6), statusMessage(7, 'CLOSED', 'm3'),
      ],
      caller: 'partner',
    },
    { store: feed, log: silent },
  );
  await markets.next(); // the feed's records are not this test's concern
});

afterEach(() => {
  appsync.requests.length = 0;
  logs.length = 0;
  appsync.respond = (request) => ({ status: 200, body: { data: { [request.field]: request.variables.input } } });
});

afterAll(async () => {
  vi.restoreAllMocks();
  jobs?.close();
  markets?.close();
  await appsync?.close();
  await dynamo?.stop();
});

/** What startJob writes: a QUEUED job owned by its caller. */
async function startJob(type: JobItem['type'], params: unknown): Promise<string> {
  const id = `job-${++jobCount}`;
  const at = new Date().toISOString();
  await dynamo.client.send(
    new PutItemCommand({
      TableName: tables.jobs,
      Item: marshall({ id, type, status: 'QUEUED', owner: 'trader1', params: JSON.stringify(params), progress: 0, createdAt: at, updatedAt: at, expiresAt: Math.floor(Date.now() / 1000) + 86400 }),
    }),
  );
  return id;
}

async function jobItem(id: string): Promise<JobItem> {
  return unmarshall((await dynamo.client.send(new GetItemCommand({ TableName: tables.jobs, Key: marshall({ id }), ConsistentRead: true }))).Item!) as JobItem;
}

/** What the event source mapping delivers: its filter passes INSERT records only (the runner's own updates are MODIFYs). */
async function nextInserts(): Promise<DynamoDBStreamEvent> {
  const event = await jobs.next();
  return { Records: event.Records.filter((r) => r.eventName === 'INSERT') };
}

const published = () => appsync.requests.map((r) => r.variables.input as Record<string, any>);

describe('job-runner handler (real DynamoDB Local and its stream; publishing to a recording AppSync stand-in)', () => {
  it('runs REPRICE_EVENT: markets get version + 1 and TRADER, every step is stored and published, signed', async () => {
    const id = await startJob('REPRICE_EVENT', { eventId: 'e1' });
    const event = await nextInserts();
    expect(event.Records).toHaveLength(1);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });

    const final = await jobItem(id);
    expect(final).toMatchObject({ status: 'SUCCEEDED', progress: 1, message: 'done after 4 step(s)' });
    expect(JSON.parse(final.result!)).toEqual({ eventId: 'e1', repriced: [{ marketId: 'm1', version: 3 }, { marketId: 'm2', version: 3 }], skipped: [{ marketId: 'm3', reason: 'CLOSED' }] });
    expect(published().map((j) => [j.status, j.progress, j.message])).toEqual([
      ['RUNNING', 0, 'started'],
      ['RUNNING', 0.25, 'event e1 has 3 market(s)'],
      ['RUNNING', 0.5, 'repriced market m1 at version 3'],
      ['RUNNING', 0.75, 'repriced market m2 at version 3'],
      ['RUNNING', 1, 'skipped market m3: CLOSED'],
      ['SUCCEEDED', 1, 'done after 4 step(s)'],
    ]);
    expect(appsync.requests.every((r) => r.field === 'publishJobUpdate' && r.signature.ok)).toBe(true);
    // Exactly the schema's PublishJobUpdateInput: no cancelRequested, no expiresAt.
    expect(Object.keys(published().at(-1)!).sort()).toEqual(['createdAt', 'error', 'id', 'message', 'owner', 'params', 'progress', 'result', 'status', 'type', 'updatedAt']);

    // The markets' stream now makes the price engine republish them as TRADER changes.
    const republished: PriceUpdate[] = [];
    await processMarketRecords(await markets.next(), {
      windowMs: 0,
      lastPublication: async () => undefined,
      currentMarket: async () => undefined,
      store: async () => {},
      recordPublication: async () => {},
      publish: async (u) => void republished.push(u),
      markDelivered: async () => {},
      now: () => Date.now(),
      sleep: async () => {},
      log: silent,
    });
    expect(republished.map((u) => [u.marketId, u.version, u.source]).sort()).toEqual([['m1', 3, 'TRADER'], ['m2', 3, 'TRADER']]);
  });

  it('cancels between steps when cancelJob sets cancelRequested while a step runs', async () => {
    const id = await startJob('REPRICE_EVENT', { eventId: 'e1' });
    appsync.respond = async (request) => {
      if (request.variables.input.message === 'event e1 has 3 market(s)') {
        await dynamo.client.send(new UpdateItemCommand({ TableName: tables.jobs, Key: marshall({ id }), UpdateExpression: 'SET cancelRequested = :t', ExpressionAttributeValues: marshall({ ':t': true }) }));
      }
      return { status: 200, body: { data: { publishJobUpdate: request.variables.input } } };
    };
    expect(await handler(await nextInserts())).toEqual({ batchItemFailures: [] });
    expect(await jobItem(id)).toMatchObject({ status: 'CANCELLED', progress: 0.25, message: 'cancelled after step 1: event e1 has 3 market(s)' });
    expect(published().map((j) => j.status)).toEqual(['RUNNING', 'RUNNING', 'CANCELLED']);
    await markets.next(); // nothing repriced
    const m1 = unmarshall((await dynamo.client.send(new GetItemCommand({ TableName: tables.markets, Key: marshall({ id: 'm1' }) }))).Item!);
    expect(m1.version).toBe(3);
  });

  it('does not run a job cancelled while it was QUEUED', async () => {
    const id = await startJob('REPRICE_EVENT', { eventId: 'e1' });
    await dynamo.client.send(new UpdateItemCommand({ TableName: tables.jobs, Key: marshall({ id }), UpdateExpression: 'SET #s = :c', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: marshall({ ':c': 'CANCELLED' }) }));
    const event = await jobs.next();
    expect(event.Records.slice(-2).map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    // Unfiltered: the runner itself ignores anything but INSERT, and the INSERT's image still says QUEUED.
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(appsync.requests).toEqual([]);
    expect((await jobItem(id)).status).toBe('CANCELLED');
  });

  it('runs SETTLE_MARKET and EXPORT_PRICE_HISTORY', async () => {
    const settle = await startJob('SETTLE_MARKET', { marketId: 'm2', winningSelectionIds: ['away'] });
    for (let v = 1; v <= 120; v++) {
      const update = buildPriceUpdate(
        { id: 'm1', eventId: 'e1', name: 'M1', status: 'OPEN', margin: 0.05, version: v, selections: [{ id: 'home', name: 'Home', probability: 0.5 }, { id: 'away', name: 'Away', probability: 0.5 }] },
        new Date(Date.UTC(2026, 4, 1, 12, 0, v)).toISOString(),
      );
      await storePriceUpdate(dynamo.client, tables.prices, update, 30);
    }
    const exportJob = await startJob('EXPORT_PRICE_HISTORY', { marketId: 'm1', since: '2026-05-01T12:00:21.000Z' });
    expect(await handler(await nextInserts())).toEqual({ batchItemFailures: [] });

    expect(await jobItem(settle)).toMatchObject({ status: 'SUCCEEDED' });
    const m2 = unmarshall((await dynamo.client.send(new GetItemCommand({ TableName: tables.markets, Key: marshall({ id: 'm2' }) }))).Item!);
    expect(m2).toMatchObject({ status: 'SETTLED', winningSelectionIds: ['away'], version: 4, lastChange: { source: 'TRADER', by: 'trader1' } });

    const exported = await jobItem(exportJob);
    const result = JSON.parse(exported.result!);
    expect(result).toMatchObject({ marketId: 'm1', priceUpdates: 100, rowCount: 200 });
    const lines = result.csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(201);
    expect(lines[1]).toMatch(/^2026-05-01T12:00:21.000Z,21,OPEN,0.05,FEED,home,Home,0.5,1.9,9\/10,-111,/);
    const exportSteps = published().filter((j) => j.id === exportJob).map((j) => j.message);
    expect(exportSteps).toEqual(['started', '100 price update(s) to export', 'page 1: 100 of 100 price update(s) read', 'page 2: 100 of 100 price update(s) read', 'done after 3 step(s)']);
  });

  it('marks a job with bad params FAILED with the reason', async () => {
    const id = await startJob('SETTLE_MARKET', { marketId: 'm1', winningSelectionIds: ['nobody'] });
    expect(await handler(await nextInserts())).toEqual({ batchItemFailures: [] });
    expect(await jobItem(id)).toMatchObject({ status: 'FAILED', error: 'selection nobody is not a selection of market m1 (home, draw, away)' });
    expect(logs.find((l) => l.level === 'WARN')!.message).toBe(`job ${id} (SETTLE_MARKET) failed: selection nobody is not a selection of market m1 (home, draw, away)`);
  });

  it('still finishes the job when publishing fails, logging each failed publish', async () => {
    appsync.respond = () => ({ status: 500, body: { errors: [{ errorType: 'InternalFailure', message: 'boom' }] } });
    const id = await startJob('SETTLE_MARKET', { marketId: 'm1', winningSelectionIds: ['home'] });
    expect(await handler(await nextInserts())).toEqual({ batchItemFailures: [] });
    expect((await jobItem(id)).status).toBe('SUCCEEDED');
    expect(logs.filter((l) => l.level === 'WARN' && l.message.includes('publishJobUpdate') && l.message.includes('HTTP 500 with InternalFailure: boom'))).toHaveLength(4);
  });

  it('fails only the record whose job item cannot be written', async () => {
    const event = await (async () => {
      await startJob('REPRICE_EVENT', { eventId: 'e1' });
      return nextInserts();
    })();
    const result = await processJobRecords(event, {
      lifecycle: { claim: async () => { throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }); }, update: async () => { throw new Error('unused'); }, read: async () => undefined, publish: async () => {}, log: () => {} },
      ports: undefined as never,
      log: createLogger('job-runner', (line) => logs.push(JSON.parse(line))),
    });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.dynamodb!.SequenceNumber }] });
    expect(logs.at(-1)).toMatchObject({ level: 'ERROR', message: `job ${`job-${jobCount}`} could not be run: Requested resource not found` });
  });
});
