// evaluateCode: the offline twin of AppSync's EvaluateCode (API-EVAL, docs/reference/appsync-js-runtime.md §11), and
// evaluateHandler, a typed wrapper for tests over the same path.
import { authTypeOfIdentity } from '../util/errors.ts';
import { CodeRejectedError, type CodeProblem } from '../check/code-problems.ts';
import { compileHandlerCode } from '../check/compile-handler-code.ts';
import { callHandler } from '../execute/call-handler.ts';
import { createContext, type HandlerContext } from '../execute/context.ts';
import { newRunRecord, type InvocationState } from '../invocation-state.ts';
import type { CompiledCode } from '../sandbox/compiled-code.ts';
import type { AppSyncFieldError, OperationKind } from '../types.ts';
import { BoundedCache } from '../../../support/bounded-cache.ts';

export interface EvaluateCodeRequest {
  code: string;
  function: 'request' | 'response';
  /** The mock context: a JSON string (2–28000 characters) or an object. */
  context: string | object;
  runtime?: { name: 'APPSYNC_JS'; runtimeVersion: '1.0.0' };
}

export interface EvaluateCodeError {
  errorType: string;
  value: string;
  location: { line: number; column: number; span: number };
}

export interface EvaluateCodeResponse {
  /** JSON of what the handler returned. Absent when `error` is set. */
  evaluationResult?: string;
  error?: { message: string; codeErrors?: EvaluateCodeError[] };
  logs?: string[];
  /** JSON of ctx.stash after the handler. */
  stash?: string;
  /** JSON of the errors util.appendError added. */
  outErrors?: string;
}

/** EvaluateCode's `context` limit (API-EVAL). */
const MAX_CONTEXT_LENGTH = 28000;
/** AppSync's text for code that fails its save-time checks (SLS619). */
const CODE_ERRORS_MESSAGE = 'The code contains one or more errors.';
const EVALUATION_TIME_LIMIT_MS = 30_000;

const compiled = new BoundedCache<string, CompiledCode | CodeRejectedError>(100);

/** Compiled code by text, so tests that evaluate the same handler many times compile it once. */
function compileCached(code: string): CompiledCode | CodeRejectedError {
  return compiled.getOrCreate(code, () => {
    try {
      return compileHandlerCode(code, 'EvaluateCode');
    } catch (error) {
      if (!(error instanceof CodeRejectedError)) throw error;
      return error;
    }
  });
}

function codeErrors(problems: CodeProblem[]): EvaluateCodeError[] {
  return problems.map((p) => ({ errorType: p.errorType, value: p.message, location: { line: p.line, column: p.column, span: p.span } }));
}

const OPERATIONS: Record<string, OperationKind> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' };

function contextObject(context: unknown): Record<string, unknown> | string {
  let value = context;
  if (typeof context === 'string') {
    if (context.length < 2 || context.length > MAX_CONTEXT_LENGTH) return `context must be 2 to ${MAX_CONTEXT_LENGTH} characters of JSON; it is ${context.length}`;
    try {
      value = JSON.parse(context);
    } catch (error) {
      return `context is not valid JSON: ${(error as Error).message}`;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'context must be a JSON object';
  return value as Record<string, unknown>;
}

interface Evaluation {
  response: EvaluateCodeResponse;
  rejected?: CodeRejectedError;
  appended: AppSyncFieldError[];
  ctx?: HandlerContext;
}

function evaluate(request: EvaluateCodeRequest): Evaluation {
  const fail = (message: string): Evaluation => ({ response: { error: { message } }, appended: [] });
  if (request.runtime && (request.runtime.name !== 'APPSYNC_JS' || request.runtime.runtimeVersion !== '1.0.0')) {
    return fail(`runtime ${JSON.stringify(request.runtime)} is not supported: use {name: "APPSYNC_JS", runtimeVersion: "1.0.0"}`);
  }
  if (request.function !== 'request' && request.function !== 'response') return fail(`function must be "request" or "response", not ${JSON.stringify(request.function)}`);
  const mock = contextObject(request.context);
  if (typeof mock === 'string') return fail(mock);

  const code = compileCached(request.code);
  if (code instanceof CodeRejectedError) {
    return { response: { error: { message: CODE_ERRORS_MESSAGE, codeErrors: codeErrors(code.problems) } }, rejected: code, appended: [] };
  }

  const info = (mock.info ?? undefined) as Record<string, unknown> | undefined;
  const ctx = createContext({
    arguments: mock.arguments ?? mock.args,
    identity: mock.identity,
    source: mock.source,
    request: mock.request as { headers: Record<string, unknown>; domainName: string | null } | undefined,
    info,
    env: mock.env as Record<string, string> | undefined,
    stash: mock.stash as Record<string, unknown> | undefined,
  });
  if (Object.hasOwn(mock, 'result')) ctx.result = mock.result;
  if (Object.hasOwn(mock, 'error')) ctx.error = mock.error as HandlerContext['error'];
  if (Object.hasOwn(mock, 'prev')) ctx.prev = mock.prev as HandlerContext['prev'];

  const record = newRunRecord();
  const typeName = typeof info?.parentTypeName === 'string' ? info.parentTypeName : undefined;
  const state: InvocationState = {
    handler: request.function,
    operation: typeName ? OPERATIONS[typeName] : undefined,
    typeName,
    fieldName: typeof info?.fieldName === 'string' ? info.fieldName : undefined,
    authType: authTypeOfIdentity(mock.identity),
    ...record,
  };
  const result = callHandler(code, state, ctx, Date.now() + EVALUATION_TIME_LIMIT_MS);
  const response: EvaluateCodeResponse = {};
  if (result.kind === 'error') {
    // [AWS-verified LS]: util.error("foo") → {message:"foo"}; util.unauthorized() → {message:"Unauthorized"}.
    response.error = { message: result.cause === 'unauthorized' ? 'Unauthorized' : result.error.message };
  } else response.evaluationResult = JSON.stringify(result.value);
  response.logs = record.logs;
  response.stash = JSON.stringify(ctx.stash);
  // UNVERIFIED: the shape of outErrors' entries.
  response.outErrors = JSON.stringify(record.appendedErrors);
  return { response, appended: record.appendedErrors, ctx };
}

/** The offline twin of AppSync's EvaluateCode: same request and response shape. */
export function evaluateCode(request: EvaluateCodeRequest): EvaluateCodeResponse {
  return evaluate(request).response;
}

export interface EvaluatedHandler {
  /** The handler's value (parsed evaluationResult); undefined when it failed. */
  result: unknown;
  /** util.error / util.unauthorized / an exception: EvaluateCode's error message. */
  error?: { message: string };
  logs: string[];
  stash: Record<string, unknown>;
  outErrors: AppSyncFieldError[];
}

/**
 * For tests: runs one handler through evaluateCode and returns parsed values. Code that fails
 * the save-time checks throws the CodeRejectedError, with every problem and its position.
 */
export function evaluateHandler(code: string, handler: 'request' | 'response', context: object = {}): EvaluatedHandler {
  const { response, rejected, appended } = evaluate({ code, function: handler, context, runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' } });
  if (rejected) throw rejected;
  if (response.error && response.evaluationResult === undefined && response.stash === undefined) throw new Error(`EvaluateCode refused the request: ${response.error.message}`);
  return {
    result: response.evaluationResult === undefined ? undefined : JSON.parse(response.evaluationResult),
    ...(response.error && { error: { message: response.error.message } }),
    logs: response.logs ?? [],
    stash: JSON.parse(response.stash ?? '{}'),
    outErrors: appended,
  };
}
