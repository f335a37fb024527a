// Save-time problems, in the shape of EvaluateCode's codeErrors (API-EVAL, docs/reference/appsync-js-runtime.md §2.3).
import type { OriginalPosition } from '../../source-location.ts';

/** A save-time problem, in the shape of EvaluateCode's codeErrors. */
export interface CodeProblem {
  /** `@aws-appsync/<rule>` for the plugin's rules, `appsync-js/<rule>` for the runtime's own. */
  rule: string;
  message: string;
  /** Position in the deployed code (code.js); 1-based; 0 when the problem has no position. */
  line: number;
  column: number;
  errorType: 'LINT_ERROR' | 'PARSER_ERROR';
  /** Length of the flagged text on its line; -1 when unknown (EvaluateCode's `span`). */
  span: number;
  /** The position in the original source, when the code carries an inline source map. */
  original?: OriginalPosition;
}

export class CodeRejectedError extends Error {
  readonly origin: string;
  readonly problems: CodeProblem[];

  constructor(origin: string, problems: CodeProblem[]) {
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    super(`${origin}: AppSync would refuse this code (${count}):\n  ${problems.map(formatProblem).join('\n  ')}`);
    this.name = 'CodeRejectedError';
    this.origin = origin;
    this.problems = problems;
  }
}

/** `src/x.ts:4:3 (code.js:10:5) rule: message`, the original position first when there is one. */
export function formatProblem(problem: CodeProblem): string {
  const deployed = `code.js:${problem.line}:${problem.column}`;
  const where = problem.original ? `${problem.original.source}:${problem.original.line}:${problem.original.column} (${deployed})` : deployed;
  return `${where} ${problem.rule}: ${problem.message}`;
}
