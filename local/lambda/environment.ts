import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { LambdaFunctionModel } from '../assembly/model.ts';

export interface EnvironmentInputs {
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** e.g. `{ DYNAMODB: 'http://127.0.0.1:8123' }` → `AWS_ENDPOINT_URL_DYNAMODB`. */
  endpoints: Record<string, string>;
  logStreamName: string;
}

const RUNTIME_DIR = fileURLToPath(new URL('./worker/', import.meta.url));

/**
 * The environment variables of one execution environment: the template's resolved variables,
 * then what Lambda itself sets (which a template cannot override), then the local endpoints.
 */
export function functionEnvironment(fn: LambdaFunctionModel, inputs: EnvironmentInputs): Record<string, string> {
  const env: Record<string, string> = {
    ...fn.environment,
    AWS_REGION: inputs.region,
    AWS_DEFAULT_REGION: inputs.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn.functionName),
    AWS_LAMBDA_LOG_STREAM_NAME: inputs.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: fn.codeDir,
    LAMBDA_RUNTIME_DIR: RUNTIME_DIR,
    _HANDLER: fn.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    // Not Lambda's: with no local key the SDK must not fall back to the developer's own
    // ~/.aws profiles or the EC2 metadata service, which would reach (or wait for) real AWS.
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/pricestream-local/credentials',
    AWS_CONFIG_FILE: '/nonexistent/pricestream-local/config',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  // The local CA the runtime's HTTPS endpoints use (Node reads it once per process; handlers
  // that read the variable themselves see the same file).
  if (process.env.NODE_EXTRA_CA_CERTS) env.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
  if (inputs.credentials) {
    env.AWS_ACCESS_KEY_ID = inputs.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = inputs.credentials.secretAccessKey;
  }
  for (const [service, url] of Object.entries(inputs.endpoints)) env[endpointVariable(service)] = url;
  return env;
}

/** `dynamodb streams` / `DynamoDB-Streams` → `AWS_ENDPOINT_URL_DYNAMODB_STREAMS`, the SDK's own naming. */
export function endpointVariable(service: string): string {
  return `AWS_ENDPOINT_URL_${service.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** A fresh stream name per execution environment, in Lambda's `YYYY/MM/DD/[$LATEST]<hex>` form. */
export function newLogStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
