import { parseArgs } from 'node:util';
import type { LocalRuntimeOptions } from './runtime.ts';

export const RUNTIME_USAGE = `Options:
  --assembly <dir>   a synthesized cloud assembly (cdk.out) to run; default: synthesize the CDK app of ./cdk.json
  --port <n>         port of the (first) GraphQL endpoint, plain and TLS; default: a free port
  --state-dir <dir>  where data, the local CA and amplify_outputs.json live; default .local
  --in-memory        keep no data on disk (DynamoDB, Cognito, stream checkpoints)
  -h, --help         this text`;

export type ParsedRuntimeArgs = { help: true } | { help: false; options: LocalRuntimeOptions };

/** The command-line options every entry point of the local runtime shares. */
export function parseRuntimeArgs(args: string[]): ParsedRuntimeArgs {
  const { values } = parseArgs({
    args,
    options: {
      assembly: { type: 'string' },
      port: { type: 'string' },
      'state-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535; got ${values.port}`);
  }
  return {
    help: false,
    options: {
      ...(values.assembly !== undefined && { assemblyDir: values.assembly }),
      ...(values['state-dir'] !== undefined && { stateDir: values['state-dir'] }),
      persistent: !values['in-memory'],
      port,
    },
  };
}
