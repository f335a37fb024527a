/** Messages between the Lambda service (main thread) and one execution environment (a worker). */

/** Lambda's error document: what an invoke's payload holds when the function fails. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** Fixed for the life of the worker: what Lambda knows before the first invoke. */
export interface WorkerConfig {
  codeDir: string;
  /** `file.export` as in the template, e.g. `index.handler`. */
  handler: string;
  /** e.g. `nodejs22.x`: decides whether callback-style handlers are allowed. */
  runtime: string;
}

export type ToWorker = {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text: each invoke parses a fresh copy, as the runtime does. */
  event: string;
  /** Epoch ms when the function's timeout ends. */
  deadline: number;
  invokedFunctionArn: string;
};

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaError }
  | { type: 'log'; line: string }
  /** `heapUsed`: V8 heap in use as the invoke ended, in bytes (sent along so that no second round trip delays the result). */
  | { type: 'result'; requestId: string; ok: true; payload: string; heapUsed: number }
  /** `fatal`: the runtime is ending after this error (an uncaught exception, an unhandled rejection). */
  | { type: 'result'; requestId: string; ok: false; error: LambdaError; fatal?: boolean; heapUsed: number };
