// Unit, pipeline and direct Lambda resolvers (docs/reference/appsync-js-runtime.md §1.2, §7.2, §9; D-OVR, D-RT).
import { newRunRecord, type InvocationState } from '../invocation-state.ts';
import { jsonClone } from '../json.ts';
import type { CompiledCode } from '../sandbox/compiled-code.ts';
import type { AppSyncFieldError, DataSourceInvoker, DataSourceOutcome, PipelineFunctionDefinition, ResolverInvocation, ResolverOutcome } from '../types.ts';
import { callHandler, timeoutError, type HandlerResult } from './call-handler.ts';
import { createContext, infoObject, visibleHeaders, type HandlerContext } from './context.ts';

type Run = {
  invocation: ResolverInvocation;
  invoke: DataSourceInvoker;
  ctx: HandlerContext;
  record: ReturnType<typeof newRunRecord>;
};

class FieldError {
  readonly error: AppSyncFieldError;
  constructor(error: AppSyncFieldError) {
    this.error = error;
  }
}

/** Runs one field's resolver. Never throws for what handler code does; errors land in the outcome. */
export async function runResolver(invocation: ResolverInvocation, invoke: DataSourceInvoker): Promise<ResolverOutcome> {
  const record = newRunRecord();
  const ctx = createContext({ ...invocation, stash: {} });
  const run: Run = { invocation, invoke, ctx, record };
  let data: unknown = null;
  let error: AppSyncFieldError | undefined;
  try {
    const { resolver } = invocation;
    if (resolver.kind === 'PIPELINE') data = await runPipeline(run, resolver.code, resolver.functions);
    else if (resolver.code) data = await runUnit(run, resolver.code, resolver.dataSourceName, resolver.maxBatchSize);
    else data = await runDirectLambda(run, resolver.dataSourceName, resolver.maxBatchSize);
  } catch (thrown) {
    if (!(thrown instanceof FieldError)) throw thrown;
    error = thrown.error;
    data = null;
  }
  return {
    data,
    ...(error && { error }),
    appendedErrors: record.appendedErrors,
    logs: record.logs,
    stash: jsonClone(ctx.stash),
    extensions: record.extensions,
    responseHeaders: record.responseHeaders,
  };
}

function handlerState(run: Run, handler: 'request' | 'response'): InvocationState {
  const { invocation } = run;
  return {
    handler,
    operation: invocation.operation,
    typeName: invocation.resolver.typeName,
    fieldName: invocation.resolver.fieldName,
    authType: invocation.authType,
    ...run.record,
  };
}

function call(run: Run, code: CompiledCode, handler: 'request' | 'response'): Exclude<HandlerResult, { kind: 'error' }> {
  const result = callHandler(code, handlerState(run, handler), run.ctx, run.invocation.deadline);
  if (result.kind === 'error') throw new FieldError(result.error);
  return result;
}

async function callDataSource(run: Run, dataSourceName: string, request: unknown, direct: boolean, maxBatchSize: number): Promise<DataSourceOutcome> {
  const { invocation } = run;
  const outcome = await run.invoke({
    dataSourceName,
    request,
    direct,
    field: `${invocation.resolver.typeName}.${invocation.resolver.fieldName}`,
    maxBatchSize,
    arguments: jsonClone(invocation.arguments),
    identity: jsonClone(invocation.identity),
    deadline: invocation.deadline,
  });
  if (Date.now() > invocation.deadline) throw new FieldError(timeoutError());
  return outcome;
}

/**
 * The data source's answer goes to ctx.result and ctx.error. An error is not raised by itself:
 * the response handler decides (docs/reference/appsync-js-runtime.md §9.3).
 */
function setResult(ctx: HandlerContext, outcome: DataSourceOutcome): void {
  ctx.result = outcome.result === undefined ? null : jsonClone(outcome.result);
  if (outcome.error) ctx.error = { message: outcome.error.message, type: outcome.error.type };
  else delete ctx.error;
}

/** request → data source → response; an early return in the request is the field's value. */
async function runUnit(run: Run, code: CompiledCode, dataSourceName: string, maxBatchSize: number): Promise<unknown> {
  const request = call(run, code, 'request');
  if (request.kind === 'early') return request.value;
  setResult(run.ctx, await callDataSource(run, dataSourceName, request.value, false, maxBatchSize));
  return call(run, code, 'response').value;
}

/**
 * before → (F.request → F.data source → F.response)* → after. Each step's value is the next
 * step's ctx.prev.result; ctx.result and ctx.error are reset for every function (docs/reference/appsync-js-runtime.md §13:
 * UNVERIFIED whether they persist). earlyReturn in the resolver's request skips every function;
 * in a function's request it skips that function (skipTo NEXT, the default) or the rest of the
 * pipeline (END). In a function's response it is treated as that function's result and honours
 * END (UNVERIFIED).
 */
async function runPipeline(run: Run, code: CompiledCode, functions: PipelineFunctionDefinition[]): Promise<unknown> {
  const { ctx } = run;
  const before = call(run, code, 'request');
  let prev = before.value;
  if (before.kind !== 'early') {
    for (const fn of functions) {
      ctx.prev = { result: prev };
      delete ctx.result;
      delete ctx.error;
      const request = call(run, fn.code, 'request');
      if (request.kind === 'early') {
        prev = request.value;
        if (request.skipTo === 'END') break;
        continue;
      }
      setResult(ctx, await callDataSource(run, fn.dataSourceName, request.value, false, fn.maxBatchSize));
      const response = call(run, fn.code, 'response');
      prev = response.value;
      if (response.kind === 'early' && response.skipTo === 'END') break;
    }
  }
  ctx.prev = { result: prev };
  ctx.result = prev;
  delete ctx.error;
  return call(run, code, 'response').value;
}

/**
 * A resolver without code on a Lambda data source (docs/reference/appsync-js-runtime.md §7.2): the Lambda gets the context
 * as its event — info with the selection set, prev null, an empty stash — and the default
 * response raises a Lambda error: util.error(message, type, result).
 * UNVERIFIED: whether request.domainName is part of the event (the R1014 sample lacks it).
 */
async function runDirectLambda(run: Run, dataSourceName: string, maxBatchSize: number): Promise<unknown> {
  const { invocation } = run;
  const info = infoObject(invocation.info);
  const event = {
    arguments: jsonClone(invocation.arguments) ?? {},
    identity: jsonClone(invocation.identity) ?? null,
    source: jsonClone(invocation.source) ?? null,
    request: { headers: visibleHeaders(invocation.request.headers), domainName: invocation.request.domainName ?? null },
    prev: null,
    info: { fieldName: info.fieldName, parentTypeName: info.parentTypeName, selectionSetList: info.selectionSetList, selectionSetGraphQL: info.selectionSetGraphQL, variables: info.variables },
    stash: {},
  };
  const outcome = await callDataSource(run, dataSourceName, event, true, maxBatchSize);
  const result = outcome.result === undefined ? null : jsonClone(outcome.result);
  if (outcome.error) {
    // A Lambda's UnauthorizedException reads "You are not authorized to make this call." (D-LAMBDA-VTL).
    const message = outcome.error.type === 'UnauthorizedException' ? 'You are not authorized to make this call.' : outcome.error.message;
    throw new FieldError({ message, errorType: outcome.error.type, data: result, errorInfo: null });
  }
  return result;
}
