import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isolatePackageScope, outsideAnyPackage } from './package-scope.ts';

/** A user handler as the Node.js runtime calls it. */
export type UserHandler = (event: unknown, context: object, callback?: (error?: unknown, result?: unknown) => void) => unknown;

/** An error the runtime raises itself, named as Lambda names it (`Runtime.*`). */
export class RuntimeError extends Error {
  constructor(type: string, message: string, cause?: Error) {
    super(message);
    this.name = `Runtime.${type}`;
    if (cause?.stack) this.stack = cause.stack;
  }
}

// The exact text Lambda's runtime gives when a nodejs24.x (or later) function has a callback handler.
const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/**
 * Finds and loads the handler as Lambda's Node.js runtime does: `dir/file.export.nested` →
 * `<codeDir>/dir/file` with no extension, then `.js`, `.mjs`, `.cjs` (ESM or CommonJS by Node's
 * own rules), else a module resolvable from the code folder; the export by dotted path, then
 * under `default`.
 */
export async function loadHandler(codeDir: string, handlerString: string, runtime: string): Promise<UserHandler> {
  if (handlerString.includes('..')) {
    throw new RuntimeError('MalformedHandlerName', `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const file = basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.length - file.length).replace(/\/$/, '');
  const match = /^([^.]*)\.(.*)$/.exec(file);
  if (!match) throw new RuntimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName, exportPath] = match as unknown as [string, string, string];

  const module = await loadModule(codeDir, moduleRoot, moduleName);
  const handler = findExport(module, exportPath) ?? findExport((module as { default?: unknown } | null)?.default, exportPath);
  if (handler === undefined || handler === null) throw new RuntimeError('HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new RuntimeError('HandlerNotFound', `${handlerString} is not a function`);
  if (!supportsCallbacks(runtime) && handler.length >= 3) throw new RuntimeError('CallbackHandlerDeprecated', CALLBACK_REMOVED);
  return handler as UserHandler;
}

/** Callback handlers (three parameters) exist up to nodejs22.x. */
export function supportsCallbacks(runtime: string): boolean {
  const version = Number(/^nodejs(\d+)/.exec(runtime)?.[1] ?? 0);
  return version < 24;
}

async function loadModule(codeDir: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  const base = resolve(codeDir, moduleRoot, moduleName);
  const require = createRequire(join(codeDir, 'index.js'));
  isolatePackageScope(codeDir);
  try {
    for (const extension of ['', '.js', '.mjs', '.cjs']) {
      const file = base + extension;
      if (isFile(file)) return outsideAnyPackage(file, codeDir + sep) ? await requireOrImport(require, file) : await import(pathToFileURL(file).href);
    }
    return require(require.resolve(moduleName, { paths: [codeDir, join(codeDir, moduleRoot)] }));
  } catch (error) {
    if (error instanceof SyntaxError) throw new RuntimeError('UserCodeSyntaxError', String(error), error);
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw new RuntimeError('ImportModuleError', String(error));
    throw error;
  }
}

/**
 * A `.js` file outside any package.json of the code folder goes through require, where the
 * package scope is isolated; ESM that require cannot load synchronously (top-level await) is
 * imported instead, which for ESM gives the same module.
 */
async function requireOrImport(require: NodeJS.Require, file: string): Promise<unknown> {
  try {
    return require(file);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_REQUIRE_ASYNC_MODULE') return import(pathToFileURL(file).href);
    throw error;
  }
}

function findExport(module: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((nested, key) => (nested !== null && (typeof nested === 'object' || typeof nested === 'function') ? (nested as Record<string, unknown>)[key] : undefined), module);
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
