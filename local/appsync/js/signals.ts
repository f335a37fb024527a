// How util.error, util.unauthorized and runtime.earlyReturn leave a handler: they throw one of
// these. Handler code cannot catch them (try/catch is refused on save), so they always reach
// the runtime. They are not Errors: no stack trace is captured for a control transfer.
import type { AppSyncFieldError } from './types.ts';

export class UtilErrorSignal {
  readonly error: AppSyncFieldError;
  constructor(error: AppSyncFieldError) {
    this.error = error;
  }
}

export class UnauthorizedSignal {}

export class EarlyReturnSignal {
  readonly value: unknown;
  readonly skipTo: 'END' | 'NEXT' | undefined;
  constructor(value: unknown, skipTo: 'END' | 'NEXT' | undefined) {
    this.value = value;
    this.skipTo = skipTo;
  }
}

export type Signal = UtilErrorSignal | UnauthorizedSignal | EarlyReturnSignal;

export function isSignal(thrown: unknown): thrown is Signal {
  return thrown instanceof UtilErrorSignal || thrown instanceof UnauthorizedSignal || thrown instanceof EarlyReturnSignal;
}
