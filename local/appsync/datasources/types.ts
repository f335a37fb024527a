/**
 * What a data-source request does, as the rest of the runtime sees it (contract in
 * local/README.md, "Data sources"). The JS runtime calls a `DataSourceInvoker`; Lambda data
 * sources and Lambda authorizers reach functions through a `LambdaInvoker`.
 */

export interface DataSourceCall {
  dataSourceName: string;
  /** What the request handler returned; for a direct Lambda resolver, the context event. */
  request: unknown;
  /** A resolver with no code on a Lambda data source. */
  direct: boolean;
  /** `Type.field`: BatchInvoke groups calls of one field. */
  field: string;
  /** The resolver's or function's MaxBatchSize (0 = no batching). */
  maxBatchSize: number;
  /** For DynamoDB's Custom conflict handler, which gets them. */
  arguments: unknown;
  identity: unknown;
  /** Epoch ms: AppSync's 30 s request limit. */
  deadline: number;
}

/** `ctx.result` and `ctx.error` for the response handler; both may be set (a failed condition). */
export interface DataSourceOutcome {
  result?: unknown;
  error?: { message: string; type: string };
}

export type DataSourceInvoker = (call: DataSourceCall) => Promise<DataSourceOutcome>;

/** How Lambda data sources and Lambda authorizers reach a function: the Lambda service's own contract. */
export type { LambdaInvoker, LambdaInvokeResult } from '../../lambda/types.ts';
