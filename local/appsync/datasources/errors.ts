import type { DataSourceOutcome } from './types.ts';

export type DataSourceError = NonNullable<DataSourceOutcome['error']>;

/**
 * A request that cannot be sent, thrown inside a data source and turned into `ctx.error` at
 * its boundary (AppSync reports such problems as errors of the field, never as crashes).
 */
export class DataSourceRequestError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/**
 * A malformed request object. `MappingTemplate` and the `Value for field '$[x]' not found.`
 * wording are documented for VTL; UNVERIFIED that the JS runtime uses the same.
 */
export function malformedRequest(message: string): DataSourceRequestError {
  return new DataSourceRequestError('MappingTemplate', message);
}

export function missingField(path: string): DataSourceRequestError {
  return malformedRequest(`Value for field '$[${path}]' not found.`);
}

/** A feature of AppSync that the local runtime does not run: said plainly, never faked. */
export function notRunLocally(message: string): DataSourceRequestError {
  return new DataSourceRequestError('LocalRuntime:Unsupported', message);
}

/** AppSync's wording for an AWS service error: the Java SDK's message suffix. */
export function awsServiceMessage(message: string, service: string, statusCode: number, errorCode: string, requestId: string): string {
  return `${message} (Service: ${service}; Status Code: ${statusCode}; Error Code: ${errorCode}; Request ID: ${requestId})`;
}

/** A failure that is neither the request's nor the service's (a bug, DynamoDB Local gone): logged and reported. */
export function internalFailure(context: string, error: unknown, log: (line: string) => void): DataSourceOutcome {
  const message = `${context}: ${error instanceof Error ? error.message : String(error)}`;
  log(`data source failure: ${message}`);
  return { error: { type: 'LocalRuntime:InternalError', message } };
}

/** Errors of a connection that could not be made or was cut: the service is down or restarting. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH']);

/**
 * DynamoDB Local down or restarting (local/supervise/): a retryable 503 in DynamoDB's own terms
 * (its documented 5xx `ServiceUnavailable`, "OK to retry? Yes"), as AppSync names service errors.
 * Undefined for any other failure.
 * UNVERIFIED: what AppSync itself reports when DynamoDB is unavailable; this is its shape for a
 * DynamoDB service error with DynamoDB's 503 code and message.
 */
export function dynamoDbUnavailable(error: unknown, requestId: string): DataSourceError | undefined {
  const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  if (!e || typeof e !== 'object') return undefined;
  const unreachable = UNREACHABLE_CODES.has(e.code ?? '') || UNREACHABLE_CODES.has(e.cause?.code ?? '') || e.name === 'TimeoutError' || /socket hang up/.test(e.message ?? '');
  if (!unreachable) return undefined;
  return {
    type: 'DynamoDB:ServiceUnavailable',
    message: awsServiceMessage('DynamoDB is currently unavailable. (This should be a temporary state.)', 'AmazonDynamoDBv2', 503, 'ServiceUnavailable', requestId),
  };
}
