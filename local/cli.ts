import { parseArgs } from 'node:util';
import { startLocalRuntime, type LocalRuntime } from './runtime.ts';
import { runtimeSummary } from './summary.ts';
import { onShutdown } from './shutdown.ts';

const USAGE = `Runs a synthesized AWS CDK cloud assembly locally: DynamoDB Local and an AppSync endpoint.

Usage: node local/cli.ts [--assembly <cdk.out folder>] [--port <n>] [--state-dir <dir>] [--in-memory]

  --assembly   a cloud assembly to run; default: synthesize the CDK app of cdk.json here
  --port       port of the (first) GraphQL endpoint, plain and TLS; default: a free port
  --state-dir  where data, the local CA and amplify_outputs.json live; default .local
  --in-memory  keep no DynamoDB data on disk`;

const { values } = parseArgs({
  options: {
    assembly: { type: 'string' },
    port: { type: 'string' },
    'state-dir': { type: 'string' },
    'in-memory': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535; got ${values.port}`);
  process.exit(2);
}

let runtime: LocalRuntime | undefined;
onShutdown(async () => runtime?.stop());
try {
  runtime = await startLocalRuntime({
    ...(values.assembly !== undefined && { assemblyDir: values.assembly }),
    ...(values['state-dir'] !== undefined && { stateDir: values['state-dir'] }),
    persistent: !values['in-memory'],
    port,
    log: (line) => console.log(`[local] ${line}`),
  });
  console.log(`\n${runtimeSummary(runtime)}\n\nready — Ctrl-C stops everything`);
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  await runtime?.stop();
  process.exit(1);
}
