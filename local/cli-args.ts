import { parseArgs } from 'node:util';
import type { SeedUser } from './cognito/provision.ts';
import type { LocalRuntimeOptions } from './runtime.ts';

export const RUNTIME_USAGE = `Options:
  --assembly <dir>   a synthesized cloud assembly (cdk.out) to run; default: synthesize the CDK app of ./cdk.json
  --port <n>         port of the (first) GraphQL endpoint, plain and TLS; default: the last run's port
                     when it is free (so URLs stay the same), else a free one
  --state-dir <dir>  where data, credentials, the local CA and amplify_outputs.json live; default .local
  --tls-dir <dir>    where the local CA and certificate live; default <state-dir>/tls
  --in-memory        keep no data on disk (DynamoDB, Cognito, stream checkpoints)
  --watch            hot reload: re-synthesize and swap in each edit of the CDK app (resolvers, Lambda
                     sources, schema, stacks), or each new synthesis of --assembly; connections and
                     data stay. --no-watch turns it off where it is the default (npm start)
  --user <name>:<password>[:<group>,…]
                     a user with a permanent password (and groups) in every user pool; repeatable
  -h, --help         this text`;

export type ParsedRuntimeArgs = { help: true } | { help: false; options: LocalRuntimeOptions };

/** The command-line options every entry point of the local runtime shares. */
export function parseRuntimeArgs(args: string[]): ParsedRuntimeArgs {
  const { values } = parseArgs({
    args,
    allowNegative: true,
    options: {
      assembly: { type: 'string' },
      port: { type: 'string' },
      'state-dir': { type: 'string' },
      'tls-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      watch: { type: 'boolean' },
      user: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`--port must be a whole number from 0 to 65535; got ${values.port}`);
  }
  const users = (values.user ?? []).map(parseUser);
  return {
    help: false,
    options: {
      ...(users.length > 0 && { users }),
      ...(values.assembly !== undefined && { assemblyDir: values.assembly }),
      ...(values['state-dir'] !== undefined && { stateDir: values['state-dir'] }),
      ...(values['tls-dir'] !== undefined && { tlsDir: values['tls-dir'] }),
      persistent: !values['in-memory'],
      ...(values.watch !== undefined && { watch: values.watch }),
      ...(port !== undefined && { port }),
    },
  };
}

/** `name:password[:group,group]`; a password cannot contain `:` here. */
function parseUser(spec: string): SeedUser {
  const [username, password, groups, ...rest] = spec.split(':');
  if (!username || !password || rest.length > 0) throw new Error(`--user takes <name>:<password>[:<group>,…]; got ${spec}`);
  return { username, password, ...(groups && { groups: groups.split(',').filter(Boolean) }) };
}
