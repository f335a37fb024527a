// The node:vm context handler code runs in: the documented globals only (docs/reference/appsync-js-runtime.md §2.1/§2.2),
// no eval or Function constructor, and AppSync's deviations from plain JavaScript:
// - JSON.parse of invalid JSON returns "" instead of throwing (D-FEAT);
// - the string pattern of String replace/replaceAll/split is a Java regular expression (D-FEAT).
// node:vm separates globals and state; it is not a security boundary (the host functions util
// exposes are reachable from the code), nor does it need to be: the code is the project's own.
import vm from 'node:vm';
import { ALLOWED_GLOBALS } from '../check/rules/globals.ts';
import { currentInvocation } from '../invocation-state.ts';
import { runtimeModules } from '../modules/index.ts';
import { javaReplace, javaSplit } from '../util/java-regex.ts';

/**
 * Runs once in each new context, before any handler code. Returns the context's deadline
 * guard: made inside the context (with the context's own Date.now, taken before Date is
 * removed), so that handler code gets no host function through it.
 */
const SETUP = `(function (host) {
  "use strict";
  const global = globalThis;
  const now = Date.now;
  const deadline = { at: Infinity };
  const timedOut = Object.freeze({});
  let calls = 0;
  const guard = () => {
    if ((++calls & 15) === 0 && now() > deadline.at) throw timedOut;
  };
  const define = (object, name, value) => Object.defineProperty(object, name, { value, writable: true, configurable: true, enumerable: false });
  const { replace, replaceAll, split } = String.prototype;
  define(String.prototype, 'replace', function replace$(pattern, replacement) {
    return typeof pattern === 'string' ? host.replace(String(this), pattern, replacement, false) : replace.call(this, pattern, replacement);
  });
  define(String.prototype, 'replaceAll', function replaceAll$(pattern, replacement) {
    return typeof pattern === 'string' ? host.replace(String(this), pattern, replacement, true) : replaceAll.call(this, pattern, replacement);
  });
  define(String.prototype, 'split', function split$(separator, limit) {
    return typeof separator === 'string' ? host.split(String(this), separator, limit) : split.call(this, separator, limit);
  });
  const parse = JSON.parse;
  const SyntaxErrorType = SyntaxError;
  define(JSON, 'parse', function parse$(text, reviver) {
    try {
      return parse(text, reviver);
    } catch (error) {
      if (error instanceof SyntaxErrorType) return '';
      throw error;
    }
  });
  Error.stackTraceLimit = 50;
  for (const name of Object.getOwnPropertyNames(global)) {
    if (!host.allowed.includes(name)) delete global[name];
  }
  for (const name of ['console', 'util', 'extensions', 'runtime']) {
    Object.defineProperty(global, name, { value: host.globals[name], writable: false, configurable: false, enumerable: false });
  }
  return { guard, deadline, timedOut };
})`;

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return '[Function]';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * console.log / console.error lines go to the handler's logs (EvaluateCode's `logs`). The line
 * format is UNVERIFIED: the arguments, strings as they are and other values as JSON, joined by
 * spaces; console.error lines start with `ERROR `.
 */
const consoleObject = Object.freeze({
  log: (...values: unknown[]) => void currentInvocation('console.log').logs.push(values.map(format).join(' ')),
  error: (...values: unknown[]) => void currentInvocation('console.error').logs.push(`ERROR ${values.map(format).join(' ')}`),
});

const setupScript = new vm.Script(SETUP, { filename: 'appsync-runtime-setup.js' });

/**
 * A context's deadline guard: handler code calls `guard` at the top of every loop and function
 * body (module-transform.ts); past `deadline.at` (epoch ms) it throws `timedOut`.
 */
export interface DeadlineGuard {
  guard: () => void;
  deadline: { at: number };
  timedOut: object;
}

export interface SandboxContext {
  context: vm.Context;
  deadline: DeadlineGuard;
}

export function createSandboxContext(): SandboxContext {
  const context = vm.createContext({}, { name: 'APPSYNC_JS', codeGeneration: { strings: false, wasm: false } });
  const modules = runtimeModules();
  const setup = setupScript.runInContext(context) as (host: unknown) => DeadlineGuard;
  const deadline = setup(
    Object.freeze({
      replace: javaReplace,
      split: javaSplit,
      allowed: Object.freeze([...ALLOWED_GLOBALS]),
      globals: Object.freeze({ console: consoleObject, util: modules.util, extensions: modules.extensions, runtime: modules.runtime }),
    }),
  );
  return { context, deadline };
}
