import { randomBytes } from 'node:crypto';
import type { DynamoDbWire } from '../../../dynamodb/wire-client.ts';
import { awsServiceMessage, type DataSourceError } from '../errors.ts';
import type { DataSourceCall, LambdaInvoker } from '../types.ts';
import type { NextTokens } from './next-token.ts';

/** What one DynamoDB data-source call works with. */
export interface DynamoDbCallContext {
  client: DynamoDbWire;
  dataSourceName: string;
  /** The data source's table: the one Get/Put/Update/Delete/Query/Scan/Sync use. */
  tableName: string;
  region: string;
  call: DataSourceCall;
  tokens: NextTokens;
  lambda: LambdaInvoker;
  /** The GraphQL return type of `Type.field`, for a Custom conflict handler's `resolver.outputType`. */
  outputTypeOf(field: string): string | null;
  /** Aborts DynamoDB calls at the request's deadline. */
  signal: AbortSignal;
}

const CONDITIONAL_REQUEST_FAILED = 'The conditional request failed';

/**
 * A DynamoDB service error as AppSync reports it: type `DynamoDB:<ExceptionName>`, the Java
 * SDK's message suffix. Undefined for anything that is not a service response.
 */
export function serviceError(error: unknown): DataSourceError | undefined {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: string };
  if (!e || typeof e !== 'object' || !e.$metadata || !e.$fault || !e.name) return undefined;
  const message = e.name === 'ConditionalCheckFailedException' ? CONDITIONAL_REQUEST_FAILED : (e.message ?? e.name);
  return {
    type: `DynamoDB:${e.name}`,
    message: awsServiceMessage(message, 'AmazonDynamoDBv2', e.$metadata.httpStatusCode ?? 400, e.name, e.$metadata.requestId ?? requestId()),
  };
}

/** A request id in AWS's style, where DynamoDB Local did not give one. */
export function requestId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(52)].map((b) => alphabet[b % alphabet.length]).join('');
}
