// The package's public API (`import … from 'appsync-local-runtime'`). Everything else in this
// folder is internal and may change between versions.
export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions, type RealtimeTuning, type RunningApi } from './runtime.ts';
export { parseRuntimeArgs, RUNTIME_USAGE, type ParsedRuntimeArgs } from './cli-args.ts';
export { runtimeSummary } from './summary.ts';
export { functionLogTo } from './function-log.ts';
export { onShutdown } from './shutdown.ts';
export { synthesize, type SynthOptions } from './assembly/synth.ts';
export { listFailures, readFailures } from './event-sources/index.ts';
export { CodeRejectedError, evaluateCode, type CodeProblem, type EvaluateCodeRequest, type EvaluateCodeResponse } from './appsync/js/index.ts';
export type { SeedUser } from './cognito/provision.ts';
export type { LocalCredential } from './iam/credentials.ts';
export { trustStatus } from './tls/trust-ca.ts';
