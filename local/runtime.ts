import { randomBytes, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { amplifyOutputs } from './amplify-outputs.ts';
import { readCloudAssembly } from './assembly/cloud-assembly.ts';
import { buildAppModel, type AppModel, type GraphqlApiModel, type LocalEnvironment } from './assembly/model.ts';
import { synthesize } from './assembly/synth.ts';
import { createAuthenticator, type Authenticator } from './appsync/auth/authenticate.ts';
import { createFieldAccess } from './appsync/auth/field-access.ts';
import type { Jwks } from './appsync/auth/jwt.ts';
import { createLambdaAuthorizer } from './appsync/auth/lambda-authorizer.ts';
import { compileResolvers } from './appsync/compile-resolvers.ts';
import { createDataSourceInvoker } from './appsync/datasources/index.ts';
import { buildAppSyncSchema } from './appsync/graphql/appsync-schema.ts';
import { createExecutor } from './appsync/graphql/execute.ts';
import { createGraphqlHttpHandler } from './appsync/http-handler.ts';
import { createRealtimeServer } from './appsync/realtime/index.ts';
import type { RealtimeServer } from './appsync/realtime/types.ts';
import { cognitoClient, provisionUserPools, seedUsers, type SeedUser } from './cognito/provision.ts';
import { startCognitoLocal, type CognitoLocal } from './cognito/server.ts';
import { startDynamoDbLocal } from './dynamodb/server.ts';
import { ensureTables } from './dynamodb/tables.ts';
import { startTtlExpiry } from './dynamodb/ttl.ts';
import { startEventSourceMappings } from './event-sources/index.ts';
import { listenDualProtocol, type DualProtocolServer } from './http/dual-protocol-server.ts';
import { createStaticFiles } from './http/static-files.ts';
import { ensureLocalCredentials, type LocalCredential } from './iam/credentials.ts';
import { startLambdaService, type LambdaService } from './lambda/index.ts';
import { startSchedules } from './schedules/index.ts';
import { ensureLocalTls } from './tls/local-ca.ts';

export interface LocalRuntimeOptions {
  /** A synthesized cloud assembly to run; without it the CDK app in `projectDir` is synthesized. */
  assemblyDir?: string;
  /** Folder with cdk.json; default the current folder. */
  projectDir?: string;
  /** Where state lives: data (when persistent), the local CA, credentials, outputs. Default `.local`. */
  stateDir?: string;
  /** Where the local CA and certificate live; default `<stateDir>/tls`. */
  tlsDir?: string;
  /** Keep data (DynamoDB, Cognito, stream checkpoints) on disk under the state folder; tests run in memory. */
  persistent?: boolean;
  /** Port of the first API's endpoint; 0 picks a free one. Default: the last run's port when persistent and free, else 0. */
  port?: number;
  region?: string;
  accountId?: string;
  /** Real-time limits and timers, e.g. a short keep-alive or lifetime in tests. */
  realtime?: RealtimeTuning;
  /** A folder of static files (a web client) served at `/` on the first API's port. */
  webRoot?: string;
  /** Users created (with permanent passwords and groups) in every user pool of the assembly. */
  users?: SeedUser[];
  log?: (line: string) => void;
  /** What functions print and their START/END/REPORT lines; default `log`. */
  functionLog?: (line: string) => void;
}

export interface RealtimeTuning {
  keepAliveMs?: number;
  connectionTimeoutMs?: number;
  maxConnectionLifetimeMs?: number;
  maxSubscriptionsPerConnection?: number;
  maxPayloadBytes?: number;
}

export interface RunningApi {
  model: GraphqlApiModel;
  port: number;
  graphqlUrl: string;
  realtimeUrl: string;
  realtime: RealtimeServer;
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
  lambda: LambdaService;
  region: string;
  stateDir: string;
  caCertPath: string;
  /** The outputs file of the first API. */
  outputsPath: string;
  credentialsPath: string;
  stop(): Promise<void>;
}

interface LateHandlers {
  request?: (req: IncomingMessage, res: ServerResponse) => void;
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * Runs a CDK cloud assembly on this machine: DynamoDB Local with the template's tables, the
 * local Cognito with its user pools, its Lambda functions and stream event source mappings,
 * and an AppSync endpoint (HTTP + real-time, plain and TLS on one port) per GraphQL API.
 * Knows nothing of any particular app: everything comes from the assembly.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const persistent = options.persistent ?? false;
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
    const apiKeys = assembly.stacks.flatMap((s) =>
      Object.entries(s.template.Resources)
        .filter(([, r]) => r.Type === 'AWS::AppSync::GraphQLApi')
        .map(([logicalId]) => `${s.stackName}/${logicalId}`),
    );

    // Ports first: the API URLs are attributes that templates (and Lambda environments) refer to.
    const servers: { server: DualProtocolServer; handlers: LateHandlers }[] = [];
    const portFile = join(stateDir, 'port');
    const lastPort = options.port === undefined && persistent && existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined;
    for (let i = 0; i < apiKeys.length; i++) {
      const handlers: LateHandlers = {};
      const listen = (port: number) =>
        listenDualProtocol({
          port,
          tls,
          onRequest: (req, res) => (handlers.request ? handlers.request(req, res) : res.writeHead(503).end('starting')),
          onUpgrade: (req, socket, head) => (handlers.upgrade ? handlers.upgrade(req, socket, head) : socket.destroy()),
        });
      // The last run's port keeps URLs (and configured clients) valid across restarts, when free.
      const server = i === 0 && lastPort ? await listen(lastPort).catch(() => listen(0)) : await listen(i === 0 ? (options.port ?? 0) : 0);
      cleanups.push(() => server.close());
      servers.push({ server, handlers });
    }
    if (persistent && servers[0]) writeFileSync(portFile, String(servers[0].server.port));

    const secretSeed = loadSecretSeed(stateDir, persistent);
    const environment = (cognito?: LocalEnvironment['cognito']): LocalEnvironment => ({
      region,
      accountId,
      appsyncBaseUrl: (stackName, logicalId) => `http://localhost:${servers[apiKeys.indexOf(`${stackName}/${logicalId}`)]!.server.port}`,
      secretSeed,
      ...(cognito && { cognito }),
    });
    let model = buildAppModel(assembly, environment());
    if (model.inert.length > 0) log(`not emulated (nothing runs for them locally): ${model.inert.map((r) => `${r.logicalId} (${r.type})`).join(', ')}`);
    if (model.unrecognized.length > 0) {
      log(`warning: resource types the local runtime does not know, so nothing runs for them: ${model.unrecognized.map((r) => `${r.stackName}/${r.logicalId} (${r.type})`).join(', ')}`);
    }
    for (const fn of model.functions.filter((f) => f.unsupported)) log(`warning: function ${fn.functionName} is not run locally: ${fn.unsupported}`);

    // User pools get their ids from the local Cognito, so the model is rebuilt with them.
    let cognito: CognitoLocal | undefined;
    if (model.userPools.length > 0) {
      cognito = await startCognitoLocal({ dir: persistent ? join(stateDir, 'cognito') : mkdtempSync(join(tmpdir(), 'cognito-local-')), log });
      cleanups.push(() => cognito!.stop());
      const client = cognitoClient(cognito.endpoint, region);
      cleanups.push(async () => client.destroy());
      const ids = await provisionUserPools(client, model.userPools, log);
      model = buildAppModel(assembly, environment({ issuerBase: cognito.issuerBase, ...ids }));
      for (const pool of model.userPools) await seedUsers(client, pool.userPoolId, options.users ?? [], log);
    }

    const credentials = ensureLocalCredentials(stateDir, model.roles, persistent);
    const credentialsByRole = new Map(credentials.map((c) => [c.roleArn, c]));

    const dataDir = persistent ? join(stateDir, 'dynamodb') : undefined;
    const dynamo = await startDynamoDbLocal({ log, ...(dataDir && { dataDir }) });
    cleanups.push(() => dynamo.stop());
    const dynamodb = new DynamoDBClient({ endpoint: dynamo.endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    cleanups.push(async () => dynamodb.destroy());
    await ensureTables(dynamodb, model.tables, log, { ...(dataDir && { dataDir }) });
    const ttl = startTtlExpiry({ client: dynamodb, tables: model.tables, log });
    cleanups.push(async () => ttl.stop());

    const lambda = startLambdaService({
      functions: model.functions,
      region,
      accountId,
      credentialsFor: (roleArn) => credentialsByRole.get(roleArn),
      endpoints: {
        DYNAMODB: dynamo.endpoint,
        DYNAMODB_STREAMS: dynamo.endpoint,
        ...(cognito && { COGNITO_IDENTITY_PROVIDER: cognito.endpoint }),
      },
      log: options.functionLog ?? log,
    });
    cleanups.push(() => lambda.stop());

    const apis: RunningApi[] = [];
    for (const api of model.apis) {
      const { server, handlers } = servers[apiKeys.indexOf(`${api.stackName}/${api.logicalId}`)]!;
      const where = `${api.stackName}/${api.logicalId}`;
      const schema = buildAppSyncSchema(api.schema, where);
      const { resolvers, unsupported } = compileResolvers(api, schema);
      for (const [field, reason] of unsupported) log(`warning: ${field} will fail when resolved: ${reason}`);
      const invoke = createDataSourceInvoker({ api, dynamodb, lambda: lambda.invoke, log, tokenSecret: secretSeed });
      const mayResolve = createFieldAccess(schema, api.defaultAuth.type, `arn:aws:appsync:${region}:${accountId}:apis/${api.apiId}`);
      const authenticate = await authenticatorFor(api, { accountId, region, credentials, model, cognito, lambda, log });

      const graphqlPath = new URL(api.graphqlUrl).pathname;
      // The real-time server is created before the executor that publishes to it; it asks the
      // executor to start subscriptions only once a connection sends `start`.
      const engine = { startSubscription: undefined as unknown as ReturnType<typeof createExecutor>['startSubscription'] };
      const realtime = createRealtimeServer({
        schema,
        graphqlPath,
        engine: {
          authenticate: (headers, signed, sourceIp) =>
            authenticate({ headers: lowerCaseKeys(headers), sourceIp, signed: { method: 'POST', path: signed.path, query: '', body: signed.body } }),
          startSubscription: (start) => engine.startSubscription(start),
        },
        ...options.realtime,
        log: (event, detail) => log(`realtime ${event} ${JSON.stringify(detail)}`),
      });
      cleanups.push(() => realtime.close());
      const executor = createExecutor({
        schema,
        resolvers,
        unsupported,
        invoke,
        mayResolve,
        environmentVariables: api.environmentVariables,
        publish: (field, value) => realtime.publish(field, value),
        invalidate: (field, payload) => realtime.invalidate(field, payload),
        log,
      });
      engine.startSubscription = executor.startSubscription;

      const graphql = createGraphqlHttpHandler(authenticate, executor.execute);
      const outputs = amplifyOutputs(api, region, model.userPools, cognito?.endpoint);
      const first = api === model.apis[0];
      const web = first && options.webRoot ? createStaticFiles(options.webRoot) : undefined;
      handlers.request = (req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/amplify_outputs.json' && req.method === 'GET') {
          // What a browser client needs to configure Amplify, from the same origin.
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' }).end(JSON.stringify(outputs, null, 2));
        } else if (web?.(req, res)) {
          return;
        } else if (path === graphqlPath) {
          graphql(req, res).catch((error: Error) => {
            log(`POST ${graphqlPath} failed: ${error.stack ?? error.message}`);
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ errors: [{ errorType: 'InternalFailure', message: error.message }] }));
          });
        } else {
          res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found. GraphQL: POST ${api.graphqlUrl}; real-time: ${api.realtimeUrl}\n`);
        }
      };
      handlers.upgrade = (req, socket, head) => {
        const path = (req.url ?? '/').split('?')[0];
        // Amplify opens <graphql url>/realtime for any endpoint that is not *.appsync-api.*.
        if (path === `${graphqlPath}/realtime` || path === graphqlPath) realtime.handleUpgrade(req, socket, head);
        else socket.destroy();
      };
      apis.push({ model: api, port: server.port, graphqlUrl: api.graphqlUrl, realtimeUrl: api.realtimeUrl, realtime, outputs });
      log(`AppSync API ${api.name}: ${api.graphqlUrl} (real-time ${api.realtimeUrl}), ${resolvers.size} resolvers`);
    }

    // Streams start last: the functions they invoke may call the APIs.
    const mappings = await startEventSourceMappings({
      mappings: model.eventSourceMappings,
      dynamodbEndpoint: dynamo.endpoint,
      region,
      lambda,
      stateDir,
      persistent,
      log,
      normalizeRecord: (tableName, record) => ttl.normalize(tableName, record),
    });
    cleanups.push(() => mappings.stop());
    const schedules = startSchedules({ rules: model.scheduleRules, invoke: lambda.invoke, region, accountId, log });
    cleanups.push(async () => schedules.stop());

    const credentialsPath = join(stateDir, 'credentials.json');
    writeFileSync(
      credentialsPath,
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
    return {
      model,
      apis,
      users: options.users ?? [],
      credentials,
      dynamodbEndpoint: dynamo.endpoint,
      ...(cognito && { cognitoEndpoint: cognito.endpoint }),
      lambda,
      region,
      stateDir,
      caCertPath: tls.caCertPath,
      outputsPath,
      credentialsPath,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface AuthContext {
  accountId: string;
  region: string;
  credentials: LocalCredential[];
  model: AppModel;
  cognito: CognitoLocal | undefined;
  lambda: LambdaService;
  log(line: string): void;
}

/** The API's auth modes with what verifies them: pool and OIDC keys, the Lambda authorizer. */
async function authenticatorFor(api: GraphqlApiModel, context: AuthContext): Promise<Authenticator> {
  const providers = [api.defaultAuth, ...api.additionalAuth];
  const userPools = [];
  for (const provider of providers) {
    if (provider.type !== 'AMAZON_COGNITO_USER_POOLS' || !provider.userPool) continue;
    if (!context.cognito) throw new Error(`${api.name}: user pool ${provider.userPool.userPoolId} is not a pool of the assembly, so no local Cognito issues its tokens`);
    const issuer = `${context.cognito.issuerBase}/${provider.userPool.userPoolId}`;
    userPools.push({
      issuer,
      jwks: await readJwks(`${issuer}/.well-known/jwks.json`),
      ...(provider.userPool.appIdClientRegex !== undefined && { appIdClientRegex: provider.userPool.appIdClientRegex }),
      defaultAction: provider.userPool.defaultAction ?? 'ALLOW',
    });
  }
  const oidcProviders = [];
  for (const provider of providers) {
    if (provider.type !== 'OPENID_CONNECT' || !provider.openIdConnect) continue;
    const { issuer, clientId, iatTtl, authTtl } = provider.openIdConnect;
    try {
      const discovery = (await (await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)).json()) as { jwks_uri?: string };
      oidcProviders.push({
        issuer,
        jwks: await readJwks(discovery.jwks_uri ?? `${issuer}/.well-known/jwks.json`),
        ...(clientId !== undefined && { clientId }),
        ...(iatTtl !== undefined && { iatTtlMs: iatTtl }),
        ...(authTtl !== undefined && { authTtlMs: authTtl }),
      });
    } catch (error) {
      // Offline, a remote issuer is unreachable: its tokens are refused, never trusted undecoded.
      context.log(`warning: OIDC issuer ${issuer} is unreachable (${(error as Error).message}); its tokens will be refused`);
    }
  }
  const lambdaConfig = providers.find((p) => p.type === 'AWS_LAMBDA')?.lambda;
  return createAuthenticator({
    api,
    accountId: context.accountId,
    region: context.region,
    credentials: context.credentials,
    roles: context.model.roles,
    userPools,
    oidcProviders,
    ...(lambdaConfig && { lambdaAuthorizer: createLambdaAuthorizer(lambdaConfig, context.lambda.invoke, context.log) }),
    log: context.log,
  });
}

async function readJwks(url: string): Promise<Jwks> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot read the signing keys (JWKS) from ${url}: HTTP ${response.status}`);
  return ((await response.json()) as { keys: JsonWebKey[] }).keys as Jwks;
}

/** API key values derive from this seed, so they survive restarts of a persistent runtime. */
function loadSecretSeed(stateDir: string, persistent: boolean): string {
  if (!persistent) return randomBytes(16).toString('hex');
  const file = join(stateDir, 'secret-seed');
  if (!existsSync(file)) writeFileSync(file, randomBytes(16).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
