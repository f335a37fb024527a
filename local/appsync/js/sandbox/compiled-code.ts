// Handler code that passed the save-time checks, compiled once into its own vm context and run
// warm. Each call instantiates the module afresh (module-level state never leaks from one
// evaluation to the next) and runs against a deadline that the guard in every loop and function
// body enforces (module-transform.ts), so a runaway handler cannot hang the server. Known limit:
// a single built-in call is not interrupted, so one that alone outlasts the deadline (e.g. sorting
// tens of millions of items) finishes before the timeout is reported.
import vm from 'node:vm';
import { sourceLocator, type OriginalPosition, type SourceLocator } from '../../source-location.ts';
import { runtimeModules } from '../modules/index.ts';
import { isSignal } from '../signals.ts';
import { createSandboxContext } from './sandbox-context.ts';
import type { TransformedModule } from './module-transform.ts';

/** The handler threw: a JavaScript exception, as AppSync reports it (errorType `Code`). */
export class HandlerException extends Error {
  readonly errorName: string;
  readonly errorMessage: string;
  /** Position in code.js, 0:0 when no frame of the code is on the stack. */
  readonly line: number;
  readonly column: number;
  readonly original: OriginalPosition | undefined;

  constructor(errorName: string, errorMessage: string, line: number, column: number, original: OriginalPosition | undefined) {
    // docs/reference/appsync-js-runtime.md §9.4: `code.js:<line>:<col>: <JSErrorName>: <message>`. The message texts are
    // V8's, which may differ from those of AppSync's engine.
    super(`code.js:${line}:${column}: ${errorName}: ${errorMessage}`);
    this.name = 'HandlerException';
    this.errorName = errorName;
    this.errorMessage = errorMessage;
    this.line = line;
    this.column = column;
    this.original = original;
  }
}

/** The handler ran past its time limit. */
export class HandlerTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the handler did not finish within ${timeoutMs} ms, the time left of the request`);
    this.name = 'HandlerTimeoutError';
  }
}

const FRAME = /\(?code\.js:(\d+):(\d+)\)?$/m;

export interface CompiledCode {
  readonly origin: string;
  /** The deployed code (code.js). */
  readonly code: string;
  /** Names the module exports. */
  readonly exports: readonly string[];
  /**
   * Runs one exported handler with `ctx`; returns its value as JSON text ("null" for
   * undefined). Throws the control signals of util/runtime, HandlerException or
   * HandlerTimeoutError. `timeoutMs` Infinity runs with no deadline (for measuring only).
   */
  call(handler: string, ctx: unknown, timeoutMs: number): string;
  /** The original source position of a code.js position, through the inline source map. */
  originalPosition(line: number, column: number): OriginalPosition | undefined;
}

export function createCompiledCode(origin: string, code: string, module: TransformedModule): CompiledCode {
  const { context, deadline } = createSandboxContext();
  const factory = new vm.Script(module.script, { filename: 'code.js', lineOffset: -1 }).runInContext(context) as (modules: unknown, guard: () => void) => Record<string, unknown>;
  const modules = runtimeModules().byPath;
  let locate: SourceLocator | undefined;
  const originalPosition = (line: number, column: number) => (locate ??= sourceLocator(code))(line, column);
  return Object.freeze({
    origin,
    code,
    exports: Object.freeze([...module.exports.keys()]),
    originalPosition,
    // The module's functions belong to the context's realm, so they are called directly: entering
    // the context with runInContext for each call cost about 1 µs per handler and changed nothing
    // (its globals, its Function constructor's refusal to compile strings and the deadline guard
    // all come with the functions).
    call(handler: string, ctx: unknown, timeoutMs: number): string {
      deadline.deadline.at = Date.now() + timeoutMs;
      try {
        const exports = factory(modules, deadline.guard);
        const fn = exports[handler];
        if (typeof fn !== 'function') throw new TypeError(`${handler} is not a function: the module must export a function named ${handler}`);
        return JSON.stringify(fn(ctx)) ?? 'null';
      } catch (thrown) {
        if (isSignal(thrown)) throw thrown;
        if ((thrown as unknown) === deadline.timedOut) throw new HandlerTimeoutError(timeoutMs);
        throw describeException(thrown, (line, column) => ({ line, column: module.originalColumn(line, column) }), originalPosition);
      }
    },
  });
}

function describeException(
  thrown: unknown,
  inCode: (line: number, column: number) => { line: number; column: number },
  originalPosition: (line: number, column: number) => OriginalPosition | undefined,
): HandlerException {
  const error = thrown as { name?: unknown; message?: unknown; stack?: unknown } | null;
  const name = typeof error?.name === 'string' ? error.name : 'Error';
  const message = typeof error?.message === 'string' ? error.message : String(thrown);
  const frame = typeof error?.stack === 'string' ? error.stack.split('\n').map((l) => FRAME.exec(l.trim())).find(Boolean) : undefined;
  const { line, column } = frame ? inCode(Number(frame[1]), Number(frame[2])) : { line: 0, column: 0 };
  return new HandlerException(name, message, line, column, line > 0 ? originalPosition(line, column) : undefined);
}
