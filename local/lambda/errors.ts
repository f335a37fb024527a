import { types } from 'node:util';
import type { LambdaError } from './worker/protocol.ts';

/**
 * Lambda's error document for what a handler threw or rejected with: an Error gives its name,
 * message and stack lines; anything else gives its `typeof` and its string form.
 */
export function formatError(error: unknown): LambdaError {
  try {
    if (types.isNativeError(error) || looksLikeError(error)) {
      const e = error as Error;
      return { errorType: e.name, errorMessage: e.message, trace: typeof e.stack === 'string' ? e.stack.split('\n') : [] };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

function looksLikeError(value: unknown): boolean {
  const v = value as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return !!v && typeof v.name === 'string' && typeof v.message === 'string' && typeof v.stack === 'string';
}

/** What Lambda reports when a function runs past its timeout. */
export function timeoutError(requestId: string, timeoutSeconds: number): LambdaError {
  return { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: ${timeoutMessage(timeoutSeconds)}`, trace: [] };
}

export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/** What Lambda reports when the runtime process ends during an invoke (process.exit, a crash). */
export function exitError(requestId: string, exitCode: number): LambdaError {
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${exitCode}`, trace: [] };
}
