import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a mapping is in each shard of its stream. */
export interface ShardCheckpoint {
  /** Every record up to this one has been processed (or given up on). */
  sequenceNumber?: string;
  /** Records after `sequenceNumber` already processed (other partition keys, under ParallelizationFactor). */
  done?: string[];
  /** The shard is closed and every record of it has been processed. */
  finished?: boolean;
}

export interface CheckpointStore {
  /** Checkpoints kept from an earlier run, when they are for this stream. */
  readonly resumed: boolean;
  get(shardId: string): ShardCheckpoint | undefined;
  set(shardId: string, checkpoint: ShardCheckpoint): void;
}

/**
 * Checkpoints of one mapping, written to `<stateDir>/event-sources/<mapping uuid>.json` after
 * each change when persistent (written whole to a temporary file, then renamed, so a crash
 * leaves the old or the new file, never half of one), kept in memory otherwise. Checkpoints of
 * another stream (the table was recreated) are ignored: sequence numbers belong to a stream.
 */
export function openCheckpointStore(options: { stateDir: string; mappingId: string; streamArn: string; persistent: boolean; log(line: string): void }): CheckpointStore {
  const dir = join(options.stateDir, 'event-sources');
  const file = join(dir, `${options.mappingId}.json`);
  let shards: Record<string, ShardCheckpoint> = {};
  let resumed = false;
  if (options.persistent && existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { streamArn: string; shards: Record<string, ShardCheckpoint> };
    if (saved.streamArn === options.streamArn) {
      shards = saved.shards;
      resumed = true;
    } else {
      options.log(`checkpoints in ${file} are for stream ${saved.streamArn}, not ${options.streamArn} (the table was recreated): starting afresh`);
    }
  }
  const save = () => {
    if (!options.persistent) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ streamArn: options.streamArn, shards }, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  };
  return {
    resumed,
    get: (shardId) => shards[shardId],
    set(shardId, checkpoint) {
      shards[shardId] = checkpoint;
      save();
    },
  };
}
