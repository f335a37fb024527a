import { existsSync, readFileSync } from 'node:fs';
import { createAppSyncClient, type AppSyncClient } from '../../sdk/appsync-client.ts';

/** `.local/credentials.json`, written by `npm start`. */
export interface LocalCredentialsFile {
  users: { username: string; password: string; groups: string[] }[];
  iam: { name: string; accessKeyId: string; secretAccessKey: string; role: string }[];
}

export interface ConnectionOptions {
  /** Default `.local/credentials.json`. */
  credentialsPath?: string;
  /** Default `.local/amplify_outputs.json`: the GraphQL URL and region, unless given. */
  outputsPath?: string;
  endpoint?: string;
  region?: string;
  /** The IAM credential's name, a role's logical id or its prefix (`PartnerFeedRole`). */
  role: string;
}

export interface LocalConnection {
  client: AppSyncClient;
  endpoint: string;
  region: string;
  /** The matched credential's full name, e.g. `PartnerFeedRole1A2B3C4D`. */
  roleName: string;
}

function readJson<T>(path: string, what: string, howToGetIt: string): T {
  if (!existsSync(path)) throw new Error(`${what} ${path} does not exist: ${howToGetIt}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new Error(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** An IAM-signed AppSync client with a role's local access key, for the local runtime started by `npm start`. */
export function connectAsRole(options: ConnectionOptions): LocalConnection {
  const credentialsPath = options.credentialsPath ?? '.local/credentials.json';
  const file = readJson<LocalCredentialsFile>(credentialsPath, 'the credentials file', 'start the local runtime with `npm start` (it writes it), or pass --credentials <path>');
  if (!Array.isArray(file.iam)) throw new Error(`the credentials file ${credentialsPath} has no "iam" list of { name, accessKeyId, secretAccessKey, role }`);
  const credential = file.iam.find((c) => c.name === options.role) ?? file.iam.find((c) => c.name.startsWith(options.role));
  if (!credential) {
    throw new Error(`no IAM credential named ${options.role}… in ${credentialsPath}; it has ${file.iam.map((c) => c.name).join(', ') || 'none'} (pass --role <name>)`);
  }
  let { endpoint, region } = options;
  if (!endpoint || !region) {
    const outputsPath = options.outputsPath ?? '.local/amplify_outputs.json';
    const outputs = readJson<{ data?: { url?: string; aws_region?: string } }>(outputsPath, 'the Amplify outputs file', 'start the local runtime with `npm start`, or pass --endpoint <url> and --region <region>');
    endpoint ??= outputs.data?.url;
    region ??= outputs.data?.aws_region;
    if (!endpoint || !region) throw new Error(`the Amplify outputs file ${outputsPath} has no data.url or data.aws_region; pass --endpoint <url> and --region <region>`);
  }
  const client = createAppSyncClient({ endpoint, region, auth: { type: 'AWS_IAM', credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey } } });
  return { client, endpoint, region, roleName: credential.name };
}

/** The options every CLI shares, for node:util parseArgs. */
export const CONNECTION_ARGS = {
  credentials: { type: 'string' },
  outputs: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const CONNECTION_USAGE = `  --credentials <path>  IAM keys (default .local/credentials.json, written by npm start)
  --outputs <path>      endpoint and region (default .local/amplify_outputs.json)
  --endpoint <url>      GraphQL URL (instead of --outputs)
  --region <region>     signing region (instead of --outputs)
  --role <name>         IAM credential to sign with (default PartnerFeedRole)`;

/** The parsed CONNECTION_ARGS, as a connection (signing as the partner role unless --role says otherwise). */
export function connectFromArgs(values: { credentials?: string; outputs?: string; endpoint?: string; region?: string; role?: string }): LocalConnection {
  return connectAsRole({
    ...(values.credentials !== undefined && { credentialsPath: values.credentials }),
    ...(values.outputs !== undefined && { outputsPath: values.outputs }),
    ...(values.endpoint !== undefined && { endpoint: values.endpoint }),
    ...(values.region !== undefined && { region: values.region }),
    role: values.role ?? 'PartnerFeedRole',
  });
}
