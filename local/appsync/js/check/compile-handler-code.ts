// compileHandlerCode: the checks AppSync makes when a resolver or function is saved (and
// EvaluateCode before it runs code), every problem reported at once, then the module prepared
// to run.
import * as espree from 'espree';
import type * as ESTree from 'estree';
import { sourceLocator } from '../../source-location.ts';
import { createCompiledCode, type CompiledCode } from '../sandbox/compiled-code.ts';
import { transformModule } from '../sandbox/module-transform.ts';
import { CodeRejectedError, type CodeProblem } from './code-problems.ts';
import { lintCode } from './lint.ts';
import type { PassedChecks } from './passed-checks.ts';
import { RULE_PREFIX } from './rules/index.ts';
import { createCodeProgram, syntaxDiagnostics } from './ts-program.ts';

/** Resolver, FunctionConfiguration and EvaluateCode `code`: 1 to 32768 characters (API-RES). */
export const MAX_CODE_LENGTH = 32768;
const HANDLERS = ['request', 'response'] as const;

/**
 * Checks code as AppSync does on save and prepares it to run. Throws CodeRejectedError. With
 * `passed`, code that passed these checks before is only parsed, and code that passes now is
 * remembered.
 */
export function compileHandlerCode(code: string, origin: string, passed?: PassedChecks): CompiledCode {
  if (typeof code !== 'string') throw new TypeError(`${origin}: the handler code must be a string, not ${typeof code}`);
  if (passed?.passed(code)) return createCompiledCode(origin, code, transformModule(code, parseHandlerModule(code)));
  const { problems, ast } = checkHandlerCode(code);
  if (problems.length > 0 || !ast) throw new CodeRejectedError(origin, problems);
  passed?.remember(code);
  return createCompiledCode(origin, code, transformModule(code, ast));
}

/**
 * The syntax tree of code that passed the checks before, from espree (which the checks ran it
 * through too): the same ESTree with the same ranges as the lint's parser gives, without loading
 * TypeScript (passed-checks.test.ts compares the modules made from both over this project's code).
 */
export function parseHandlerModule(code: string): ESTree.Program {
  return espree.parse(code, { ecmaVersion: 'latest', sourceType: 'module', range: true, loc: true }) as ESTree.Program;
}

/** Every save-time problem of the code, and its syntax tree when it parses. */
export function checkHandlerCode(code: string): { problems: CodeProblem[]; ast: ESTree.Program | undefined } {
  const problems: CodeProblem[] = [];
  const add = (problem: Omit<CodeProblem, 'span'> & { span?: number }) => problems.push({ span: -1, ...problem });
  if (code.length < 1 || code.length > MAX_CODE_LENGTH) {
    add({
      rule: `${RULE_PREFIX}/code-size`,
      message: `The code is ${code.length} characters long; AppSync accepts 1 to ${MAX_CODE_LENGTH}.`,
      line: 0,
      column: 0,
      errorType: 'LINT_ERROR',
    });
  }

  const { program, sourceFile } = createCodeProgram(code);
  for (const d of syntaxDiagnostics(program, sourceFile)) {
    add({ rule: 'parser', message: `Parsing error: ${d.message}`, line: d.line, column: d.column, span: d.span, errorType: 'PARSER_ERROR' });
  }
  if (problems.some((p) => p.errorType === 'PARSER_ERROR')) return { problems: located(code, problems), ast: undefined };

  // TypeScript accepts some syntax in a .js file that a JavaScript engine does not (JSX, …).
  try {
    espree.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  } catch (error) {
    const e = error as { message: string; lineNumber?: number; column?: number };
    add({ rule: 'parser', message: `Parsing error: ${e.message}`, line: e.lineNumber ?? 0, column: e.column ?? 0, errorType: 'PARSER_ERROR' });
    return { problems: located(code, problems), ast: undefined };
  }

  const { messages, ast } = lintCode(code, program);
  const reported = new Set(messages.filter((m) => m.rule === '@aws-appsync/no-function-passing').map((m) => `${m.line}:${m.column}`));
  for (const m of messages) {
    // The syntactic approximation only adds what the type-aware rule could not see.
    if (m.rule === `${RULE_PREFIX}/no-function-passing` && reported.has(`${m.line}:${m.column}`)) continue;
    add({
      rule: m.rule,
      message: m.message,
      line: m.line,
      column: m.column,
      span: m.endLine === m.line && m.endColumn !== undefined ? m.endColumn - m.column : -1,
      errorType: m.fatal ? 'PARSER_ERROR' : 'LINT_ERROR',
    });
  }
  if (ast) {
    const exported = new Set(transformModule(code, ast).exports.keys());
    for (const handler of HANDLERS) {
      if (!exported.has(handler)) {
        add({
          rule: `${RULE_PREFIX}/handler-exports`,
          message: `The code must export a function named ${handler} (export function ${handler}(ctx) { … }).`,
          line: 0,
          column: 0,
          errorType: 'LINT_ERROR',
        });
      }
    }
  }
  return { problems: located(code, problems), ast };
}

/** Adds the original source position of each problem when the code carries a source map. */
function located(code: string, problems: CodeProblem[]): CodeProblem[] {
  const locate = sourceLocator(code);
  return problems
    .map((p) => {
      const original = p.line > 0 ? locate(p.line, p.column) : undefined;
      return original ? { ...p, original } : p;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
