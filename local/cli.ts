import { join } from 'node:path';
import { listFailures } from './event-sources/index.ts';
import { functionLogTo } from './function-log.ts';
import { parseRuntimeArgs, RUNTIME_USAGE } from './cli-args.ts';
import { startLocalRuntime, type LocalRuntime } from './runtime.ts';
import { onShutdown } from './shutdown.ts';
import { runtimeSummary } from './summary.ts';

const USAGE = `Runs a synthesized AWS CDK cloud assembly locally: DynamoDB Local, the local Cognito, Lambda
functions with their stream event sources, and AppSync endpoints.

Usage: appsync-local [options]                       in a CDK app's folder (cdk.json), or with --assembly
       appsync-local failures [--state-dir <dir>]   records that stream event sources gave up on
       appsync-local --version

${RUNTIME_USAGE}`;

const [command, ...rest] = process.argv.slice(2);
if (command === 'failures') {
  const stateIndex = rest.indexOf('--state-dir');
  console.log(listFailures(stateIndex >= 0 && rest[stateIndex + 1] ? rest[stateIndex + 1]! : '.local'));
  process.exit(0);
}

let parsed;
try {
  parsed = parseRuntimeArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}

let runtime: LocalRuntime | undefined;
onShutdown(async () => runtime?.stop());
try {
  const log = (line: string) => console.log(`[local] ${line}`);
  const functionLogFile = join(parsed.options.stateDir ?? '.local', 'logs', 'functions.log');
  runtime = await startLocalRuntime({ ...parsed.options, log, functionLog: functionLogTo(functionLogFile, log) });
  console.log(`\n${runtimeSummary(runtime)}\nfunction logs    ${functionLogFile}\n\nready — Ctrl-C stops everything`);
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  process.exit(1);
}
