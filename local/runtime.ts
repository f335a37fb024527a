import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { graphqlApiKeys, readCloudAssembly } from './assembly/cloud-assembly.ts';
import { buildAppModel, type AppModel, type LocalEnvironment } from './assembly/model.ts';
import { synthesize } from './assembly/synth.ts';
import { passedChecksIn } from './appsync/js/index.ts';
import { prepareApiVersion, serveApi, type ApiContext, type RealtimeTuning, type RunningApi, type ServedApi } from './appsync/serve-api.ts';
import { modelWithUserPools } from './cognito/model-with-pools.ts';
import type { SeedUser } from './cognito/provision.ts';
import { startCognitoLocal, type CognitoLocal } from './cognito/server.ts';
import { startLocalTables } from './dynamodb/local-tables.ts';
import type { DynamoDbLocal, DynamoDbLocalOptions } from './dynamodb/server.ts';
import { listenApiPorts } from './http/api-ports.ts';
import { ensureLocalCredentials, type LocalCredential } from './iam/credentials.ts';
import { startLambdaService, type LambdaService } from './lambda/index.ts';
import { reloadRuntime, type AssemblySource, type ReloadableRuntime, type ReloadOutcome } from './reload/reload-runtime.ts';
import { watchOnReload } from './reload/watch-reload.ts';
import { loadSecretSeed, writeCredentialsFile, writeOutputsFile } from './state-files.ts';
import { startStreams } from './streams.ts';
import type { Supervisor } from './supervise/child-process.ts';
import { superviseCognito } from './supervise/services.ts';
import { startSchedules } from './schedules/index.ts';
import { ensureLocalTls } from './tls/local-ca.ts';

export type { RealtimeTuning, RunningApi } from './appsync/serve-api.ts';
export type { ReloadOutcome } from './reload/reload-runtime.ts';

export interface LocalRuntimeOptions {
  /** A synthesized cloud assembly to run; without it the CDK app in `projectDir` is synthesized. */
  assemblyDir?: string;
  /** Folder with cdk.json; default the current folder. */
  projectDir?: string;
  /** Where state lives: data (when persistent), the local CA, credentials, outputs. Default `.local`. */
  stateDir?: string;
  /** Where the local CA and certificate live; default `<stateDir>/tls`. */
  tlsDir?: string;
  /**
   * Where resolver code that passed AppSync's save-time checks is remembered, so that the next
   * start skips checking it again; default `<stateDir>/cache/passed-checks`.
   */
  passedChecksDir?: string;
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
  /**
   * Hot reload: watch the CDK app's project folder (or, with `assemblyDir`, the assembly's
   * manifest) and swap each edit in, re-synthesized, while connections and data stay.
   */
  watch?: boolean;
  /** Called after each reload the watcher started, swapped in or refused. */
  onReload?: (outcome: ReloadOutcome, files: string[]) => void;
  /**
   * Starts DynamoDB Local; default a JVM of the runtime's own (local/dynamodb/server.ts). The
   * tests lend one from a pool of warm JVMs (test/support/dynamodb-pool.ts).
   */
  startDynamoDb?: (options: DynamoDbLocalOptions) => Promise<DynamoDbLocal>;
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
  /** Reads the app again (re-synthesizing a CDK app) and swaps it in; refused code leaves the previous version serving. */
  reload(): Promise<ReloadOutcome>;
  /** DynamoDB Local and cognito-local, restarted when they die (local/supervise/). */
  supervisors: { dynamodb: Supervisor<DynamoDbLocal>; cognito?: Supervisor<CognitoLocal> };
  stop(): Promise<void>;
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
    const source: AssemblySource = options.assemblyDir
      ? { kind: 'folder', assemblyDir: resolve(options.assemblyDir) }
      : { kind: 'synthesize', projectDir: resolve(options.projectDir ?? process.cwd()), outDir: join(stateDir, 'cdk.out') };
    const assemblyDir = source.kind === 'folder' ? source.assemblyDir : await synthesize({ ...source, log });
    const assembly = readCloudAssembly(assemblyDir);
    log(`cloud assembly ${assemblyDir}: stacks ${assembly.stacks.map((s) => s.stackName).join(', ')}`);

    const tls = ensureLocalTls(options.tlsDir ?? join(stateDir, 'tls'), log);
    const apiKeys = graphqlApiKeys(assembly);
    const ports = await listenApiPorts({ count: apiKeys.length, tls, port: options.port, stateDir, persistent });
    cleanups.push(...ports.map(({ server }) => () => server.close()));
    const environment: LocalEnvironment = {
      region,
      accountId,
      appsyncBaseUrl: (stackName, logicalId) => `http://localhost:${ports[apiKeys.indexOf(`${stackName}/${logicalId}`)]!.server.port}`,
      secretSeed: loadSecretSeed(stateDir, persistent),
    };

    let model = buildAppModel(assembly, environment);
    reportModel(model, log);
    // User pools get their ids from the local Cognito, so the model is rebuilt with them.
    let cognito: CognitoLocal | undefined;
    let cognitoSupervisor: Supervisor<CognitoLocal> | undefined;
    if (model.userPools.length > 0) {
      const cognitoDir = persistent ? join(stateDir, 'cognito') : mkdtempSync(join(tmpdir(), 'cognito-local-'));
      cognito = await startCognitoLocal({ dir: cognitoDir, log });
      cleanups.push(() => (cognitoSupervisor ?? cognito!).stop());
      const withPools = await modelWithUserPools(assembly, environment, cognito, options.users ?? [], log);
      model = withPools.model;
      cognitoSupervisor = superviseCognito({ first: cognito, dir: cognitoDir, region, pools: model.userPools, ids: withPools.ids, users: options.users ?? [], log });
    }

    const credentials = ensureLocalCredentials(stateDir, model.roles, persistent);
    const credentialsByRole = new Map(credentials.map((c) => [c.roleArn, c]));

    // Set once the APIs serve; the DynamoDB supervisor reaches the streams through it.
    const current: { reloadable?: ReloadableRuntime } = {};
    const dynamo = await startLocalTables({
      tables: model.tables,
      region,
      dataDir: persistent ? join(stateDir, 'dynamodb') : undefined,
      ...(options.startDynamoDb && { startDynamoDb: options.startDynamoDb }),
      // In memory the streams went with the tables: their pollers start again on the new ones.
      afterReprovision: async (lostData) => {
        const reloadable = current.reloadable;
        if (!lostData || !reloadable) return;
        await reloadable.streams.stop();
        reloadable.streams = await reloadable.startStreams(reloadable.context.model);
      },
      log,
    });
    cleanups.push(() => dynamo.stop());
    const { client: dynamodb, dataDir } = dynamo;

    const lambda = startLambdaService({
      functions: model.functions,
      region,
      accountId,
      // Read at each cold start: a reload may give a new role its key.
      credentialsFor: (roleArn) => credentialsByRole.get(roleArn),
      endpoints: {
        DYNAMODB: dynamo.endpoint,
        DYNAMODB_STREAMS: dynamo.endpoint,
        ...(cognito && { COGNITO_IDENTITY_PROVIDER: cognito.endpoint }),
      },
      log: options.functionLog ?? log,
    });
    cleanups.push(() => lambda.stop());

    const passedChecks = passedChecksIn(options.passedChecksDir ?? join(stateDir, 'cache', 'passed-checks'));
    const context: ApiContext = { region, accountId, model, dynamodb: dynamo.wire, lambda, credentials, cognito, tokenSecret: environment.secretSeed, passedChecks, log };
    const served: ServedApi[] = [];
    for (const api of model.apis) {
      const port = ports[apiKeys.indexOf(`${api.stackName}/${api.logicalId}`)]!;
      const version = await prepareApiVersion(api, context);
      const one = serveApi(port, version, context, { ...(options.realtime && { realtime: options.realtime }), ...(api === model.apis[0] && options.webRoot && { webRoot: options.webRoot }) });
      cleanups.push(() => one.endpoint.realtime.close());
      served.push(one);
    }

    const streamOptions = { dynamodb, dynamodbEndpoint: dynamo.endpoint, lambda, stateDir, persistent, log };
    const reloadable: ReloadableRuntime = {
      source,
      environment,
      apiKeys,
      cognito,
      users: options.users ?? [],
      stateDir,
      persistent,
      dynamodb,
      dataDir,
      lambda,
      credentialsByRole,
      served,
      context,
      streams: await startStreams({ model, ...streamOptions }),
      startStreams: (next) => startStreams({ model: next, ...streamOptions }),
      log,
    };
    current.reloadable = reloadable;
    cleanups.push(() => reloadable.streams.stop());
    const schedules = startSchedules({ rules: model.scheduleRules, invoke: lambda.invoke, region, accountId, log });
    cleanups.push(async () => schedules.stop());

    const apis = served.map((s) => s.running);
    const runtime: LocalRuntime = {
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
      outputsPath: writeOutputsFile(stateDir, apis[0]?.outputs),
      credentialsPath: writeCredentialsFile(stateDir, options.users ?? [], credentials),
      supervisors: { dynamodb: dynamo.supervisor, ...(cognitoSupervisor && { cognito: cognitoSupervisor }) },
      reload: async () => {
        const outcome = await reloadRuntime(reloadable);
        if (outcome.ok) {
          runtime.model = outcome.model;
          runtime.credentials = outcome.credentials;
          writeOutputsFile(stateDir, apis[0]?.outputs);
          writeCredentialsFile(stateDir, runtime.users, outcome.credentials);
        }
        return outcome;
      },
      stop,
    };
    if (options.watch) {
      const watcher = watchOnReload(runtime, source, { stateDir, log, ...(options.onReload && { onReload: options.onReload }) });
      cleanups.push(async () => watcher.close());
    }
    return runtime;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What the model holds that nothing runs for, said once at start. */
function reportModel(model: AppModel, log: (line: string) => void): void {
  if (model.inert.length > 0) log(`not emulated (nothing runs for them locally): ${model.inert.map((r) => `${r.logicalId} (${r.type})`).join(', ')}`);
  if (model.unrecognized.length > 0) {
    log(`warning: resource types the local runtime does not know, so nothing runs for them: ${model.unrecognized.map((r) => `${r.stackName}/${r.logicalId} (${r.type})`).join(', ')}`);
  }
  for (const fn of model.functions.filter((f) => f.unsupported)) log(`warning: function ${fn.functionName} is not run locally: ${fn.unsupported}`);
}
