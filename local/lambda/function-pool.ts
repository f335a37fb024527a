import type { LambdaFunctionModel } from '../assembly/model.ts';
import { timeoutMessage } from './errors.ts';
import { functionEnvironment, newLogStreamName } from './environment.ts';
import { startExecutionEnvironment, type EnvironmentOutcome, type ExecutionEnvironment } from './execution-environment.ts';
import { endLine, reportLine, startLine, timeoutLine } from './log-lines.ts';

export type PoolOutcome =
  | { kind: 'completed'; outcome: EnvironmentOutcome }
  | { kind: 'throttled' }
  | { kind: 'stopped' };

export interface FunctionPool {
  /**
   * Runs one invoke in a free execution environment (a warm one if there is one). With
   * `throttle`, an invoke that finds every reserved environment busy is refused at once, as
   * Lambda refuses a synchronous invoke; otherwise it waits for one.
   */
  run(request: { requestId: string; event: string; invokedFunctionArn: string; throttle: boolean }): Promise<PoolOutcome>;
  /**
   * The function's code or configuration changed (hot reload): idle environments end now,
   * busy ones once their invoke finishes. Invokes already admitted or waiting still run here.
   */
  retire(): void;
  stop(): Promise<void>;
}

export interface PoolOptions {
  fn: LambdaFunctionModel;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  endpoints: Record<string, string>;
  localConcurrency: number;
  log(line: string): void;
}

export function createFunctionPool(options: PoolOptions): FunctionPool {
  const { fn } = options;
  const reserved = fn.reservedConcurrency;
  const limit = reserved ?? options.localConcurrency;
  const idle: ExecutionEnvironment[] = [];
  const all = new Set<ExecutionEnvironment>();
  /** Environments that have served an invoke: their init is not reported again. */
  const warm = new WeakSet<ExecutionEnvironment>();
  const waiting: (() => void)[] = [];
  let active = 0;
  let stopped = false;
  let retired = false;
  const log = (line: string) => options.log(`[${fn.functionName}] ${line}`);

  async function acquire(throttle: boolean): Promise<'ok' | 'throttled' | 'stopped'> {
    if (stopped) return 'stopped';
    if (active < limit) {
      active++;
      return 'ok';
    }
    if (throttle && reserved !== undefined) return 'throttled';
    await new Promise<void>((resume) => waiting.push(resume));
    return stopped ? 'stopped' : 'ok';
  }

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  function newEnvironment(): ExecutionEnvironment {
    const logStreamName = newLogStreamName();
    const env = startExecutionEnvironment({
      config: { codeDir: fn.codeDir, handler: fn.handler, runtime: fn.runtime },
      env: functionEnvironment(fn, { region: options.region, endpoints: options.endpoints, logStreamName, ...(options.credentials && { credentials: options.credentials }) }),
      logStreamName,
      onLog: log,
    });
    all.add(env);
    return env;
  }

  return {
    async run(request) {
      const admitted = await acquire(request.throttle);
      if (admitted !== 'ok') return { kind: admitted };
      let environment: ExecutionEnvironment | undefined;
      try {
        environment = idle.pop() ?? newEnvironment();
        const init = await environment.ready;
        const started = performance.now();
        log(startLine(request.requestId));
        let outcome: EnvironmentOutcome;
        if (!init.ok) {
          // Lambda reports a failed init as the invoke's error and starts afresh next time.
          outcome = { ok: false, error: init.error, status: 'error' };
        } else {
          outcome = await environment.invoke({ requestId: request.requestId, event: request.event, invokedFunctionArn: request.invokedFunctionArn, timeoutSeconds: fn.timeoutSeconds });
        }
        const durationMs = performance.now() - started;
        if (!outcome.ok && outcome.status === 'timeout') log(timeoutLine(request.requestId, timeoutMessage(fn.timeoutSeconds)));
        log(endLine(request.requestId));
        const heap = outcome.heapUsed;
        log(
          reportLine({
            requestId: request.requestId,
            durationMs,
            memoryMb: fn.memoryMb,
            ...(heap !== undefined && { maxMemoryUsedMb: Math.ceil(heap / 1024 / 1024) }),
            ...(init.ok && !warm.has(environment) && { initDurationMs: init.initDurationMs }),
            // Lambda adds a status only when the environment ended: a timeout, a crash, a failed init.
            ...(!outcome.ok && outcome.status === 'timeout' && { status: 'timeout' as const }),
            ...(!outcome.ok && outcome.status === 'error' && !environment.alive && { status: 'error' as const, errorType: outcome.error.errorType }),
          }),
        );
        warm.add(environment);
        return { kind: 'completed', outcome };
      } finally {
        if (environment) {
          if (environment.alive && !stopped && !retired) idle.push(environment);
          else {
            all.delete(environment);
            void environment.terminate();
          }
        }
        release();
      }
    },
    retire() {
      retired = true;
      for (const environment of idle.splice(0)) {
        all.delete(environment);
        void environment.terminate();
      }
    },
    async stop() {
      stopped = true;
      for (const resume of waiting.splice(0)) resume();
      await Promise.all([...all].map((env) => env.terminate()));
      all.clear();
      idle.length = 0;
    },
  };
}
