import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The functions' one DynamoDB client, created at module load so that warm invocations reuse
 * its connections. No endpoint is configured here: the SDK (3.1169, through @smithy/core's
 * endpoint config) reads AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL, from the
 * environment, which is how the local runtime points it at DynamoDB Local.
 */
export const dynamodb = new DynamoDBClient({});

/** The name of an AWS SDK error (`ConditionalCheckFailedException`, ...), if it is one. */
export function awsErrorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : undefined;
}
