// appsync/js/ — the APPSYNC_JS runtime: save-time checks, util/extensions/runtime, the
// @aws-appsync/utils modules, unit, pipeline and direct Lambda resolvers, and EvaluateCode.
export { CodeRejectedError, formatProblem, type CodeProblem } from './check/code-problems.ts';
export { checkHandlerCode, compileHandlerCode, MAX_CODE_LENGTH } from './check/compile-handler-code.ts';
export { passedChecksIn, type PassedChecks } from './check/passed-checks.ts';
export { runResolver } from './execute/run-resolver.ts';
export {
  evaluateCode,
  evaluateHandler,
  type EvaluateCodeError,
  type EvaluateCodeRequest,
  type EvaluateCodeResponse,
  type EvaluatedHandler,
} from './evaluate/evaluate-code.ts';
export type {
  AppSyncFieldError,
  AuthType,
  CompiledCode,
  DataSourceCall,
  DataSourceInvoker,
  DataSourceOutcome,
  OperationKind,
  PipelineFunctionDefinition,
  ResolverDefinition,
  ResolverExtensions,
  ResolverInfo,
  ResolverInvocation,
  ResolverOutcome,
} from './types.ts';
