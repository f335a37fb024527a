import type { LambdaFunctionModel } from '../assembly/model.ts';

/** How the rest of the runtime reaches a function (contract in local/README.md). */
export type LambdaInvoker = (functionNameOrArn: string, event: unknown, options: { invocationType: 'RequestResponse' | 'Event' }) => Promise<LambdaInvokeResult>;

export type LambdaInvokeResult = { ok: true; payload: unknown } | { ok: false; errorType: string; errorMessage: string; trace?: string[] };

/** What the Invoke API says beyond the payload: what an event source mapping records on failure. */
export interface InvocationRecord {
  requestId: string;
  result: LambdaInvokeResult;
  /** The Invoke API's status: 200 when the function ran (even if it failed), 202 for Event, 4xx when Lambda refused. */
  statusCode: number;
  /** `Unhandled` when the function ran and failed (the Invoke API's X-Amz-Function-Error). */
  functionError?: 'Unhandled';
  executedVersion: '$LATEST';
}

export interface LambdaService {
  invoke: LambdaInvoker;
  /** `invoke` with the facts of the call (request id, status, function error), for event sources. */
  invokeWithRecord(functionNameOrArn: string, event: unknown, options: { invocationType: 'RequestResponse' | 'Event' }): Promise<InvocationRecord>;
  /**
   * The assembly's functions after a reload: a function whose model changed (its code asset,
   * handler, environment, limits) gets fresh execution environments; the others stay warm.
   * Answers the names of the functions replaced.
   */
  replaceFunctions(functions: LambdaFunctionModel[]): string[];
  stop(): Promise<void>;
}

export interface LambdaServiceOptions {
  functions: LambdaFunctionModel[];
  region: string;
  accountId: string;
  /** The local access key of an execution role: the function's AWS credentials. */
  credentialsFor(roleArn: string): { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Set as AWS_ENDPOINT_URL_<SERVICE>, e.g. { DYNAMODB: 'http://127.0.0.1:8123' }. */
  endpoints: Record<string, string>;
  log(line: string): void;
  /**
   * Concurrent executions of a function without reserved concurrency (default 10): a limit of
   * this machine, not of AWS, so invokes beyond it wait for a free environment instead of being
   * throttled. Reserved concurrency, where the template sets it, throttles as Lambda does.
   */
  localConcurrency?: number;
}
