import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InvocationRecord } from '../lambda/types.ts';
import type { LambdaStreamRecord } from './stream-record.ts';

/** Lambda's on-failure invocation record for a stream batch it gave up on. */
export interface StreamFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface FailedBatch {
  functionArn: string;
  condition: StreamFailureRecord['requestContext']['condition'];
  /** Invocations of this batch; 0 when its records expired before it was ever sent. */
  invokeCount: number;
  /** The batch's last invocation, if any. */
  lastInvocation?: InvocationRecord;
  shardId: string;
  streamArn: string;
  records: LambdaStreamRecord[];
}

export function failureRecord(batch: FailedBatch, now = new Date()): StreamFailureRecord {
  const first = batch.records[0]!;
  const last = batch.records.at(-1)!;
  const invocation = batch.lastInvocation;
  return {
    requestContext: {
      requestId: invocation?.requestId ?? randomUUID(),
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.invokeCount,
    },
    // UNVERIFIED: what Lambda puts here for records that expired before any invoke; the local
    // runtime gives the status of an invoke that was not refused, with no function error.
    responseContext: {
      statusCode: invocation?.statusCode ?? 200,
      executedVersion: invocation?.executedVersion ?? '$LATEST',
      ...(invocation?.functionError && { functionError: invocation.functionError }),
    },
    version: '1.0',
    timestamp: now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: isoSeconds(first.dynamodb.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: isoSeconds(last.dynamodb.ApproximateCreationDateTime),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
  };
}

/** `2025-06-05T18:21:49Z`: Lambda writes arrival times to the second. */
function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The destination's name: the queue, topic or bucket at the end of its ARN. */
export function destinationName(arn: string): string {
  return arn.split(':').at(-1)!.replace(/^.*\//, '') || arn;
}

export function failuresDir(stateDir: string): string {
  return join(stateDir, 'event-sources', 'failures');
}

/** Appends the record as one JSON line to `<stateDir>/event-sources/failures/<destination>.jsonl`. */
export function writeFailureRecord(stateDir: string, destinationArn: string, record: StreamFailureRecord): string {
  const dir = failuresDir(stateDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${destinationName(destinationArn)}.jsonl`);
  appendFileSync(file, `${JSON.stringify(record)}\n`);
  return file;
}

export interface FailureEntry {
  destination: string;
  file: string;
  line: number;
  record: StreamFailureRecord;
}

/** Every on-failure record written under the state folder, oldest first per destination. */
export function readFailures(stateDir: string): FailureEntry[] {
  const dir = failuresDir(stateDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => {
      const file = join(dir, name);
      return readFileSync(file, 'utf8')
        .split('\n')
        .map((text, i) => ({ text, line: i + 1 }))
        .filter(({ text }) => text.trim() !== '')
        .map(({ text, line }) => ({ destination: name.slice(0, -'.jsonl'.length), file, line, record: JSON.parse(text) as StreamFailureRecord }));
    });
}

/** The failures as text for `npm run local -- failures`: destination, time, condition, batch range, function error. */
export function listFailures(stateDir: string): string {
  const entries = readFailures(stateDir);
  if (entries.length === 0) return `no on-failure records under ${failuresDir(stateDir)}`;
  return entries
    .map(({ destination, record }) => {
      const info = record.DDBStreamBatchInfo;
      const error = record.responseContext.functionError ?? 'none';
      return [
        `${destination}  ${record.timestamp}  ${record.requestContext.condition}  invokes: ${record.requestContext.approximateInvokeCount}  function error: ${error}`,
        `  ${record.requestContext.functionArn}`,
        `  ${info.streamArn} ${info.shardId}`,
        `  records ${info.startSequenceNumber} … ${info.endSequenceNumber} (${info.batchSize}), arrived ${info.approximateArrivalOfFirstRecord} … ${info.approximateArrivalOfLastRecord}`,
      ].join('\n');
    })
    .join('\n');
}
