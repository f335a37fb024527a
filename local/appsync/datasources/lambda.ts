import { DataSourceRequestError, malformedRequest, missingField } from './errors.ts';
import type { DataSourceCall, DataSourceOutcome, LambdaInvoker, LambdaInvokeResult } from './types.ts';
import { describe } from './dynamodb/typed-values.ts';

type InvocationType = 'RequestResponse' | 'Event';

interface Pending {
  call: DataSourceCall;
  event: unknown;
  settle(outcome: DataSourceOutcome): void;
}

interface Queue {
  entries: Pending[];
  maxBatchSize: number;
}

const TIMED_OUT = Symbol('timed out');
const TIMEOUT_OUTCOME: DataSourceOutcome = { error: { type: 'ExecutionTimeout', message: 'Execution timed out.' } };

export interface LambdaDataSourceOptions {
  dataSourceName: string;
  functionArn: string;
  invoke: LambdaInvoker;
}

/**
 * An AWS_LAMBDA data source (docs/reference/appsync-js-runtime.md §7): `Invoke` and `BatchInvoke` from a coded resolver,
 * and the direct resolver (no code). Batched calls of one field that arrive in the same turn of
 * the event loop go to the Lambda together, up to `maxBatchSize` per invocation, as DataLoader
 * does.
 */
export function createLambdaDataSource({ dataSourceName, functionArn, invoke }: LambdaDataSourceOptions): (call: DataSourceCall) => Promise<DataSourceOutcome> {
  const queues = new Map<string, Queue>();

  /** Queues a batched call; a full batch goes at once, the rest when this turn of the event loop ends. */
  function enqueue(call: DataSourceCall, event: unknown, direct: boolean, invocationType: InvocationType): Promise<DataSourceOutcome> {
    const id = JSON.stringify([call.field, direct, invocationType]);
    let queue = queues.get(id);
    if (!queue) {
      const created: Queue = { entries: [], maxBatchSize: call.maxBatchSize };
      queues.set(id, created);
      setImmediate(() => {
        queues.delete(id);
        while (created.entries.length > 0) void runBatch(created.entries.splice(0, created.maxBatchSize), direct, invocationType);
      });
      queue = created;
    }
    const outcome = new Promise<DataSourceOutcome>((settle) => queue.entries.push({ call, event, settle }));
    if (queue.entries.length >= queue.maxBatchSize) void runBatch(queue.entries.splice(0), direct, invocationType);
    return outcome;
  }

  async function runBatch(batch: Pending[], direct: boolean, invocationType: InvocationType): Promise<void> {
    const answer = await invoke(functionArn, batch.map((p) => p.event), { invocationType }).catch(invokerFailure);
    const outcomes = batchOutcomes(answer, batch.length, direct, invocationType, batch[0]!.call.field);
    batch.forEach((p, i) => p.settle(outcomes[i]!));
  }

  return async (call) => {
    try {
      if (call.direct) {
        // A direct resolver sends the context itself; with MaxBatchSize > 0 it is batched [D-LAMBDA-VTL].
        if (call.maxBatchSize > 0) return orTimeout(await withDeadline(call, enqueue(call, call.request, true, 'RequestResponse')));
        const answer = await withDeadline(call, invoke(functionArn, call.request, { invocationType: 'RequestResponse' }).catch(invokerFailure));
        return answer === TIMED_OUT ? TIMEOUT_OUTCOME : directOutcome(answer);
      }
      const request = readRequest(call.request, dataSourceName);
      if (request.operation === 'BatchInvoke') {
        // UNVERIFIED: BatchInvoke on a resolver with MaxBatchSize 0; we send a batch of one so
        // the function still receives (and must answer) a list.
        const batched = { ...call, maxBatchSize: Math.max(1, call.maxBatchSize) };
        return orTimeout(await withDeadline(call, enqueue(batched, request.payload, false, request.invocationType)));
      }
      const answer = await withDeadline(call, invoke(functionArn, request.payload, { invocationType: request.invocationType }).catch(invokerFailure));
      if (answer === TIMED_OUT) return TIMEOUT_OUTCOME;
      if (!answer.ok) return { error: { type: 'Lambda:Unhandled', message: answer.errorMessage } };
      // An asynchronous invocation has no answer: the field resolves to null.
      return { result: request.invocationType === 'Event' ? null : (answer.payload ?? null) };
    } catch (error) {
      if (error instanceof DataSourceRequestError) return { error: { type: error.type, message: error.message } };
      throw error;
    }
  };
}

function readRequest(raw: unknown, dataSourceName: string): { operation: 'Invoke' | 'BatchInvoke'; invocationType: InvocationType; payload: unknown } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw malformedRequest(`the request to Lambda data source ${dataSourceName} must be an object; got ${describe(raw)}`);
  const request = raw as Record<string, unknown>;
  if (request.operation === undefined || request.operation === null) throw missingField('operation');
  if (request.operation !== 'Invoke' && request.operation !== 'BatchInvoke') {
    throw malformedRequest(`operation must be Invoke or BatchInvoke for Lambda data source ${dataSourceName}; got ${describe(request.operation)}`);
  }
  const invocationType = request.invocationType ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'Event') throw malformedRequest(`invocationType must be RequestResponse or Event; got ${describe(invocationType)}`);
  // The function's event is the payload itself (docs/reference/appsync-js-runtime.md §7.1); none is a null event.
  return { operation: request.operation, invocationType, payload: request.payload ?? null };
}

/** A direct resolver's error carries the function's errorType [D-LAMBDA-VTL]. */
function directError(errorType: string, errorMessage: string): NonNullable<DataSourceOutcome['error']> {
  return { type: errorType, message: errorType === 'UnauthorizedException' ? 'You are not authorized to make this call.' : errorMessage };
}

function directOutcome(answer: LambdaInvokeResult): DataSourceOutcome {
  return answer.ok ? { result: answer.payload ?? null } : { error: directError(answer.errorType, answer.errorMessage) };
}

function batchOutcomes(answer: LambdaInvokeResult, size: number, direct: boolean, invocationType: InvocationType, field: string): DataSourceOutcome[] {
  const all = (outcome: DataSourceOutcome) => Array.from({ length: size }, () => outcome);
  if (!answer.ok) return all({ error: direct ? directError(answer.errorType, answer.errorMessage) : { type: 'Lambda:Unhandled', message: answer.errorMessage } });
  if (invocationType === 'Event') return all({ result: null });
  const results = answer.payload;
  if (!Array.isArray(results) || results.length !== size) {
    // UNVERIFIED: AppSync's wording and type for a batch answer of the wrong shape.
    const got = Array.isArray(results) ? `a list of ${results.length}` : describe(results);
    return all({ error: { type: 'Lambda:Unhandled', message: `BatchInvoke for ${field}: the function must return a list of ${size} results, one per request in order; it returned ${got}` } });
  }
  if (!direct) return results.map((result) => ({ result: result ?? null }));
  return results.map((element) => {
    const { data = null, errorMessage, errorType } = (element ?? {}) as { data?: unknown; errorMessage?: unknown; errorType?: unknown };
    if (typeof errorMessage !== 'string') return { result: data };
    // UNVERIFIED: an element with errorMessage but no errorType; AppSync's type for it is not documented.
    return { result: data, error: directError(typeof errorType === 'string' ? errorType : 'Lambda:Unhandled', errorMessage) };
  });
}

/** The invoker itself failing (not the function) is reported like a function failure. */
function invokerFailure(error: unknown): LambdaInvokeResult {
  return { ok: false, errorType: 'Lambda:InvokeFailed', errorMessage: error instanceof Error ? error.message : String(error) };
}

/** AppSync's 30 s request limit: the field gives up; the function may still be running. */
async function withDeadline<T>(call: DataSourceCall, work: Promise<T>): Promise<T | typeof TIMED_OUT> {
  const remaining = call.deadline - Date.now();
  if (remaining <= 0) return TIMED_OUT;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), remaining);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function orTimeout(outcome: DataSourceOutcome | typeof TIMED_OUT): DataSourceOutcome {
  return outcome === TIMED_OUT ? TIMEOUT_OUTCOME : outcome;
}
