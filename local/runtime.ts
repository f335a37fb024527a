import { randomBytes, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readCloudAssembly } from './assembly/cloud-assembly.ts';
import { buildAppModel, type AppModel, type GraphqlApiModel, type LocalEnvironment } from './assembly/model.ts';
import { synthesize } from './assembly/synth.ts';
import { amplifyOutputs } from './amplify-outputs.ts';
import { callerOf, createAuthenticator } from './appsync/auth/authenticate.ts';
import { createFieldAccess, type Caller } from './appsync/auth/field-access.ts';
import { compileResolvers } from './appsync/compile-resolvers.ts';
import { createDataSourceInvoker, SUPPORTED_DATA_SOURCE_TYPES } from './appsync/data-source-invoker.ts';
import { buildAppSyncSchema } from './appsync/graphql/appsync-schema.ts';
import { createExecutor } from './appsync/graphql/execute.ts';
import { createGraphqlHttpHandler } from './appsync/http-handler.ts';
import { createRealtimeEndpoint, type RealtimeEndpoint, type RealtimeOptions } from './appsync/realtime/index.ts';
import { createSubscriptionStarter } from './appsync/subscription-starter.ts';
import { cognitoClient, provisionUserPools, seedUsers, type SeedUser } from './cognito/provision.ts';
import { startCognitoLocal, type CognitoLocal } from './cognito/server.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb/server.ts';
import { ensureTables } from './dynamodb/tables.ts';
import { ensureLocalCredentials, type LocalCredential } from './iam/credentials.ts';
import { listenDualProtocol, type DualProtocolServer } from './http/dual-protocol-server.ts';
import { ensureLocalTls } from './tls/local-ca.ts';

export interface LocalRuntimeOptions {
  /** A synthesized cloud assembly to run; without it the CDK app in `projectDir` is synthesized. */
  assemblyDir?: string;
  /** Folder with cdk.json; default the current folder. */
  projectDir?: string;
  /** Where state lives: DynamoDB data (when persistent), the local CA, outputs. Default `.local`. */
  stateDir?: string;
  /** Where the local CA and certificate live; default `<stateDir>/tls`. */
  tlsDir?: string;
  /** Keep DynamoDB data on disk under the state folder (`npm start`); tests run in memory. */
  persistent?: boolean;
  /** Port of the first API's endpoint; 0 (the default) picks a free one. */
  port?: number;
  region?: string;
  accountId?: string;
  realtime?: RealtimeOptions;
  /** Users created (with permanent passwords and groups) in every user pool of the assembly. */
  users?: SeedUser[];
  log?: (line: string) => void;
}

export interface RunningApi {
  model: GraphqlApiModel;
  port: number;
  graphqlUrl: string;
  realtimeUrl: string;
  realtime: RealtimeEndpoint;
  outputs: Record<string, unknown>;
}

export interface LocalRuntime {
  model: AppModel;
  apis: RunningApi[];
  /** The users seeded into every user pool. */
  users: SeedUser[];
  /** One local access key per IAM role of the template. */
  credentials: LocalCredential[];
  dynamodbEndpoint: string;
  /** The local Cognito user-pools endpoint, when the assembly has user pools. */
  cognitoEndpoint?: string;
  region: string;
  caCertPath: string;
  /** The outputs file of the first API. */
  outputsPath: string;
  stop(): Promise<void>;
}

interface LateHandlers {
  request?: (req: IncomingMessage, res: ServerResponse) => void;
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * Runs a CDK cloud assembly on this machine: DynamoDB Local with the template's tables,
 * and an AppSync endpoint (HTTP + real-time, plain and TLS on one port) per GraphQL API.
 * Knows nothing of any particular app: everything comes from the assembly.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const stateDir = resolve(options.stateDir ?? '.local');
  mkdirSync(stateDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: Error) => log(`stopping: ${error.message}`));
  };

  try {
    const assemblyDir = options.assemblyDir
      ? resolve(options.assemblyDir)
      : await synthesize({ projectDir: options.projectDir ?? process.cwd(), outDir: join(stateDir, 'cdk.out'), log });
    const assembly = readCloudAssembly(assemblyDir);
    log(`cloud assembly ${assemblyDir}: stacks ${assembly.stacks.map((s) => s.stackName).join(', ')}`);

    const tls = ensureLocalTls(options.tlsDir ?? join(stateDir, 'tls'), log);
    const apiCount = assembly.stacks.reduce((n, s) => n + Object.values(s.template.Resources).filter((r) => r.Type === 'AWS::AppSync::GraphQLApi').length, 0);

    // Ports first: the API URLs are attributes that templates refer to.
    const servers: { server: DualProtocolServer; handlers: LateHandlers }[] = [];
    for (let i = 0; i < apiCount; i++) {
      const handlers: LateHandlers = {};
      const server = await listenDualProtocol({
        port: i === 0 ? (options.port ?? 0) : 0,
        tls,
        onRequest: (req, res) => (handlers.request ? handlers.request(req, res) : res.writeHead(503).end('starting')),
        onUpgrade: (req, socket, head) => (handlers.upgrade ? handlers.upgrade(req, socket, head) : socket.destroy()),
      });
      cleanups.push(() => server.close());
      servers.push({ server, handlers });
    }

    const secretSeed = loadSecretSeed(stateDir, options.persistent ?? false);
    const environmentFor = (port: number, cognito?: LocalEnvironment['cognito']): LocalEnvironment => ({
      region,
      accountId,
      appsyncBaseUrl: `http://localhost:${port}`,
      secretSeed,
      ...(cognito && { cognito }),
    });
    let model = buildAppModel(assembly, environmentFor(servers[0]?.server.port ?? 0));
    if (model.inert.length > 0) log(`not emulated (no local behaviour): ${model.inert.map((r) => `${r.logicalId} (${r.type})`).join(', ')}`);

    // User pools get their ids from the local Cognito, so the model is rebuilt with them.
    let cognito: { service: CognitoLocal; environment: NonNullable<LocalEnvironment['cognito']> } | undefined;
    if (model.userPools.length > 0) {
      const service = await startCognitoLocal({ dir: options.persistent ? join(stateDir, 'cognito') : mkdtempSync(join(tmpdir(), 'cognito-local-')), log });
      cleanups.push(() => service.stop());
      const client = cognitoClient(service.endpoint, region);
      cleanups.push(async () => client.destroy());
      const ids = await provisionUserPools(client, model.userPools, log);
      cognito = { service, environment: { issuerBase: service.issuerBase, ...ids } };
      model = buildAppModel(assembly, environmentFor(servers[0]!.server.port, cognito.environment));
      for (const pool of model.userPools) await seedUsers(client, pool.userPoolId, options.users ?? [], log);
    }
    // Each API's URL depends on its port.
    const apiModels = model.apis.map((api, i) => (i === 0 ? api : buildAppModel(assembly, environmentFor(servers[i]!.server.port, cognito?.environment)).apis[i]!));

    const credentials = ensureLocalCredentials(stateDir, model.roles, options.persistent ?? false);

    const dynamo: DynamoDbLocal = await startDynamoDbLocal({
      port: 0,
      log,
      ...(options.persistent && { dataDir: join(stateDir, 'dynamodb') }),
    });
    cleanups.push(() => dynamo.stop());
    const dynamodb = new DynamoDBClient({ endpoint: dynamo.endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    cleanups.push(async () => dynamodb.destroy());
    await ensureTables(dynamodb, model.tables, log);

    const apis: RunningApi[] = [];
    for (const [i, api] of apiModels.entries()) {
      const { server, handlers } = servers[i]!;
      const schema = buildAppSyncSchema(api.schema, `${api.stackName}/${api.logicalId}`);
      const resolvers = compileResolvers(api, schema);
      warnUnsupportedDataSources(api, log);
      const invoke = createDataSourceInvoker(api, dynamodb);
      const mayResolve = createFieldAccess(schema, api.defaultAuth.type, `arn:aws:appsync:${region}:${accountId}:apis/${api.apiId}`);
      const userPool = await userPoolRules(api, cognito?.service);
      const authenticate = createAuthenticator({ api, accountId, region, credentials, roles: model.roles, ...(userPool && { userPool }), log });
      const startSubscription = createSubscriptionStarter({ schema, resolvers, invoke, mayResolve, environmentVariables: api.environmentVariables });
      const graphqlPath = new URL(api.graphqlUrl).pathname;
      // The real-time protocol carries auth in header objects; IAM signs a POST to the GraphQL
      // URL + /connect (handshake, body {}) or to the GraphQL URL (start, body = payload.data).
      const authorizeRealtime = (headers: Record<string, unknown>, sourceIp: string, path: string, body: string) => {
        const auth = authenticate({ headers: lowerCaseKeys(headers), sourceIp: [sourceIp], signed: { method: 'POST', path, query: '', body } });
        return auth.ok ? { ok: true as const, authType: auth.authType, identity: callerOf(auth) } : auth;
      };
      const realtime = createRealtimeEndpoint(
        {
          schema,
          authorizeConnection: async (headers, request) => authorizeRealtime(headers, request.sourceIp, `${graphqlPath}/connect`, '{}'),
          authorizeStart: async (headers, data, request) => authorizeRealtime(headers, request.sourceIp, graphqlPath, data),
          startSubscription: (start) => startSubscription({ ...start, caller: start.identity as Caller }),
          log: (event, detail) => log(`realtime ${event} ${JSON.stringify(detail)}`),
        },
        options.realtime,
      );
      cleanups.push(() => realtime.close());
      const execute = createExecutor({
        schema,
        resolvers,
        invoke,
        mayResolve,
        environmentVariables: api.environmentVariables,
        onMutationField: (fieldName, value) => realtime.publish(fieldName, value),
        log,
      });
      const graphql = createGraphqlHttpHandler(authenticate, execute);
      handlers.request = (req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/graphql') {
          graphql(req, res).catch((error: Error) => {
            log(`POST /graphql failed: ${error.stack ?? error.message}`);
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ errors: [{ errorType: 'InternalFailure', message: error.message }] }));
          });
        } else {
          res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found. GraphQL: POST ${api.graphqlUrl}; real-time: ${api.realtimeUrl}\n`);
        }
      };
      handlers.upgrade = (req, socket, head) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/graphql/realtime' || path === '/graphql') realtime.handleUpgrade(req, socket, head);
        else socket.destroy();
      };
      const outputs = amplifyOutputs(api, region, model.userPools, cognito?.service.endpoint);
      apis.push({ model: api, port: server.port, graphqlUrl: api.graphqlUrl, realtimeUrl: api.realtimeUrl, realtime, outputs });
      log(`AppSync API ${api.name}: ${api.graphqlUrl} (real-time ${api.realtimeUrl}), ${resolvers.size} resolvers`);
    }

    // What a developer needs to sign in, in one place.
    writeFileSync(
      join(stateDir, 'credentials.json'),
      `${JSON.stringify(
        {
          users: (options.users ?? []).map(({ username, password, groups }) => ({ username, password, groups: groups ?? [] })),
          iam: credentials.map(({ name, accessKeyId, secretAccessKey, roleArn }) => ({ name, accessKeyId, secretAccessKey, role: roleArn })),
        },
        null,
        2,
      )}\n`,
      { mode: 0o600 },
    );
    const outputsPath = join(stateDir, 'amplify_outputs.json');
    if (apis[0]) writeFileSync(outputsPath, `${JSON.stringify(apis[0].outputs, null, 2)}\n`);
    return { model, apis, users: options.users ?? [], credentials, dynamodbEndpoint: dynamo.endpoint, ...(cognito && { cognitoEndpoint: cognito.service.endpoint }), region, caCertPath: tls.caCertPath, outputsPath, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The issuer and signing keys that tokens of the API's user pool must carry. */
async function userPoolRules(api: GraphqlApiModel, cognito: CognitoLocal | undefined) {
  const provider = [api.defaultAuth, ...api.additionalAuth].find((p) => p.type === 'AMAZON_COGNITO_USER_POOLS')?.userPool;
  if (!provider || !cognito) return undefined;
  const issuer = `${cognito.issuerBase}/${provider.userPoolId}`;
  const response = await fetch(`${issuer}/.well-known/jwks.json`);
  if (!response.ok) throw new Error(`cannot read the JWKS of user pool ${provider.userPoolId} from ${issuer}: HTTP ${response.status}`);
  const { keys } = (await response.json()) as { keys: JsonWebKey[] };
  return {
    issuer,
    jwks: keys,
    ...(provider.appIdClientRegex !== undefined && { appIdClientRegex: provider.appIdClientRegex }),
    defaultAction: provider.defaultAction ?? 'ALLOW',
  };
}

/** API key values derive from this seed, so they survive restarts of a persistent runtime. */
function loadSecretSeed(stateDir: string, persistent: boolean): string {
  if (!persistent) return randomBytes(16).toString('hex');
  const file = join(stateDir, 'secret-seed');
  if (!existsSync(file)) writeFileSync(file, randomBytes(16).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function warnUnsupportedDataSources(api: GraphqlApiModel, log: (line: string) => void): void {
  for (const ds of api.dataSources.values()) {
    if (!SUPPORTED_DATA_SOURCE_TYPES.has(ds.type)) log(`warning: data source ${ds.name} (${ds.type}) is not run locally yet; resolvers using it return an error`);
  }
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
