// Runs @aws-appsync/eslint-plugin@2.0.2's own rules — all of them, the type-aware
// "recommended" ones included, fed a TypeScript program built over the deployed code — and the
// runtime's additional rules, through ESLint's Linter, so that the plugin and this check can
// never disagree about what the plugin reports.
import type { Linter } from 'eslint';
import type * as ESTree from 'estree';
import type ts from 'typescript';
import { appsyncEslintPlugin, eslintLinter, typescriptEslintParser } from './checker-packages.ts';
import { runtimeRules, RULE_PREFIX } from './rules/index.ts';
import { CODE_FILE } from './ts-program.ts';

export interface LintMessage {
  rule: string;
  message: string;
  line: number;
  column: number;
  endLine: number | undefined;
  endColumn: number | undefined;
  fatal: boolean;
}

let linter: Linter | undefined;

export function lintCode(code: string, program: ts.Program): { messages: LintMessage[]; ast: ESTree.Program | undefined } {
  linter ??= new (eslintLinter())({ configType: 'flat', cwd: '/appsync' });
  const appsync = appsyncEslintPlugin();
  // Every rule of the plugin: `recommended` turns them all on, at severity 2 (docs/reference/appsync-js-runtime.md §2.4).
  const rules: Linter.RulesRecord = Object.fromEntries([
    ...Object.keys(appsync.rules ?? {}).map((rule) => [`@aws-appsync/${rule}`, 'error'] as const),
    ...Object.keys(runtimeRules.rules!).map((rule) => [`${RULE_PREFIX}/${rule}`, 'error'] as const),
  ]);
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.js'],
        plugins: { '@aws-appsync': appsync, [RULE_PREFIX]: runtimeRules },
        languageOptions: {
          parser: typescriptEslintParser(),
          sourceType: 'module',
          ecmaVersion: 'latest',
          parserOptions: { programs: [program] },
        },
        // AppSync does not honour eslint-disable comments in the code it is given.
        linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
        rules,
      },
    ],
    { filename: CODE_FILE },
  );
  const fatal = messages.some((m) => m.fatal);
  return {
    // Warnings are ESLint's own notes (e.g. an eslint-disable comment that has no effect).
    messages: messages.filter((m) => m.fatal || m.severity === 2).map((m) => ({
      rule: m.ruleId ?? 'parser',
      message: m.message,
      line: m.line,
      column: m.column,
      endLine: m.endLine,
      endColumn: m.endColumn,
      fatal: !!m.fatal,
    })),
    ast: fatal ? undefined : (linter.getSourceCode()?.ast as ESTree.Program | undefined),
  };
}
