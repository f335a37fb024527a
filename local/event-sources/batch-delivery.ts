import type { EventSourceMappingModel } from '../assembly/model.ts';
import type { InvocationRecord, LambdaService } from '../lambda/types.ts';
import { failureRecord, writeFailureRecord, type FailedBatch } from './on-failure.ts';
import type { LambdaStreamRecord } from './stream-record.ts';

/** DynamoDB Streams keeps records 24 hours: with no maximum age, that is when a record expires. */
const STREAM_RETENTION_S = 24 * 3600;

export interface Tuning {
  /** Wait between reads of a shard that had nothing new. */
  pollIntervalMs: number;
  /** A shard that has had nothing new for this long is idle … */
  idleAfterMs: number;
  /** … and is read at this slower pace until records come again. */
  idlePollIntervalMs: number;
  /** First wait before retrying a failed batch; doubles up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
}

/** A stream record on its way to the function. */
export interface Entry {
  record: LambdaStreamRecord;
  /** When the record was first read: the batching window counts from here. */
  seenAt: number;
  /**
   * When the record was written, as closely as can be told: no later than when it was first read,
   * and within the minute its ApproximateCreationDateTime names (DynamoDB Local rounds it down to
   * the minute). Never earlier than the truth, so a record is never expired too soon.
   */
  arrival: number;
  bytes: number;
  done: boolean;
}

export interface DeliveryContext {
  mapping: EventSourceMappingModel;
  shardId: string;
  /** The stream ARN of the template: what the function and the failure records are told. */
  streamArn: string;
  functionArn: string;
  lambda: LambdaService;
  stateDir: string;
  tuning: Tuning;
  log(line: string): void;
  stopping(): boolean;
  /** Waits, or less if stopping. */
  sleep(ms: number): Promise<void>;
  /** The function has processed these records, or they were given up on: they may be checkpointed. */
  done(entries: Entry[]): void;
}

type Verdict = { kind: 'success' } | { kind: 'partial'; index: number } | { kind: 'failure'; reason: string } | { kind: 'refused'; reason: string };

/**
 * Delivers one batch until it succeeds or is given up on, as Lambda does for stream sources:
 * retries with back-off up to MaximumRetryAttempts (a refused invoke — throttled, no such
 * function — does not count), BisectBatchOnFunctionError (halves, not counted as a retry),
 * ReportBatchItemFailures (done up to the first failed record, retried from it), and
 * MaximumRecordAge; a batch given up on goes to the on-failure destination. Resolves false if
 * stopped first (the batch's undone records are left for the next start).
 */
export async function deliverBatch(context: DeliveryContext, entries: Entry[], attemptsBefore = 0): Promise<boolean> {
  const { mapping, tuning } = context;
  const maxAgeMs = (mapping.maximumRecordAgeSeconds >= 0 ? mapping.maximumRecordAgeSeconds : STREAM_RETENTION_S) * 1000;
  let batch = entries;
  let attempts = attemptsBefore;
  let last: InvocationRecord | undefined;
  let delay = tuning.retryBaseMs;
  for (;;) {
    if (context.stopping()) return false;
    const now = Date.now();
    const firstFresh = batch.findIndex((e) => now - e.arrival <= maxAgeMs);
    if (firstFresh !== 0) {
      const count = firstFresh < 0 ? batch.length : firstFresh;
      giveUp(context, batch.slice(0, count), 'RecordAgeExceeded', attempts, last);
      batch = batch.slice(count);
      if (batch.length === 0) return true;
    }

    const invocation = await context.lambda.invokeWithRecord(mapping.functionName, { Records: batch.map((e) => e.record) }, { invocationType: 'RequestResponse' });
    const verdict = judge(invocation, batch, mapping.functionResponseTypes.includes('ReportBatchItemFailures'));
    if (verdict.kind === 'success') {
      context.done(batch);
      return true;
    }
    // Stopping: a failure now may be the stop itself; the batch stays undone for next time.
    if (context.stopping()) return false;
    if (verdict.kind === 'refused') {
      context.log(`invoke refused, retrying: ${verdict.reason}`);
      await context.sleep(delay);
      delay = Math.min(delay * 2, tuning.retryMaxMs);
      continue;
    }
    last = invocation;
    if (verdict.kind === 'failure' && mapping.bisectBatchOnFunctionError && batch.length > 1) {
      // Splitting a batch does not count towards the retry quota.
      const half = Math.ceil(batch.length / 2);
      context.log(`batch of ${batch.length} failed (${verdict.reason}); bisecting into ${half} + ${batch.length - half}`);
      if (!(await deliverBatch(context, batch.slice(0, half), attempts))) return false;
      return deliverBatch(context, batch.slice(half), attempts);
    }
    attempts++;
    if (verdict.kind === 'partial') {
      // Checkpoint before the first failed record; retry from it (the batch is split there).
      context.done(batch.slice(0, verdict.index));
      batch = batch.slice(verdict.index);
      context.log(`partial batch response: retrying from ${batch[0]!.record.dynamodb.SequenceNumber} (${batch.length} records), attempt ${attempts}`);
    } else {
      context.log(`batch of ${batch.length} failed (${verdict.reason}), attempt ${attempts}`);
    }
    if (mapping.maximumRetryAttempts >= 0 && attempts > mapping.maximumRetryAttempts) {
      giveUp(context, batch, 'RetryAttemptsExhausted', attempts, last);
      return true;
    }
    await context.sleep(delay);
    delay = Math.min(delay * 2, tuning.retryMaxMs);
  }
}

function judge(invocation: InvocationRecord, batch: Entry[], reportsItemFailures: boolean): Verdict {
  const { result } = invocation;
  if (!result.ok) {
    const reason = `${result.errorType}: ${result.errorMessage}`;
    // Lambda refused the invoke (throttled, no such function, stopping): the function never
    // ran, so the attempt does not count. A batch too large for the payload limit does.
    return invocation.functionError || invocation.statusCode === 413 ? { kind: 'failure', reason } : { kind: 'refused', reason };
  }
  if (!reportsItemFailures) return { kind: 'success' };
  const response = result.payload as { batchItemFailures?: unknown } | null | undefined;
  const failures = response !== null && typeof response === 'object' ? response.batchItemFailures : undefined;
  if (failures === undefined || failures === null || (Array.isArray(failures) && failures.length === 0)) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: `batchItemFailures is not a list: ${JSON.stringify(failures)}` };
  let index = batch.length;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const at = typeof id === 'string' && id !== '' ? batch.findIndex((e) => e.record.dynamodb.SequenceNumber === id) : -1;
    // An empty, null or misnamed identifier fails the whole batch; so does one that is not a
    // sequence number of the batch (UNVERIFIED: Lambda documents only the first three).
    if (at < 0) return { kind: 'failure', reason: `invalid batchItemFailures entry ${JSON.stringify(failure)}` };
    index = Math.min(index, at);
  }
  return { kind: 'partial', index };
}

function giveUp(context: DeliveryContext, entries: Entry[], condition: FailedBatch['condition'], invokeCount: number, lastInvocation: InvocationRecord | undefined): void {
  const { mapping } = context;
  const records = entries.map((e) => e.record);
  const range = `${records[0]!.dynamodb.SequenceNumber}…${records.at(-1)!.dynamodb.SequenceNumber} (${records.length} records)`;
  if (mapping.onFailureDestination) {
    const record = failureRecord({ functionArn: context.functionArn, condition, invokeCount, shardId: context.shardId, streamArn: context.streamArn, records, ...(lastInvocation && { lastInvocation }) });
    const file = writeFailureRecord(context.stateDir, mapping.onFailureDestination, record);
    context.log(`${condition}: batch ${range} sent to the on-failure destination (${file})`);
  } else {
    context.log(`${condition}: batch ${range} discarded (the mapping has no on-failure destination)`);
  }
  context.done(entries);
}
