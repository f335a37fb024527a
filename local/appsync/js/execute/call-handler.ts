// One handler call and what it came to: a value, an early return, or a field error.
import { withInvocation, type InvocationState } from '../invocation-state.ts';
import { HandlerException, HandlerTimeoutError, type CompiledCode } from '../sandbox/compiled-code.ts';
import { EarlyReturnSignal, UnauthorizedSignal, UtilErrorSignal } from '../signals.ts';
import type { AppSyncFieldError } from '../types.ts';
import type { HandlerContext } from './context.ts';

export type HandlerResult =
  | { kind: 'value'; value: unknown }
  | { kind: 'early'; value: unknown; skipTo: 'END' | 'NEXT' | undefined }
  | { kind: 'error'; error: AppSyncFieldError; cause: 'util.error' | 'unauthorized' | 'exception' | 'timeout' };

/** UNVERIFIED: the errorType and message AppSync gives a request that runs past 30 s. */
export function timeoutError(): AppSyncFieldError {
  return { message: 'Execution timed out.', errorType: 'ExecutionTimeout', data: null, errorInfo: null };
}

/**
 * docs/reference/appsync-js-runtime.md §9.1: the live GraphQL error of util.unauthorized() is errorType `Unauthorized` and
 * "Not Authorized to access <field> on type <Type>" — UNVERIFIED for util.unauthorized itself
 * (the same text AppSync uses for auth-directive denials).
 */
export function unauthorizedError(typeName: string | undefined, fieldName: string | undefined): AppSyncFieldError {
  return { message: `Not Authorized to access ${fieldName ?? ''} on type ${typeName ?? ''}`, errorType: 'Unauthorized', data: null, errorInfo: null };
}

export function callHandler(code: CompiledCode, state: InvocationState, ctx: HandlerContext, deadline: number): HandlerResult {
  const remaining = deadline - Date.now();
  if (remaining <= 0) return { kind: 'error', error: timeoutError(), cause: 'timeout' };
  try {
    const json = withInvocation(state, () => code.call(state.handler, ctx, remaining));
    return { kind: 'value', value: JSON.parse(json) };
  } catch (thrown) {
    if (thrown instanceof EarlyReturnSignal) return { kind: 'early', value: thrown.value === undefined ? null : thrown.value, skipTo: thrown.skipTo };
    if (thrown instanceof UtilErrorSignal) return { kind: 'error', error: thrown.error, cause: 'util.error' };
    if (thrown instanceof UnauthorizedSignal) return { kind: 'error', error: unauthorizedError(state.typeName, state.fieldName), cause: 'unauthorized' };
    if (thrown instanceof HandlerTimeoutError) {
      state.logs.push(`ERROR ${code.origin} ${state.handler}: ${thrown.message}`);
      return { kind: 'error', error: timeoutError(), cause: 'timeout' };
    }
    if (thrown instanceof HandlerException) {
      const where = thrown.original ? ` (${thrown.original.source}:${thrown.original.line}:${thrown.original.column})` : '';
      state.logs.push(`ERROR ${code.origin} ${state.handler}: ${thrown.message}${where}`);
      return { kind: 'error', error: { message: thrown.message, errorType: 'Code', data: null, errorInfo: null }, cause: 'exception' };
    }
    throw thrown;
  }
}
