// What util, extensions and runtime record while one handler runs. Handlers run synchronously
// (no async in APPSYNC_JS), so one "current" slot is enough even with many resolvers in flight:
// it is set for the duration of a single synchronous handler call.
import type { AppSyncFieldError, AuthType, OperationKind, ResolverExtensions } from './types.ts';

export interface InvocationState {
  handler: 'request' | 'response';
  /** undefined in EvaluateCode when the context does not say which operation it is. */
  operation: OperationKind | undefined;
  typeName: string | undefined;
  fieldName: string | undefined;
  authType: AuthType | undefined;
  logs: string[];
  appendedErrors: AppSyncFieldError[];
  responseHeaders: Record<string, string>;
  extensions: ResolverExtensions;
}

/** State shared by all handlers of one resolver run (or one EvaluateCode call). */
export function newRunRecord(): Pick<InvocationState, 'logs' | 'appendedErrors' | 'responseHeaders' | 'extensions'> {
  return { logs: [], appendedErrors: [], responseHeaders: {}, extensions: { invalidations: [], cacheEvictions: [] } };
}

let current: InvocationState | undefined;

export function currentInvocation(member: string): InvocationState {
  if (!current) throw new Error(`${member} can only be called while a resolver handler runs`);
  return current;
}

export function withInvocation<T>(state: InvocationState, run: () => T): T {
  const previous = current;
  current = state;
  try {
    return run();
  } finally {
    current = previous;
  }
}
