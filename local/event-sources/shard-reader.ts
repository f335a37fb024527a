import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';

export type StartPosition = { type: 'TRIM_HORIZON' } | { type: 'LATEST' } | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export interface ShardReader {
  /** The next records of the shard (possibly none); `ended` once a closed shard is read to its end. */
  read(): Promise<{ records: StreamRecord[]; ended: boolean }>;
}

/** GetRecords' largest page. */
const PAGE = 1000;

/**
 * Reads one shard in order with GetShardIterator / GetRecords. Iterators expire (15 minutes on
 * AWS): an expired one is replaced by an iterator after the last record read, so nothing is
 * skipped or read twice. Records trimmed from the stream before they were read are reported and
 * skipped, as there is nothing left to read of them.
 */
export function createShardReader(options: { client: DynamoDBStreamsClient; streamArn: string; shardId: string; start: StartPosition; log(line: string): void }): ShardReader {
  const { client, streamArn, shardId } = options;
  let iterator: string | undefined;
  let position: StartPosition = options.start;
  /** The last record handed out: nothing at or before it is handed out again. */
  let lastRead = options.start.type === 'AFTER_SEQUENCE_NUMBER' ? BigInt(options.start.sequenceNumber) : undefined;
  let trimmedInARow = 0;

  async function freshIterator(): Promise<string | undefined> {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: position.type,
        ...(position.type === 'AFTER_SEQUENCE_NUMBER' && { SequenceNumber: position.sequenceNumber }),
      }),
    );
    return ShardIterator;
  }

  return {
    async read() {
      iterator ??= await freshIterator();
      if (!iterator) return { records: [], ended: true };
      try {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE }));
        trimmedInARow = 0;
        const records = (page.Records ?? []).filter((r) => lastRead === undefined || BigInt(r.dynamodb!.SequenceNumber!) > lastRead);
        const last = records.at(-1)?.dynamodb?.SequenceNumber;
        if (last) {
          position = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last };
          lastRead = BigInt(last);
        }
        iterator = page.NextShardIterator;
        return { records, ended: !iterator };
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'ExpiredIteratorException') {
          iterator = undefined;
          return { records: [], ended: false };
        }
        if (name === 'TrimmedDataAccessException') {
          // DynamoDB Local has been seen to answer this once for a long-lived iterator chain
          // with nothing trimmed: a fresh iterator at the same position is tried first.
          iterator = undefined;
          if (++trimmedInARow > 1) {
            options.log(`shard ${shardId}: records after ${describe(position)} were trimmed from the stream before they were read; continuing from the oldest record left`);
            position = { type: 'TRIM_HORIZON' };
          }
          return { records: [], ended: false };
        }
        throw error;
      }
    },
  };
}

function describe(position: StartPosition): string {
  return position.type === 'AFTER_SEQUENCE_NUMBER' ? `sequence number ${position.sequenceNumber}` : position.type;
}
