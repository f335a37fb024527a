import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { streamMapping } from '../../support/event-source-mapping.ts';
import type { EventSourceMappingModel } from '../../../local/assembly/model.ts';
import type { DynamoDbLocal } from '../../../local/dynamodb/server.ts';
import { leaseDynamoDbLocal } from '../../support/dynamodb-pool.ts';
import { readFailures, startEventSourceMappings, type StreamFailureRecord } from '../../../local/event-sources/index.ts';
import { laneIndex } from '../../../local/event-sources/shard-consumer.ts';
import { startLambdaService } from '../../../local/lambda/index.ts';
import { ACCOUNT, fixtureDir, lambdaFunction, REGION } from '../../unit/lambda/fixtures.ts';

/** One invoke of the recorder fixture, as it wrote it down. */
interface Delivery {
  requestId: string;
  outcome: 'ok' | 'fail' | 'partial';
  keys: string[];
  records: Record<string, any>[];
}

const FAST = { pollIntervalMs: 20, retryBaseMs: 20, retryMaxMs: 100 };
let dynamo: DynamoDbLocal;
let client: DynamoDBClient;
const cleanups: (() => Promise<void>)[] = [];
let tables = 0;

beforeAll(async () => {
  dynamo = await leaseDynamoDbLocal();
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

async function newTable(): Promise<string> {
  const name = `Stream${++tables}`;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return name;
}

const templateStreamArn = (table: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}/stream/2026-01-01T00:00:00.000`;

function mappingOf(table: string, overrides: Partial<EventSourceMappingModel> = {}): EventSourceMappingModel {
  return streamMapping(table, overrides, REGION, ACCOUNT);
}

/** Starts the consumer function and the mapping; returns what the function saw. */
async function run(mapping: EventSourceMappingModel, options: { mode?: 'throw' | 'partial' | 'healed'; stateDir?: string; persistent?: boolean; recordFile?: string } = {}) {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'esm-state-'));
  const recordFile = options.recordFile ?? join(mkdtempSync(join(tmpdir(), 'esm-records-')), 'deliveries.jsonl');
  const log: string[] = [];
  const lambda = startLambdaService({
    functions: [lambdaFunction(mapping.functionName, { codeDir: fixtureDir('stream-recorder'), environment: { RECORD_FILE: recordFile, MODE: options.mode ?? 'throw' } })],
    region: REGION,
    accountId: ACCOUNT,
    credentialsFor: () => undefined,
    endpoints: { DYNAMODB: dynamo.endpoint },
    log: (line) => log.push(line),
  });
  const mappings = await startEventSourceMappings({
    mappings: [mapping],
    dynamodbEndpoint: dynamo.endpoint,
    region: REGION,
    lambda,
    stateDir,
    persistent: options.persistent ?? false,
    log: (line) => log.push(line),
    tuning: FAST,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await mappings.stop();
    await lambda.stop();
  };
  cleanups.push(stop);
  const deliveries = (): Delivery[] =>
    existsSync(recordFile)
      ? readFileSync(recordFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Delivery)
      : [];
  return { stateDir, recordFile, log, deliveries, stop };
}

async function put(table: string, id: string, extra: Record<string, AttributeValue> = {}) {
  await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, ...extra } }));
}

async function eventually<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resume) => setTimeout(resume, 25));
  }
}

/** Keys that land in other lanes than `key` under a ParallelizationFactor of `lanes`. */
const keysBeside = (key: string, lanes: number, count: number, prefix: string) =>
  [...Array(100).keys()]
    .map((i) => `${prefix}${i}`)
    .filter((candidate) => laneIndex({ S: candidate }, lanes) !== laneIndex({ S: key }, lanes))
    .slice(0, count);

const processedOk = (deliveries: Delivery[]) => deliveries.filter((d) => d.outcome === 'ok').flatMap((d) => d.keys);

describe('DynamoDB Streams → Lambda', () => {
  it('delivers every change once, in order, as Lambda’s DynamoDB stream event', async () => {
    const table = await newTable();
    const consumer = await run(mappingOf(table));
    for (let i = 0; i < 20; i++) await put(table, `item-${String(i).padStart(2, '0')}`, { n: { N: String(i) } });
    await client.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: 'item-03' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '99' } } }));
    await client.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: 'item-04' } } }));

    const records = await eventually(() => {
      const all = consumer.deliveries().flatMap((d) => d.records);
      return all.length >= 22 && all;
    }, '22 stream records');
    expect(records).toHaveLength(22);
    const sequences = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(records.map((r) => r.eventID)).size).toBe(22);
    expect(records.map((r) => r.eventName)).toEqual([...Array(20).fill('INSERT'), 'MODIFY', 'REMOVE']);

    const modify = records[20]!;
    expect(modify).toEqual({
      eventID: expect.any(String),
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { id: { S: 'item-03' } },
        NewImage: { id: { S: 'item-03' }, n: { N: '99' } },
        OldImage: { id: { S: 'item-03' }, n: { N: '3' } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: templateStreamArn(table),
    });
    expect(Math.abs(modify.dynamodb.ApproximateCreationDateTime - Date.now() / 1000)).toBeLessThan(180);
    expect(records[21]!.dynamodb.OldImage).toEqual({ id: { S: 'item-04' }, n: { N: '4' } });
    expect(records[21]!.dynamodb.NewImage).toBeUndefined();
  });

  it('batches up to the batch size', async () => {
    const table = await newTable();
    for (let i = 0; i < 10; i++) await put(table, `b${i}`);
    const consumer = await run(mappingOf(table, { batchSize: 3 }));
    await eventually(() => processedOk(consumer.deliveries()).length === 10, '10 records');
    expect(consumer.deliveries().map((d) => d.keys.length)).toEqual([3, 3, 3, 1]);
    expect(processedOk(consumer.deliveries())).toEqual([...Array(10).keys()].map((i) => `b${i}`));
  });

  it('holds a batch open for the batching window', async () => {
    const table = await newTable();
    const consumer = await run(mappingOf(table, { maximumBatchingWindowSeconds: 3 }));
    for (let i = 0; i < 5; i++) {
      await put(table, `w${i}`);
      await new Promise((resume) => setTimeout(resume, 100));
    }
    await eventually(() => processedOk(consumer.deliveries()).length === 5, '5 records');
    expect(consumer.deliveries().map((d) => d.keys)).toEqual([['w0', 'w1', 'w2', 'w3', 'w4']]);
  });

  it('sends only records that match the filter criteria, and checkpoints past the others', async () => {
    const table = await newTable();
    const mapping = mappingOf(table, {
      filterPatterns: [
        { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: [{ prefix: 'keep' }] } } } },
        { eventName: ['REMOVE'] },
      ],
    });
    const consumer = await run(mapping, { persistent: true });
    await put(table, 'a', { kind: { S: 'keep-this' } });
    await put(table, 'b', { kind: { S: 'drop-this' } });
    await put(table, 'c');
    await client.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: 'a' } }, UpdateExpression: 'SET kind = :k', ExpressionAttributeValues: { ':k': { S: 'keep-too' } } }));
    await client.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: 'c' } } }));
    await put(table, 'd', { kind: { S: 'keeper' } });
    await put(table, 'e', { kind: { S: 'nope' } });

    await eventually(() => processedOk(consumer.deliveries()).length === 3, '3 matching records');
    const records = consumer.deliveries().flatMap((d) => d.records);
    expect(records.map((r) => `${r.eventName}:${r.dynamodb.Keys.id.S}`)).toEqual(['INSERT:a', 'REMOVE:c', 'INSERT:d']);
    // The last record (filtered out) is checkpointed too, so nothing is read again after a restart.
    const checkpointFile = join(consumer.stateDir, 'event-sources', `${mapping.uuid}.json`);
    const lastSequence = await eventually(() => {
      const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { shards: Record<string, { sequenceNumber?: string }> };
      const sequence = Object.values(saved.shards)[0]?.sequenceNumber;
      return sequence && BigInt(sequence) > BigInt(records.at(-1)!.dynamodb.SequenceNumber) && sequence;
    }, 'the checkpoint to pass the filtered-out record');
    expect(lastSequence).toMatch(/^\d+$/);
  });

  it('retries and bisects a batch with a poisoned record, sends that record to the on-failure destination, and keeps the stream flowing', async () => {
    const table = await newTable();
    const destination = `arn:aws:sqs:${REGION}:${ACCOUNT}:stream-dlq`;
    const mapping = mappingOf(table, { batchSize: 10, maximumRetryAttempts: 2, bisectBatchOnFunctionError: true, onFailureDestination: destination });
    for (let i = 0; i < 10; i++) await put(table, `p${i}`, i === 6 ? { poison: { BOOL: true } } : {});
    const consumer = await run(mapping);

    const [failure] = await eventually(() => {
      const entries = readFailures(consumer.stateDir);
      return entries.length > 0 && entries;
    }, 'an on-failure record');
    await eventually(() => processedOk(consumer.deliveries()).length === 9, 'the 9 good records');
    await put(table, 'after');
    await eventually(() => processedOk(consumer.deliveries()).includes('after'), 'a record written afterwards');

    const ok = processedOk(consumer.deliveries());
    expect(ok).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p7', 'p8', 'p9', 'after']);
    const poisonDeliveries = consumer.deliveries().filter((d) => d.keys.includes('p6'));
    expect(poisonDeliveries.every((d) => d.outcome === 'fail')).toBe(true);
    // Bisected down to the poisoned record alone, then 1 try + 2 retries of it.
    expect(poisonDeliveries.map((d) => d.keys.length)).toEqual([10, 5, 3, 2, 1, 1, 1]);

    expect(failure!.destination).toBe('stream-dlq');
    expect(failure!.file).toBe(join(consumer.stateDir, 'event-sources', 'failures', 'stream-dlq.jsonl'));
    const record: StreamFailureRecord = failure!.record;
    const poison = poisonDeliveries.at(-1)!.records[0]!;
    expect(record).toEqual({
      requestContext: {
        requestId: poisonDeliveries.at(-1)!.requestId,
        functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${mapping.functionName}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: poison.dynamodb.SequenceNumber,
        endSequenceNumber: poison.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: new Date(poison.dynamodb.ApproximateCreationDateTime * 1000).toISOString().replace('.000Z', 'Z'),
        approximateArrivalOfLastRecord: new Date(poison.dynamodb.ApproximateCreationDateTime * 1000).toISOString().replace('.000Z', 'Z'),
        batchSize: 1,
        streamArn: templateStreamArn(table),
      },
    });
  });

  it('honours ReportBatchItemFailures: checkpoints before the first failed item and retries from it', async () => {
    const table = await newTable();
    const mapping = mappingOf(table, { batchSize: 5, functionResponseTypes: ['ReportBatchItemFailures'], maximumRetryAttempts: 3 });
    await put(table, 'r1');
    await put(table, 'r2');
    await put(table, 'r3', { failTimes: { N: '1' } });
    await put(table, 'r4', { failTimes: { N: '1' } });
    await put(table, 'r5');
    const consumer = await run(mapping, { mode: 'partial' });
    await eventually(() => consumer.deliveries().some((d) => d.outcome === 'ok'), 'a successful retry');
    expect(consumer.deliveries().map((d) => [d.outcome, d.keys])).toEqual([
      ['partial', ['r1', 'r2', 'r3', 'r4', 'r5']],
      ['ok', ['r3', 'r4', 'r5']],
    ]);
    expect(readFailures(consumer.stateDir)).toEqual([]);
  });

  it('keeps the checkpoint before the first failed item across a restart', async () => {
    const table = await newTable();
    const mapping = mappingOf(table, { batchSize: 5, functionResponseTypes: ['ReportBatchItemFailures'] });
    const stateDir = mkdtempSync(join(tmpdir(), 'esm-partial-'));
    await put(table, 's1');
    await put(table, 's2');
    await put(table, 's3', { poison: { BOOL: true } });
    await put(table, 's4');
    const first = await run(mapping, { mode: 'partial', stateDir, persistent: true });
    await eventually(() => first.deliveries().length >= 2, 'a retry of the failed item');
    await first.stop();
    expect(first.deliveries()[0]!.keys).toEqual(['s1', 's2', 's3', 's4']);

    const second = await run(mapping, { mode: 'partial', stateDir, persistent: true });
    await eventually(() => second.deliveries().length >= 1, 'a delivery after the restart');
    expect(second.deliveries()[0]!.keys).toEqual(['s3', 's4']);
  });

  it('gives up on records older than the maximum record age', async () => {
    const table = await newTable();
    const destination = `arn:aws:sns:${REGION}:${ACCOUNT}:too-old`;
    // AWS's minimum is 60 s; the local runtime takes any value so that this runs quickly.
    const mapping = mappingOf(table, { batchSize: 1, maximumRecordAgeSeconds: 1, onFailureDestination: destination });
    const consumer = await run(mapping);
    await put(table, 'stale', { poison: { BOOL: true } });
    const [failure] = await eventually(() => {
      const entries = readFailures(consumer.stateDir);
      return entries.length > 0 && entries;
    }, 'a RecordAgeExceeded record');
    // Written once the shard is unblocked: records queued behind a failing one age as well.
    await put(table, 'fresh');
    await eventually(() => processedOk(consumer.deliveries()).includes('fresh'), 'the record after it');
    expect(readFailures(consumer.stateDir)).toHaveLength(1);
    expect(failure!.destination).toBe('too-old');
    expect(failure!.record.requestContext.condition).toBe('RecordAgeExceeded');
    expect(failure!.record.requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(1);
    expect(failure!.record.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(consumer.deliveries().filter((d) => d.keys.includes('stale')).every((d) => d.outcome === 'fail')).toBe(true);
  });

  it('resumes after a restart from the persisted checkpoint: nothing lost, nothing done twice', async () => {
    const table = await newTable();
    const mapping = mappingOf(table, { batchSize: 2 });
    const stateDir = mkdtempSync(join(tmpdir(), 'esm-resume-'));
    const recordFile = join(mkdtempSync(join(tmpdir(), 'esm-records-')), 'deliveries.jsonl');
    const first = await run(mapping, { stateDir, recordFile, persistent: true });
    for (let i = 0; i < 5; i++) await put(table, `k${i}`);
    await eventually(() => processedOk(first.deliveries()).length === 5, 'the first 5 records');
    await first.stop();

    for (let i = 5; i < 8; i++) await put(table, `k${i}`);
    const second = await run(mapping, { stateDir, recordFile, persistent: true });
    await eventually(() => processedOk(second.deliveries()).length === 8, 'the 3 records written while stopped');
    // A record written last is delivered after any redelivery of the earlier ones (one shard, in
    // order), so once it is in, nothing done twice can still be on its way.
    await put(table, 'k8');
    await eventually(() => processedOk(second.deliveries()).includes('k8'), 'a record written after the restart');
    expect(processedOk(second.deliveries())).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8']);
  });

  it('runs ParallelizationFactor batches of one shard side by side, keeping each key in order', async () => {
    const table = await newTable();
    const consumer = await run(mappingOf(table, { batchSize: 1, parallelizationFactor: 10 }));
    // The slow key's invoke ends only once the quick keys' invokes have (or after 30 s): a fixed
    // sleep was outrun by the suite's load, which slowed writing the quick keys instead.
    const quick = keysBeside('slow', 10, 3, 'quick');
    await put(table, 'slow', { waitFor: { SS: quick } });
    for (const key of quick) await put(table, key);
    await client.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: 'slow' } }, UpdateExpression: 'REMOVE waitFor SET changed = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } }));
    await eventually(() => processedOk(consumer.deliveries()).length === 5, 'all 5 changes');
    // Lines are written as invokes end: the quick keys finished while the slow one was running…
    const finished = consumer.deliveries().map((d) => d.keys[0]);
    expect(finished.slice(0, 3).sort()).toEqual([...quick].sort());
    // …and the two changes of the slow key came in order.
    const slowChanges = consumer.deliveries().filter((d) => d.keys[0] === 'slow').map((d) => d.records[0]!.eventName);
    expect(slowChanges).toEqual(['INSERT', 'MODIFY']);
    // The start-up line says how many batches of a shard run at once.
    expect(consumer.log.find((line) => line.includes('polling'))).toMatch(/batch size 1, window 0 s, 10 batches at once per shard \(ParallelizationFactor\)$/);
  });

  it('under ParallelizationFactor, a restart delivers again only what was not done', async () => {
    const table = await newTable();
    const mapping = mappingOf(table, { batchSize: 1, parallelizationFactor: 10 });
    const stateDir = mkdtempSync(join(tmpdir(), 'esm-parallel-'));
    const recordFile = join(mkdtempSync(join(tmpdir(), 'esm-records-')), 'deliveries.jsonl');
    await put(table, 'stuck', { poison: { BOOL: true } });
    for (const key of keysBeside('stuck', 10, 5, 'free')) await put(table, key);
    const first = await run(mapping, { stateDir, recordFile, persistent: true });
    await eventually(() => processedOk(first.deliveries()).length === 5, 'the 5 records beside the stuck one');
    await first.stop();

    const before = first.deliveries().length;
    // The function is fixed; the restart delivers the stuck record and nothing done before.
    const second = await run(mapping, { stateDir, recordFile, persistent: true, mode: 'healed' });
    await eventually(() => processedOk(second.deliveries()).includes('stuck'), 'the stuck record after the fix');
    await put(table, 'later');
    await eventually(() => processedOk(second.deliveries()).includes('later'), 'a record written after the restart');
    expect(second.deliveries().slice(before).map((d) => [d.outcome, d.keys])).toEqual([
      ['ok', ['stuck']],
      ['ok', ['later']],
    ]);
  });

  it('starts at LATEST on first start and keeps that position across a restart', async () => {
    const table = await newTable();
    const mapping = mappingOf(table, { startingPosition: 'LATEST' });
    const stateDir = mkdtempSync(join(tmpdir(), 'esm-latest-'));
    const recordFile = join(mkdtempSync(join(tmpdir(), 'esm-records-')), 'deliveries.jsonl');
    await put(table, 'before-start');
    const first = await run(mapping, { stateDir, recordFile, persistent: true });
    // The position is taken (and saved) before the mapping says it is polling.
    await eventually(() => first.log.some((line) => line.includes('polling')), 'the mapping to start');
    await eventually(() => existsSync(join(stateDir, 'event-sources', `${mapping.uuid}.json`)), 'the LATEST position to be saved');
    await first.stop();
    await put(table, 'while-stopped');
    const second = await run(mapping, { stateDir, recordFile, persistent: true });
    await put(table, 'after-restart');
    await eventually(() => processedOk(second.deliveries()).includes('after-restart'), 'the newest record');
    expect(processedOk(second.deliveries())).toEqual(['while-stopped', 'after-restart']);
  });
});
