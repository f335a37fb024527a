import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMappingModel } from '../../local/assembly/model.ts';

/**
 * A DynamoDB-stream mapping of table `table` with AWS's defaults where the template says
 * nothing (retry until expiry, no bisect, no record age limit, TRIM_HORIZON here), as the
 * assembly model gives them.
 */
export function streamMapping(table: string, overrides: Partial<EventSourceMappingModel> = {}, region = 'us-east-1', account = '000000000000'): EventSourceMappingModel {
  return {
    stackName: 'Test',
    logicalId: `${table}Mapping`,
    uuid: `uuid-${table}`,
    functionName: `${table}-consumer`,
    eventSourceArn: `arn:aws:dynamodb:${region}:${account}:table/${table}/stream/2026-01-01T00:00:00.000`,
    sourceTableName: table,
    enabled: true,
    batchSize: 100,
    maximumBatchingWindowSeconds: 0,
    startingPosition: 'TRIM_HORIZON',
    maximumRetryAttempts: -1,
    bisectBatchOnFunctionError: false,
    maximumRecordAgeSeconds: -1,
    functionResponseTypes: [],
    filterPatterns: [],
    parallelizationFactor: 1,
    ...overrides,
  };
}

/** A raw MODIFY record of item `id`, as DynamoDB Streams' GetRecords gives it, for stand-in readers and clients. */
export function streamRecord(sequence: number, id: string): StreamRecord {
  return {
    eventID: `e${sequence}`,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: { ApproximateCreationDateTime: new Date(), Keys: { id: { S: id } }, NewImage: { id: { S: id } }, SequenceNumber: String(sequence).padStart(21, '0'), SizeBytes: 10, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}
