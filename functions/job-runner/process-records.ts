import type { JobItem, JobPorts } from '../domain/jobs/job.ts';
import { runJob, type JobLifecycle } from '../domain/jobs/run-job.ts';
import type { Logger } from '../shared/logger.ts';
import type { DynamoDBStreamEvent, StreamBatchResponse } from '../shared/stream-event.ts';
import { unmarshallImage } from '../shared/stream-image.ts';

export interface JobRunnerDeps {
  lifecycle: JobLifecycle;
  ports: JobPorts;
  log: Logger;
}

/**
 * JobsTable stream → jobs run. The mapping delivers INSERTs only (its filter); anything
 * else is ignored here too. A job that fails is a FAILED job, not a failed record; a record
 * fails only when the job item itself cannot be read or written, and is then retried
 * (a retried job whose item says RUNNING is run again from its first step).
 */
export async function processJobRecords(event: DynamoDBStreamEvent, deps: JobRunnerDeps): Promise<StreamBatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records ?? []) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
    const job = unmarshallImage(record.dynamodb.NewImage) as JobItem;
    try {
      const final = await runJob(job, deps.lifecycle, deps.ports);
      if (final) deps.log.info(`job ${job.id} ${final.status}`, { jobId: job.id, type: job.type, status: final.status, error: final.error ?? undefined });
    } catch (error) {
      deps.log.error(`job ${job.id} could not be run: ${(error as Error).message}`, { jobId: job.id, sequenceNumber: record.dynamodb.SequenceNumber });
      if (record.dynamodb.SequenceNumber) batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber });
      else throw error;
    }
  }
  return { batchItemFailures };
}
