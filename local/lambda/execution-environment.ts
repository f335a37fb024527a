import { Worker } from 'node:worker_threads';
import { exitError, timeoutError, timeoutMessage } from './errors.ts';
import type { FromWorker, LambdaError, ToWorker, WorkerConfig } from './worker/protocol.ts';
import { workerEntry } from './worker-entry.ts';

/** Lambda gives the init phase of an on-demand environment 10 s, apart from the function timeout. */
const INIT_TIMEOUT_MS = 10_000;

/** `heapUsed`: the worker's V8 heap in bytes as the invoke ended (the local stand-in for "Max Memory Used"); absent when the worker gave no result. */
export type EnvironmentOutcome =
  | { ok: true; payload: string; heapUsed: number }
  | { ok: false; error: LambdaError; status: 'error' | 'timeout'; heapUsed?: number };

export interface InvokeRequest {
  requestId: string;
  event: string;
  invokedFunctionArn: string;
  timeoutSeconds: number;
}

/** One warm execution environment of a function: a worker thread with the handler loaded. */
export interface ExecutionEnvironment {
  logStreamName: string;
  /** Resolves when init is over: with its duration, or with the error that failed it. */
  ready: Promise<{ ok: true; initDurationMs: number } | { ok: false; error: LambdaError }>;
  /** False once the worker has exited (crash, timeout, init failure, stop). */
  readonly alive: boolean;
  invoke(request: InvokeRequest): Promise<EnvironmentOutcome>;
  terminate(): Promise<void>;
}

export interface EnvironmentOptions {
  config: WorkerConfig;
  env: Record<string, string>;
  logStreamName: string;
  /** A line the function logged (console, runtime errors), already in Lambda's format. */
  onLog(line: string): void;
}

export function startExecutionEnvironment(options: EnvironmentOptions): ExecutionEnvironment {
  const started = performance.now();
  const worker = new Worker(workerEntry(), { workerData: options.config, env: options.env, stdout: true, stderr: true });
  let alive = true;
  let pending: { requestId: string; settle(outcome: EnvironmentOutcome): void } | undefined;
  let readySettle: (value: Awaited<ExecutionEnvironment['ready']>) => void = () => {};
  const ready = new Promise<Awaited<ExecutionEnvironment['ready']>>((resolve) => (readySettle = resolve));

  // Direct writes to process.stdout/stderr (console is patched to post its lines in order).
  for (const stream of [worker.stdout, worker.stderr]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) options.onLog(line);
    });
  }

  // UNVERIFIED: the error document an invoke gets when init runs out of time; this is the
  // shape of Lambda's invoke timeout with the init limit in it.
  const initTimer = setTimeout(() => {
    readySettle({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: `Error: ${timeoutMessage(INIT_TIMEOUT_MS / 1000)} (init)`, trace: [] } });
    void worker.terminate();
  }, INIT_TIMEOUT_MS);

  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'log':
        options.onLog(message.line);
        break;
      case 'ready':
        clearTimeout(initTimer);
        readySettle({ ok: true, initDurationMs: performance.now() - started });
        break;
      case 'init-error':
        clearTimeout(initTimer);
        readySettle({ ok: false, error: message.error });
        break;
      case 'result':
        // The worker is on its way out: it must not be handed another invoke.
        if (!message.ok && message.fatal) alive = false;
        if (pending?.requestId === message.requestId) {
          pending.settle(message.ok ? { ok: true, payload: message.payload, heapUsed: message.heapUsed } : { ok: false, error: message.error, status: 'error', heapUsed: message.heapUsed });
        }
        break;
    }
  });
  // An error that escaped the runtime itself; the exit that follows settles what is open.
  worker.on('error', (error) => options.onLog(`${new Date().toISOString()}\t${pending?.requestId ?? 'undefined'}\tERROR\t${error.stack ?? error.message}`));
  worker.on('exit', (code) => {
    alive = false;
    clearTimeout(initTimer);
    readySettle({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}`, trace: [] } });
    pending?.settle({ ok: false, error: exitError(pending.requestId, code), status: 'error' });
  });

  return {
    logStreamName: options.logStreamName,
    ready,
    get alive() {
      return alive;
    },
    invoke(request) {
      if (!alive) return Promise.resolve({ ok: false, error: exitError(request.requestId, 0), status: 'error' });
      return new Promise<EnvironmentOutcome>((resolve) => {
        const timer = setTimeout(() => {
          // Lambda ends an environment whose invoke timed out; so does the local runtime.
          alive = false;
          settle({ ok: false, error: timeoutError(request.requestId, request.timeoutSeconds), status: 'timeout' });
          void worker.terminate();
        }, request.timeoutSeconds * 1000);
        const settle = (outcome: EnvironmentOutcome) => {
          if (pending?.requestId !== request.requestId) return;
          clearTimeout(timer);
          pending = undefined;
          resolve(outcome);
        };
        pending = { requestId: request.requestId, settle };
        const message: ToWorker = {
          type: 'invoke',
          requestId: request.requestId,
          event: request.event,
          deadline: Date.now() + request.timeoutSeconds * 1000,
          invokedFunctionArn: request.invokedFunctionArn,
        };
        worker.postMessage(message);
      });
    },
    async terminate() {
      alive = false;
      await worker.terminate();
    },
  };
}
