import { createHash } from 'node:crypto';
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMappingModel } from '../assembly/model.ts';
import type { LambdaService } from '../lambda/types.ts';
import { deliverBatch, type DeliveryContext, type Entry, type Tuning } from './batch-delivery.ts';
import type { CheckpointStore } from './checkpoint-store.ts';
import type { CompiledFilter } from './filter-pattern.ts';
import type { ShardReader } from './shard-reader.ts';
import { lambdaStreamRecord } from './stream-record.ts';

export type { Tuning } from './batch-delivery.ts';

/** Lambda's synchronous payload limit; a batch stays under it. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024 - 1024;
/** DynamoDB Local gives ApproximateCreationDateTime rounded down to the minute. */
const CREATION_TIME_GRANULARITY_MS = 60_000;

export interface ShardConsumerOptions {
  mapping: EventSourceMappingModel;
  shardId: string;
  /** The stream ARN of the template: what the function and the failure records are told. */
  streamArn: string;
  functionArn: string;
  region: string;
  /** The table's partition key: records of one key stay in order under ParallelizationFactor. */
  partitionKey: string | undefined;
  reader: ShardReader;
  filter: CompiledFilter | undefined;
  lambda: LambdaService;
  checkpoints: CheckpointStore;
  stateDir: string;
  tuning: Tuning;
  log(line: string): void;
  normalizeRecord?(record: StreamRecord): StreamRecord;
}

export interface ShardConsumer {
  /** Resolves 'finished' when a closed shard has been processed to its end, 'stopped' on stop. */
  done: Promise<'finished' | 'stopped'>;
  /** Stops after the batches in flight (their invokes are awaited; an interrupted one is not checkpointed). */
  stop(): void;
}

/**
 * Processes one shard for one mapping. A reader reads the shard in order and drops records the
 * filter rejects; ParallelizationFactor lanes (records of one partition key always in the same
 * lane, in order) gather batches (batch size, batching window, 6 MB) and deliver them. The
 * checkpoint is the last record before the first one not yet done, plus the records done beyond
 * it, so a restart neither loses a record nor delivers a completed one again.
 */
export function startShardConsumer(options: ShardConsumerOptions): ShardConsumer {
  const { mapping, shardId, tuning } = options;
  const log = (line: string) => options.log(`[stream ${mapping.sourceTableName} → ${mapping.functionName}] shard ${shardId}: ${line}`);
  const stopper = new AbortController();
  const stopping = () => stopper.signal.aborted;
  const saved = options.checkpoints.get(shardId);
  const doneBefore = new Set(saved?.done ?? []);
  let checkpoint = saved?.sequenceNumber;

  /** Every record read and not yet checkpointed, in stream order. */
  const buffer: Entry[] = [];
  const lanes: Entry[][] = Array.from({ length: Math.max(1, mapping.parallelizationFactor) }, () => []);
  let ended = false;
  const newRecords = wakeup(stopper.signal);
  const progress = wakeup(stopper.signal);

  const sleep = (ms: number) => newRecords.wait(ms, true);

  function markDone(entries: Entry[]): void {
    for (const e of entries) e.done = true;
    while (buffer.length > 0 && buffer[0]!.done) checkpoint = buffer.shift()!.record.dynamodb.SequenceNumber;
    const doneBeyond = buffer.filter((e) => e.done).map((e) => e.record.dynamodb.SequenceNumber);
    options.checkpoints.set(shardId, { ...(checkpoint && { sequenceNumber: checkpoint }), ...(doneBeyond.length > 0 && { done: doneBeyond }) });
    progress.notify();
  }

  function laneOf(entry: Entry): Entry[] {
    const key = options.partitionKey ? entry.record.dynamodb.Keys[options.partitionKey] : entry.record.dynamodb.Keys;
    return lanes[laneIndex(key, lanes.length)]!;
  }

  function entryOf(raw: StreamRecord, now: number): Entry {
    const record = lambdaStreamRecord(options.normalizeRecord ? options.normalizeRecord(raw) : raw, options.region, options.streamArn);
    return {
      record,
      seenAt: now,
      arrival: Math.min(now, record.dynamodb.ApproximateCreationDateTime * 1000 + CREATION_TIME_GRANULARITY_MS),
      bytes: Buffer.byteLength(JSON.stringify(record)),
      done: doneBefore.has(record.dynamodb.SequenceNumber) || (options.filter ? !options.filter(record) : false),
    };
  }

  async function readLoop(): Promise<void> {
    let retryDelay = tuning.pollIntervalMs;
    let lastRecordsAt = Date.now();
    const maxPending = mapping.batchSize * lanes.length;
    while (!stopping() && !ended) {
      if (buffer.filter((e) => !e.done).length >= maxPending) {
        await progress.wait(tuning.pollIntervalMs, false);
        continue;
      }
      let page: Awaited<ReturnType<ShardReader['read']>>;
      try {
        page = await options.reader.read();
        retryDelay = tuning.pollIntervalMs;
      } catch (error) {
        log(`reading the stream failed, retrying: ${(error as Error).name}: ${(error as Error).message}`);
        await sleep(retryDelay);
        retryDelay = Math.min(retryDelay * 2, tuning.retryMaxMs);
        continue;
      }
      const now = Date.now();
      if (page.records.length > 0) lastRecordsAt = now;
      const entries = page.records.map((raw) => entryOf(raw, now));
      buffer.push(...entries);
      for (const e of entries) if (!e.done) laneOf(e).push(e);
      // Records passed over (filtered out, or done before a restart) are checkpointed at once.
      if (entries.some((e) => e.done)) markDone([]);
      ended = page.ended;
      if (entries.length > 0 || ended) newRecords.notify();
      if (page.records.length === 0 && !ended) await sleep(pollDelayMs(tuning, now - lastRecordsAt));
    }
    newRecords.notify();
  }

  async function laneLoop(lane: Entry[]): Promise<boolean> {
    const context: DeliveryContext = {
      mapping,
      shardId,
      streamArn: options.streamArn,
      functionArn: options.functionArn,
      lambda: options.lambda,
      stateDir: options.stateDir,
      tuning,
      log,
      stopping,
      sleep,
      done: markDone,
    };
    while (!stopping()) {
      if (lane.length === 0) {
        if (ended) return true;
        await newRecords.wait(undefined, false);
        continue;
      }
      const batch: Entry[] = [];
      let bytes = 0;
      for (const e of lane) {
        if (batch.length === mapping.batchSize || (batch.length > 0 && bytes + e.bytes > MAX_BATCH_BYTES)) break;
        batch.push(e);
        bytes += e.bytes;
      }
      const full = batch.length === mapping.batchSize || batch.length < lane.length;
      const windowLeft = mapping.maximumBatchingWindowSeconds * 1000 - (Date.now() - batch[0]!.seenAt);
      if (!full && !ended && windowLeft > 0) {
        // The batching window is open and the batch could still grow.
        await newRecords.wait(windowLeft, false);
        continue;
      }
      if (!(await deliverBatch(context, batch))) return false;
      lane.splice(0, batch.length);
    }
    return false;
  }

  async function run(): Promise<'finished' | 'stopped'> {
    const [, ...laneOutcomes] = await Promise.all([readLoop(), ...lanes.map(laneLoop)]);
    if (stopping() || !laneOutcomes.every(Boolean) || buffer.some((e) => !e.done)) return 'stopped';
    options.checkpoints.set(shardId, { ...(checkpoint && { sequenceNumber: checkpoint }), finished: true });
    return 'finished';
  }

  const done = run().catch((error: Error) => {
    log(`stopped by an unexpected error: ${error.stack ?? error.message}`);
    stopper.abort();
    return 'stopped' as const;
  });
  return { done, stop: () => stopper.abort() };
}

/**
 * The wait before reading again a shard that had nothing new, `quietMs` after it last had
 * records. A busy shard is read every `pollIntervalMs`, for low latency; an idle one at AWS's
 * own base rate, 4 reads a second ("Lambda polls shards in your DynamoDB stream for records at
 * a base rate of 4 times per second", https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html),
 * since every read costs DynamoDB Local and this process CPU whether or not it finds anything.
 */
export function pollDelayMs(tuning: Pick<Tuning, 'pollIntervalMs' | 'idleAfterMs' | 'idlePollIntervalMs'>, quietMs: number): number {
  return quietMs >= tuning.idleAfterMs ? Math.max(tuning.pollIntervalMs, tuning.idlePollIntervalMs) : tuning.pollIntervalMs;
}

/** The lane of a partition key value (in DynamoDB JSON, e.g. `{ S: 'm-1' }`) among `lanes`. */
export function laneIndex(partitionKeyValue: unknown, lanes: number): number {
  if (lanes <= 1) return 0;
  return createHash('sha1').update(JSON.stringify(partitionKeyValue)).digest().readUInt32BE(0) % lanes;
}

/** Wakes whoever waits when something happened, after a timeout, or on stop. */
function wakeup(stop: AbortSignal) {
  let waiters: (() => void)[] = [];
  const notify = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  stop.addEventListener('abort', notify, { once: true });
  return {
    notify,
    /** Resolves on notify (unless `timeoutOnly`), after `ms` if given, or on stop. */
    wait(ms: number | undefined, timeoutOnly: boolean): Promise<void> {
      return new Promise((resume) => {
        if (stop.aborted) return resume();
        let timer: NodeJS.Timeout | undefined;
        const wake = () => {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== wake);
          stop.removeEventListener('abort', wake);
          resume();
        };
        if (ms !== undefined) timer = setTimeout(wake, ms);
        if (timeoutOnly) stop.addEventListener('abort', wake, { once: true });
        else waiters.push(wake);
      });
    },
  };
}
