import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent, DynamoDBStreamRecord } from '../../../../functions/shared/stream-event.ts';
import { TEST_CREDENTIALS, TEST_REGION } from './tables.ts';

/**
 * Reads a table's stream from DynamoDB Local and shapes its records as Lambda's DynamoDB
 * event source delivers them (ApproximateCreationDateTime in epoch seconds). Each call
 * returns the records written since the previous call for the same reader.
 */
export function streamReader(dynamodb: DynamoDBClient, endpoint: string, tableName: string) {
  const streams = new DynamoDBStreamsClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  const iterators = new Map<string, string | undefined>();
  let streamArn: string | undefined;

  return {
    async next(): Promise<DynamoDBStreamEvent> {
      streamArn ??= (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!;
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const records: DynamoDBStreamRecord[] = [];
      for (const shard of StreamDescription!.Shards ?? []) {
        if (!iterators.has(shard.ShardId!)) {
          const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
          iterators.set(shard.ShardId!, ShardIterator);
        }
        let iterator = iterators.get(shard.ShardId!);
        while (iterator) {
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
          for (const r of page.Records ?? []) {
            records.push({
              eventID: r.eventID,
              eventName: r.eventName as DynamoDBStreamRecord['eventName'],
              eventSourceARN: streamArn,
              dynamodb: {
                ...(r.dynamodb as any),
                ApproximateCreationDateTime: Math.floor((r.dynamodb!.ApproximateCreationDateTime as Date).getTime() / 1000),
              },
            });
          }
          iterator = page.NextShardIterator;
          iterators.set(shard.ShardId!, iterator);
          if (!page.Records?.length) break;
        }
      }
      return { Records: records };
    },
    close: () => streams.destroy(),
  };
}
