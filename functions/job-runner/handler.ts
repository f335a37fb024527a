import { dynamodb } from '../shared/dynamodb.ts';
import { lazy, requireEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { createPublisher } from '../shared/publisher.ts';
import type { DynamoDBStreamEvent, StreamBatchResponse } from '../shared/stream-event.ts';
import { createJobItemStore, createJobPorts } from './job-store.ts';
import { processJobRecords, type JobRunnerDeps } from './process-records.ts';

const log = createLogger('job-runner');
const now = () => new Date().toISOString();

const deps = lazy((): JobRunnerDeps => {
  const tables = {
    events: requireEnv('EVENTS_TABLE', 'job-runner'),
    markets: requireEnv('MARKETS_TABLE', 'job-runner'),
    prices: requireEnv('PRICES_TABLE', 'job-runner'),
    jobs: requireEnv('JOBS_TABLE', 'job-runner'),
  };
  const publisher = createPublisher(requireEnv('GRAPHQL_URL', 'job-runner'));
  const items = createJobItemStore(dynamodb, tables, now);
  return {
    lifecycle: { claim: items.claim, update: items.update, read: items.read, publish: (job) => publisher.publishJobUpdate(job), log: (level, message, details) => log.log(level, message, details) },
    ports: createJobPorts(dynamodb, tables, now),
    log,
  };
});

/** JobsTable stream (INSERT) → runs each job, publishing publishJobUpdate after every step. */
export const handler = async (event: DynamoDBStreamEvent): Promise<StreamBatchResponse> => processJobRecords(event, deps());
