/**
 * One Lambda execution environment, run in a worker thread: loads the handler once (init), then
 * runs one invoke at a time for as long as the worker lives (warm reuse), with the programming
 * model of Lambda's Node.js runtime: async handlers, callback handlers (up to nodejs22.x) with
 * `callbackWaitsForEmptyEventLoop`, Lambda's console format, and a crash ending only this worker.
 */
import { format } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { formatError } from '../errors.ts';
import { loadHandler, RuntimeError, supportsCallbacks, type UserHandler } from './load-handler.ts';
import type { FromWorker, LambdaError, ToWorker, WorkerConfig } from './protocol.ts';

const port = parentPort!;
const config = workerData as WorkerConfig;
const callbacksAllowed = supportsCallbacks(config.runtime);

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

interface Invocation {
  requestId: string;
  /** The handler returned a promise that has not settled. */
  pendingPromise: boolean;
  /** The handler called its callback without an error while waiting for an empty event loop. */
  callbackResult?: { result: unknown };
  finish(outcome: Outcome): void;
}

let current: Invocation | undefined;
let initializing = true;

const post = (message: FromWorker) => port.postMessage(message);
/** The heap in use as the invoke ends, sent with its result for the REPORT line's "Max Memory Used". */
const heapUsed = () => getHeapStatistics().used_heap_size;

patchConsole();
// CDK sets NODE_OPTIONS=--enable-source-maps for functions bundled with source maps; a worker
// cannot take NODE_OPTIONS, so the one flag that matters to error traces is applied here.
if (/(^|\s)--enable-source-maps(\s|$)/.test(process.env.NODE_OPTIONS ?? '')) process.setSourceMapsEnabled(true);

// As in Lambda: an uncaught exception or an unhandled rejection fails the invoke in progress
// and ends the execution environment; the next invoke starts a fresh one.
process.on('uncaughtException', (error) => crash(formatError(error), 'Uncaught Exception', 129));
process.on('unhandledRejection', (reason) => crash(formatError(new RuntimeError('UnhandledPromiseRejection', String(reason))), 'Unhandled Promise Rejection', 128));

// The loop has nothing left to do but the invoke is open (the port is unref'd during invokes):
// this is the moment Lambda's runtime completes a callback handler that waits for an empty loop.
process.on('beforeExit', () => {
  const invocation = current;
  if (!invocation) return;
  if (invocation.callbackResult) invocation.finish({ ok: true, result: invocation.callbackResult.result });
  // UNVERIFIED: the message of Runtime.NodeJsExit is not documented; the type is what Lambda logs.
  else if (invocation.pendingPromise) invocation.finish({ ok: false, error: new RuntimeError('NodeJsExit', 'Error: Runtime exited without providing a reason') });
  else invocation.finish({ ok: true, result: null });
});

let handler: UserHandler;
try {
  handler = await loadHandler(config.codeDir, config.handler, config.runtime);
  initializing = false;
  post({ type: 'ready' });
} catch (error) {
  const formatted = formatError(error);
  logLine(undefined, 'ERROR', `Init Error \t${JSON.stringify({ errorType: formatted.errorType, errorMessage: formatted.errorMessage, stack: formatted.trace })}`);
  post({ type: 'init-error', error: formatted });
  process.exit(1);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'invoke') invoke(message);
});

function invoke(message: ToWorker): void {
  let settled = false;
  let callbackCalled = false;
  let waitForEmptyEventLoop = true;
  const invocation: Invocation = {
    requestId: message.requestId,
    pendingPromise: false,
    finish(outcome) {
      if (settled) return;
      settled = true;
      current = undefined;
      port.ref();
      report(message.requestId, outcome);
    },
  };

  const callback = (error?: unknown, result?: unknown) => {
    if (callbackCalled || settled) return;
    callbackCalled = true;
    if (error !== undefined && error !== null) invocation.finish({ ok: false, error });
    else if (!waitForEmptyEventLoop) invocation.finish({ ok: true, result });
    else invocation.callbackResult = { result };
  };
  const done = (error?: unknown, result?: unknown) => {
    callbackCalled = true;
    if (error !== undefined && error !== null) invocation.finish({ ok: false, error });
    else invocation.finish({ ok: true, result });
  };

  const env = process.env;
  const context: Record<string, unknown> = {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => message.deadline - Date.now(),
  };
  Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', {
    enumerable: true,
    get: () => waitForEmptyEventLoop,
    set: (value: boolean) => {
      waitForEmptyEventLoop = value;
    },
  });
  if (callbacksAllowed) {
    Object.assign(context, {
      succeed: (result: unknown) => done(null, result),
      fail: (error: unknown) => done(error === undefined || error === null ? 'handled' : error),
      done,
    });
  }

  current = invocation;
  // While an invoke is open the port does not keep the worker alive, so that an empty event
  // loop can be noticed (beforeExit above); it is ref'd again when the invoke finishes.
  port.unref();
  try {
    const event: unknown = JSON.parse(message.event);
    const returned = callbacksAllowed ? handler(event, context, callback) : handler(event, context);
    if (isPromise(returned)) {
      invocation.pendingPromise = true;
      returned.then(
        (result) => invocation.finish({ ok: true, result }),
        (error: unknown) => invocation.finish({ ok: false, error }),
      );
    } else if (!callbacksAllowed) {
      invocation.finish({ ok: true, result: returned });
    }
  } catch (error) {
    invocation.finish({ ok: false, error });
  }
}

function report(requestId: string, outcome: Outcome): void {
  if (!outcome.ok) {
    reportError(requestId, formatError(outcome.error));
    return;
  }
  let payload: string | undefined;
  try {
    payload = JSON.stringify(outcome.result);
  } catch {
    reportError(requestId, formatError(new RuntimeError('JSONStringifyError', 'Unable to stringify response body')));
    return;
  }
  post({ type: 'result', requestId, ok: true, payload: payload ?? 'null', heapUsed: heapUsed() });
}

function reportError(requestId: string, error: LambdaError): void {
  logLine(requestId, 'ERROR', `Invoke Error \t${JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace })}`);
  post({ type: 'result', requestId, ok: false, error, heapUsed: heapUsed() });
}

function crash(error: LambdaError, what: string, exitCode: number): void {
  logLine(current?.requestId, 'ERROR', `${what} \t${JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace })}`);
  if (initializing) post({ type: 'init-error', error });
  else if (current) post({ type: 'result', requestId: current.requestId, ok: false, error, fatal: true, heapUsed: heapUsed() });
  current = undefined;
  process.exit(exitCode);
}

function isPromise(value: unknown): value is Promise<unknown> {
  return !!value && typeof (value as { then?: unknown }).then === 'function';
}

/** Lambda's text log format: `<ISO time>\t<request id>\t<LEVEL>\t<message>`. */
function logLine(requestId: string | undefined, level: string, message: string): void {
  post({ type: 'log', line: `${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}` });
}

function patchConsole(): void {
  const levels: [keyof Console, string][] = [
    ['log', 'INFO'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['debug', 'DEBUG'],
    ['trace', 'TRACE'],
  ];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => logLine(current?.requestId, level, format(...args));
  }
}
