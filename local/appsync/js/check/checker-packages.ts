// The packages the save-time checks run on, loaded when code is first checked rather than when
// the runtime is imported: a start whose resolvers all passed before (passed-checks.ts) never
// needs them, and they were ~0.4 CPU-s of the runtime's imports. All four are CommonJS, so they
// load synchronously, as the checks run.
import { createRequire } from 'node:module';
import type * as TsParser from '@typescript-eslint/parser';
import type { ESLint, Linter } from 'eslint';
import type TypeScript from 'typescript';

const require = createRequire(import.meta.url);

export const typescript = (): typeof TypeScript => require('typescript') as typeof TypeScript;
export const typescriptEslintParser = (): typeof TsParser => require('@typescript-eslint/parser') as typeof TsParser;
export const eslintLinter = (): typeof Linter => (require('eslint') as { Linter: typeof Linter }).Linter;
export const appsyncEslintPlugin = (): ESLint.Plugin => require('@aws-appsync/eslint-plugin') as ESLint.Plugin;
