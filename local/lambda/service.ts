import { randomUUID } from 'node:crypto';
import type { LambdaFunctionModel } from '../assembly/model.ts';
import { createFunctionPool, type FunctionPool } from './function-pool.ts';
import type { InvocationRecord, LambdaInvokeResult, LambdaService, LambdaServiceOptions } from './types.ts';

/** Lambda's synchronous payload limits: 6 MB in, and (as its own error says) 6291556 bytes out. */
const MAX_REQUEST_BYTES = 6_291_456;
const MAX_RESPONSE_BYTES = 6_291_556;
const DEFAULT_LOCAL_CONCURRENCY = 10;

/**
 * Runs the functions of the assembly, each in its own worker threads with its own environment
 * variables, as Lambda would: warm reuse, timeouts, reserved concurrency, Lambda's error
 * documents and log lines. Workers start on a function's first invoke.
 */
export function startLambdaService(options: LambdaServiceOptions): LambdaService {
  let byName = new Map(options.functions.map((fn) => [fn.functionName, fn]));
  const pools = new Map<string, FunctionPool>();
  const background = new Set<Promise<unknown>>();
  let stopped = false;

  if (new Date(0).getTimezoneOffset() !== 0) {
    options.log(
      `warning: this process runs in time zone ${Intl.DateTimeFormat().resolvedOptions().timeZone}; functions see TZ=:UTC as on Lambda, but worker threads share the process's zone, so Date follows the host (start with TZ=UTC to match Lambda)`,
    );
  }

  function poolOf(fn: LambdaFunctionModel): FunctionPool {
    let pool = pools.get(fn.functionName);
    if (!pool) {
      const credentials = fn.roleArn ? options.credentialsFor(fn.roleArn) : undefined;
      if (!credentials) {
        options.log(`[${fn.functionName}] no local access key for its execution role (${fn.roleArn ?? 'none'}): the function runs without AWS credentials`);
      }
      const ignored = (fn.environment.NODE_OPTIONS ?? '').split(/\s+/).filter((flag) => flag !== '' && flag !== '--enable-source-maps');
      if (ignored.length > 0) options.log(`[${fn.functionName}] NODE_OPTIONS ${ignored.join(' ')} not applied: functions run in worker threads of the runtime's process`);
      pool = createFunctionPool({
        fn,
        region: options.region,
        endpoints: options.endpoints,
        localConcurrency: options.localConcurrency ?? DEFAULT_LOCAL_CONCURRENCY,
        log: options.log,
        ...(credentials && { credentials }),
      });
      pools.set(fn.functionName, pool);
    }
    return pool;
  }

  /** A name, `name:$LATEST`, a partial ARN (`account:function:name`) or a full ARN → the function. */
  function resolve(nameOrArn: string): { fn: LambdaFunctionModel; invokedArn: string } | undefined {
    const arn = /^arn:aws[a-z-]*:lambda:([^:]+):(\d+):function:([^:]+)(?::(.+))?$/.exec(nameOrArn);
    const partial = /^(\d+):function:([^:]+)(?::(.+))?$/.exec(nameOrArn);
    const plain = /^([^:]+)(?::(.+))?$/.exec(nameOrArn);
    const [region, account, name, qualifier] = arn
      ? [arn[1], arn[2], arn[3], arn[4]]
      : partial
        ? [options.region, partial[1], partial[2], partial[3]]
        : [options.region, options.accountId, plain?.[1], plain?.[2]];
    const fn = name === undefined ? undefined : byName.get(name);
    if (!fn || region !== options.region || account !== options.accountId) return undefined;
    // Versions and aliases are not modelled: only the unpublished function runs.
    if (qualifier !== undefined && qualifier !== '$LATEST') return undefined;
    return { fn, invokedArn: qualifier ? `${fn.arn}:${qualifier}` : fn.arn };
  }

  function refused(statusCode: number, errorType: string, errorMessage: string): InvocationRecord {
    return { requestId: randomUUID(), statusCode, executedVersion: '$LATEST', result: { ok: false, errorType, errorMessage } };
  }

  async function runSync(fn: LambdaFunctionModel, invokedArn: string, requestId: string, event: string, throttle: boolean): Promise<InvocationRecord> {
    const outcome = await poolOf(fn).run({ requestId, event, invokedFunctionArn: invokedArn, throttle });
    const base = { requestId, executedVersion: '$LATEST' as const };
    if (outcome.kind === 'throttled') {
      return { ...base, statusCode: 429, result: { ok: false, errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' } };
    }
    if (outcome.kind === 'stopped') return { ...base, statusCode: 500, result: { ok: false, errorType: 'ServiceException', errorMessage: 'the local Lambda service is stopping' } };
    const result = outcome.outcome;
    if (!result.ok) {
      const { errorType, errorMessage, trace } = result.error;
      return { ...base, statusCode: 200, functionError: 'Unhandled', result: { ok: false, errorType, errorMessage, trace } };
    }
    if (Buffer.byteLength(result.payload) > MAX_RESPONSE_BYTES) {
      return {
        ...base,
        statusCode: 200,
        functionError: 'Unhandled',
        result: { ok: false, errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).` },
      };
    }
    return { ...base, statusCode: 200, result: { ok: true, payload: JSON.parse(result.payload) as unknown } };
  }

  async function invokeWithRecord(nameOrArn: string, event: unknown, invokeOptions: { invocationType: 'RequestResponse' | 'Event' }): Promise<InvocationRecord> {
    if (stopped) return refused(500, 'ServiceException', 'the local Lambda service is stopping');
    const target = resolve(nameOrArn);
    if (!target) {
      const shown = nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:lambda:${options.region}:${options.accountId}:function:${nameOrArn}`;
      return refused(404, 'ResourceNotFoundException', `Function not found: ${shown}`);
    }
    if (target.fn.unsupported) return refused(400, 'LocalRuntime.UnsupportedFunction', `${target.fn.functionName} is not run locally: ${target.fn.unsupported}`);
    // The Invoke API's empty payload is the event `{}`.
    const payload = event === undefined ? '{}' : JSON.stringify(event);
    if (Buffer.byteLength(payload) > MAX_REQUEST_BYTES) {
      return refused(413, 'RequestTooLargeException', `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`);
    }
    const requestId = randomUUID();
    if (invokeOptions.invocationType === 'RequestResponse') return runSync(target.fn, target.invokedArn, requestId, payload, true);

    // Event: accepted at once. Lambda queues the event; throttles make it wait, not fail.
    const { fn } = target;
    if (fn.reservedConcurrency === 0) {
      options.log(`[${fn.functionName}] Event invoke ${requestId} dropped: reserved concurrency is 0 (Lambda would retry it for up to 6 hours)`);
    } else {
      const running = runSync(fn, target.invokedArn, requestId, payload, false).then((record) => {
        if (!record.result.ok) options.log(`[${fn.functionName}] Event invoke ${requestId} failed: ${record.result.errorType}: ${record.result.errorMessage}`);
      });
      background.add(running);
      void running.finally(() => background.delete(running));
    }
    return { requestId, statusCode: 202, executedVersion: '$LATEST', result: { ok: true, payload: null } };
  }

  return {
    invokeWithRecord,
    invoke: async (nameOrArn, event, invokeOptions): Promise<LambdaInvokeResult> => (await invokeWithRecord(nameOrArn, event, invokeOptions)).result,
    replaceFunctions(functions) {
      const next = new Map(functions.map((fn) => [fn.functionName, fn]));
      const changed = (name: string) => JSON.stringify(byName.get(name)) !== JSON.stringify(next.get(name));
      for (const [name, pool] of [...pools]) {
        if (!changed(name)) continue;
        pools.delete(name);
        pool.retire();
      }
      const replaced = [...next.keys()].filter(changed);
      byName = next;
      return replaced;
    },
    async stop() {
      stopped = true;
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
      await Promise.all(background);
    },
  };
}
