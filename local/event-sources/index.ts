import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMappingModel } from '../assembly/model.ts';
import type { LambdaService } from '../lambda/types.ts';
import { compileFilters, type CompiledFilter } from './filter-pattern.ts';
import { startMapping, type RunningMapping } from './mapping.ts';
import type { Tuning } from './batch-delivery.ts';

export { listFailures, readFailures, type FailureEntry, type StreamFailureRecord } from './on-failure.ts';

export interface EventSourceOptions {
  mappings: EventSourceMappingModel[];
  dynamodbEndpoint: string;
  region: string;
  lambda: LambdaService;
  /** Checkpoints (when persistent) and on-failure records go under `<stateDir>/event-sources/`. */
  stateDir: string;
  persistent: boolean;
  log(line: string): void;
  /** Applied to every raw stream record first (e.g. TTL deletions written as AWS writes them). */
  normalizeRecord?(tableName: string, record: StreamRecord): StreamRecord;
  /** Polling and retry timings; the defaults suit interactive use. */
  tuning?: Partial<Tuning> & { stopGraceMs?: number };
}

/**
 * Lambda on AWS polls a shard 4 times a second. Locally a shard that had records in the last
 * 10 s is read every 50 ms, which keeps feed-to-subscriber latency low; a shard quiet for longer
 * goes back to AWS's 250 ms, because each read costs ~1 ms of CPU across this process and
 * DynamoDB Local whether or not it finds anything (bench/event-source-polling.ts measures both).
 */
export const DEFAULT_TUNING: Tuning & { stopGraceMs: number } = {
  pollIntervalMs: 50,
  idleAfterMs: 10_000,
  idlePollIntervalMs: 250,
  retryBaseMs: 100,
  retryMaxMs: 2_000,
  stopGraceMs: 10_000,
};

/**
 * Runs the DynamoDB Streams event source mappings of the assembly against DynamoDB Local.
 * Every mapping is checked before any starts: a filter pattern or starting position the
 * runtime cannot honour fails the start with the mapping's name.
 */
export async function startEventSourceMappings(options: EventSourceOptions): Promise<{ stop(): Promise<void> }> {
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const runnable: { mapping: EventSourceMappingModel; filter: CompiledFilter | undefined }[] = [];
  for (const mapping of options.mappings) {
    const where = `${mapping.stackName}/${mapping.logicalId}`;
    if (!mapping.sourceTableName) {
      options.log(`event source mapping ${where} (${mapping.eventSourceArn} → ${mapping.functionName}) is not run locally: only DynamoDB streams of the assembly's tables are`);
      continue;
    }
    if (mapping.startingPosition !== 'TRIM_HORIZON' && mapping.startingPosition !== 'LATEST') {
      throw new Error(`${where}: starting position ${mapping.startingPosition} is not available for DynamoDB streams (TRIM_HORIZON or LATEST)`);
    }
    const filter = compileFilters(mapping.filterPatterns, where);
    if (!mapping.enabled) {
      options.log(`event source mapping ${where} → ${mapping.functionName} is disabled (Enabled: false)`);
      continue;
    }
    runnable.push({ mapping, filter });
  }
  if (runnable.length === 0) return { stop: async () => {} };

  const config = { endpoint: options.dynamodbEndpoint, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const dynamodb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const running: RunningMapping[] = [];
  const stopAll = async () => {
    await Promise.all(running.splice(0).map((m) => m.stop()));
    dynamodb.destroy();
    streams.destroy();
  };
  try {
    for (const { mapping, filter } of runnable) {
      running.push(
        await startMapping({
          mapping,
          filter,
          dynamodb,
          streams,
          region: options.region,
          lambda: options.lambda,
          stateDir: options.stateDir,
          persistent: options.persistent,
          tuning,
          stopGraceMs: tuning.stopGraceMs,
          log: options.log,
          ...(options.normalizeRecord && { normalizeRecord: options.normalizeRecord }),
        }),
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { stop: stopAll };
}
