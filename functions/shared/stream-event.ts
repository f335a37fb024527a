import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Lambda's DynamoDB Streams event, as much of it as the functions read. */
export interface DynamoDBStreamRecord {
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventSourceARN?: string;
  dynamodb?: {
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
  };
}

export interface DynamoDBStreamEvent {
  Records: DynamoDBStreamRecord[];
}

/** The response that makes Lambda retry only from the first failed record (`ReportBatchItemFailures`). */
export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
