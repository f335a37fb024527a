// The runtime's own save-time rules, as an ESLint plugin that runs next to @aws-appsync's.
import type { ESLint } from 'eslint';
import { noFunctionPassing } from './function-passing.ts';
import { noConversionCalls, supportedGlobals } from './globals.ts';
import { allowedImports, knownMembers } from './modules.ts';
import { noAccessors, noArguments, noCatchFinally, noClassExpressions, noGeneratorExpressions, noNew, noThrow } from './unsupported-syntax.ts';

export const RULE_PREFIX = 'appsync-js';

export const runtimeRules: ESLint.Plugin = {
  rules: {
    'no-throw': noThrow,
    'no-catch-finally': noCatchFinally,
    'no-class-expressions': noClassExpressions,
    'no-generator-expressions': noGeneratorExpressions,
    'no-new': noNew,
    'no-arguments': noArguments,
    'no-accessors': noAccessors,
    'supported-globals': supportedGlobals,
    'no-conversion-calls': noConversionCalls,
    'allowed-imports': allowedImports,
    'known-members': knownMembers,
    'no-function-passing': noFunctionPassing,
  },
};
