import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, type DynamoDBStreamsClient, type _Record as StreamRecord, type Shard } from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMappingModel } from '../assembly/model.ts';
import type { LambdaService } from '../lambda/types.ts';
import { openCheckpointStore } from './checkpoint-store.ts';
import type { CompiledFilter } from './filter-pattern.ts';
import { startShardConsumer, type ShardConsumer, type Tuning } from './shard-consumer.ts';
import { createShardReader, type StartPosition } from './shard-reader.ts';

/** How often the shard list is read again, besides whenever a shard has been read to its end. */
const DISCOVERY_INTERVAL_MS = 10_000;

export interface MappingOptions {
  mapping: EventSourceMappingModel;
  filter: CompiledFilter | undefined;
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  region: string;
  lambda: LambdaService;
  stateDir: string;
  persistent: boolean;
  tuning: Tuning;
  /** How long `stop` waits for a batch in flight. */
  stopGraceMs: number;
  log(line: string): void;
  /** Applied to every raw stream record first (e.g. TTL deletions written as AWS writes them). */
  normalizeRecord?(tableName: string, record: StreamRecord): StreamRecord;
}

export interface RunningMapping {
  stop(): Promise<void>;
}

/**
 * Runs one DynamoDB Streams mapping: finds the table's stream, and keeps one consumer per shard,
 * starting a child shard only once its parent has been read to its end (so records of an item
 * stay in order across a shard rollover).
 */
export async function startMapping(options: MappingOptions): Promise<RunningMapping> {
  const { mapping } = options;
  const where = `${mapping.stackName}/${mapping.logicalId}`;
  const log = (line: string) => options.log(`[stream ${mapping.sourceTableName} → ${mapping.functionName}] ${line}`);
  const table = await options.dynamodb.send(new DescribeTableCommand({ TableName: mapping.sourceTableName! })).catch((error: Error) => {
    throw new Error(`${where}: cannot read table ${mapping.sourceTableName} for its stream: ${error.name}: ${error.message}`);
  });
  const localStreamArn = table.Table?.LatestStreamArn;
  if (!localStreamArn || table.Table?.StreamSpecification?.StreamEnabled === false) {
    throw new Error(`${where}: table ${mapping.sourceTableName} has no stream enabled in DynamoDB Local (its StreamSpecification is missing from the table as created)`);
  }
  const partitionKey = table.Table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const account = /^arn:aws[a-z-]*:dynamodb:[^:]*:(\d+):/.exec(mapping.eventSourceArn)?.[1] ?? '000000000000';
  const functionArn = `arn:aws:lambda:${options.region}:${account}:function:${mapping.functionName}`;
  const checkpoints = openCheckpointStore({ stateDir: options.stateDir, mappingId: mapping.uuid, streamArn: localStreamArn, persistent: options.persistent, log });
  const firstStart = !checkpoints.resumed;

  const consumers = new Map<string, ShardConsumer>();
  let stopped = false;
  let discovering: Promise<void> = Promise.resolve();

  async function listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await options.streams.send(new DescribeStreamCommand({ StreamArn: localStreamArn, ...(start && { ExclusiveStartShardId: start }) }));
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  async function positionOf(shard: Shard, initial: boolean): Promise<StartPosition | undefined> {
    const id = shard.ShardId!;
    const checkpoint = checkpoints.get(id);
    if (checkpoint?.sequenceNumber) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint.sequenceNumber };
    if (initial && firstStart && mapping.startingPosition === 'LATEST') {
      // A closed shard holds only records from before the mapping existed.
      if (shard.SequenceNumberRange?.EndingSequenceNumber) {
        checkpoints.set(id, { finished: true });
        return undefined;
      }
      return latestPosition(id);
    }
    // A shard that appeared later (a child after a rollover) is read from its start.
    return { type: 'TRIM_HORIZON' };
  }

  /**
   * LATEST as a position that can be saved: the shard is read to its current end before the
   * mapping reports itself started, and the last record's sequence number is kept, so that
   * neither a write right after start nor a restart loses or replays anything.
   */
  async function latestPosition(shardId: string): Promise<StartPosition> {
    const reader = createShardReader({ client: options.streams, streamArn: localStreamArn!, shardId, start: { type: 'TRIM_HORIZON' }, log });
    let last: string | undefined;
    for (;;) {
      const page = await reader.read();
      last = page.records.at(-1)?.dynamodb?.SequenceNumber ?? last;
      if (page.records.length === 0 || page.ended) break;
    }
    checkpoints.set(shardId, last ? { sequenceNumber: last } : {});
    return last ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last } : { type: 'TRIM_HORIZON' };
  }

  async function discover(initial: boolean): Promise<void> {
    if (stopped) return;
    let shards: Shard[];
    try {
      shards = await listShards();
    } catch (error) {
      log(`DescribeStream failed: ${(error as Error).name}: ${(error as Error).message}`);
      return;
    }
    const known = new Set(shards.map((s) => s.ShardId!));
    for (const shard of shards) {
      const id = shard.ShardId!;
      if (consumers.has(id) || checkpoints.get(id)?.finished) continue;
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !checkpoints.get(parent)?.finished) continue;
      const position = await positionOf(shard, initial);
      if (!position || stopped) continue;
      const consumer = startShardConsumer({
        mapping,
        shardId: id,
        streamArn: mapping.eventSourceArn,
        functionArn,
        region: options.region,
        partitionKey,
        reader: createShardReader({ client: options.streams, streamArn: localStreamArn!, shardId: id, start: position, log }),
        filter: options.filter,
        lambda: options.lambda,
        checkpoints,
        stateDir: options.stateDir,
        tuning: options.tuning,
        log: options.log,
        ...(options.normalizeRecord && { normalizeRecord: (record: StreamRecord) => options.normalizeRecord!(mapping.sourceTableName!, record) }),
      });
      consumers.set(id, consumer);
      void consumer.done.then((outcome) => {
        if (outcome === 'finished') {
          log(`shard ${id} read to its end`);
          discovering = discovering.then(() => discover(false));
        }
      });
    }
  }

  discovering = discover(true);
  await discovering;
  const timer = setInterval(() => {
    discovering = discovering.then(() => discover(false));
  }, DISCOVERY_INTERVAL_MS);
  log(`polling ${mapping.sourceTableName} (${localStreamArn}) from ${checkpoints.resumed ? 'its checkpoints' : mapping.startingPosition}; batch size ${mapping.batchSize}, window ${mapping.maximumBatchingWindowSeconds} s${mapping.parallelizationFactor > 1 ? `, ${mapping.parallelizationFactor} batches at once per shard (ParallelizationFactor)` : ''}`);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const consumer of consumers.values()) consumer.stop();
      const all = Promise.all([...consumers.values()].map((c) => c.done));
      let timeout: NodeJS.Timeout | undefined;
      const late = await Promise.race([all.then(() => false), new Promise<boolean>((done) => (timeout = setTimeout(() => done(true), options.stopGraceMs)))]);
      clearTimeout(timeout);
      if (late) log(`a batch was still in flight after ${options.stopGraceMs / 1000} s; it was not checkpointed and will be delivered again on the next start`);
      await discovering;
    },
  };
}
