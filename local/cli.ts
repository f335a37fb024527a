import { parseRuntimeArgs, RUNTIME_USAGE } from './cli-args.ts';
import { startLocalRuntime, type LocalRuntime } from './runtime.ts';
import { onShutdown } from './shutdown.ts';
import { runtimeSummary } from './summary.ts';

let parsed;
try {
  parsed = parseRuntimeArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (parsed.help) {
  console.log(`Runs a synthesized AWS CDK cloud assembly locally: DynamoDB Local and AppSync endpoints.\n\nUsage: node local/cli.ts [options]\n\n${RUNTIME_USAGE}`);
  process.exit(0);
}

let runtime: LocalRuntime | undefined;
onShutdown(async () => runtime?.stop());
try {
  runtime = await startLocalRuntime({ ...parsed.options, log: (line) => console.log(`[local] ${line}`) });
  console.log(`\n${runtimeSummary(runtime)}\n\nready — Ctrl-C stops everything`);
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  process.exit(1);
}
