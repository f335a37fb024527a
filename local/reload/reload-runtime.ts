import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { graphqlApiKeys, readCloudAssembly, type CloudAssembly } from '../assembly/cloud-assembly.ts';
import { buildAppModel, type AppModel, type LocalEnvironment } from '../assembly/model.ts';
import { synthesize } from '../assembly/synth.ts';
import { prepareApiVersion, swapApiVersion, type ApiContext, type ApiVersion, type ServedApi } from '../appsync/serve-api.ts';
import { modelWithUserPools } from '../cognito/model-with-pools.ts';
import type { SeedUser } from '../cognito/provision.ts';
import type { CognitoLocal } from '../cognito/server.ts';
import { ensureTables } from '../dynamodb/tables.ts';
import { ensureLocalCredentials, type LocalCredential } from '../iam/credentials.ts';
import type { LambdaService } from '../lambda/index.ts';
import { streamsChanged, type Streams } from '../streams.ts';

/** Where a runtime's assembly comes from: its CDK app, synthesized again, or a folder read again. */
export type AssemblySource = { kind: 'synthesize'; projectDir: string; outDir: string } | { kind: 'folder'; assemblyDir: string };

/** The parts of a running runtime that a reload reads and replaces. */
export interface ReloadableRuntime {
  source: AssemblySource;
  environment: LocalEnvironment;
  /** `stack/logicalId` of every API, in port order: a reload serves the same APIs on the same ports. */
  apiKeys: string[];
  cognito: CognitoLocal | undefined;
  users: SeedUser[];
  stateDir: string;
  persistent: boolean;
  dynamodb: DynamoDBClient;
  dataDir: string | undefined;
  lambda: LambdaService;
  /** Replaced on reload; the Lambda service reads execution roles' keys from it. */
  credentialsByRole: Map<string, LocalCredential>;
  served: ServedApi[];
  context: ApiContext;
  streams: Streams;
  startStreams(model: AppModel): Promise<Streams>;
  log(line: string): void;
}

export type ReloadOutcome =
  | { ok: true; durationMs: number; model: AppModel; credentials: LocalCredential[]; replacedFunctions: string[] }
  /** Nothing was swapped: the previous version keeps serving. */
  | { ok: false; durationMs: number; message: string };

/**
 * Reads the app again (synthesizing it first when it is a CDK app) and swaps the new version in
 * where it is served, keeping what holds state: ports, open WebSocket connections and the
 * subscriptions that still validate, DynamoDB data (new tables are created, existing ones kept),
 * users and pools, and the warm workers of functions whose code did not change. Everything that
 * can be refused — synthesis, the model, resolver code AppSync would refuse on save, a changed
 * set of APIs or user pools — is checked before anything is swapped.
 */
export async function reloadRuntime(runtime: ReloadableRuntime): Promise<ReloadOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let versions: ApiVersion[];
  let model: AppModel;
  let context: ApiContext;
  try {
    // The template validation ran at start; a reload skips it, as `cdk synth --no-validation` would, for speed.
    const assembly = readCloudAssembly(runtime.source.kind === 'synthesize' ? await synthesize({ ...runtime.source, validation: false, log: runtime.log }) : runtime.source.assemblyDir);
    model = await reloadedModel(runtime, assembly);
    const credentials = keptCredentials(runtime, ensureLocalCredentials(runtime.stateDir, model.roles, runtime.persistent));
    context = { ...runtime.context, model, credentials };
    versions = [];
    for (const api of model.apis) versions.push(await prepareApiVersion(api, context));
  } catch (error) {
    return { ok: false, durationMs: elapsed(), message: (error as Error).message };
  }

  await ensureTables(runtime.dynamodb, model.tables, runtime.log, { ...(runtime.dataDir && { dataDir: runtime.dataDir }) });
  runtime.credentialsByRole.clear();
  for (const credential of context.credentials) runtime.credentialsByRole.set(credential.roleArn, credential);
  const replacedFunctions = runtime.lambda.replaceFunctions(model.functions);
  const before = runtime.context.model;
  runtime.context = context;
  for (const version of versions) {
    const served = runtime.served.find((s) => s.current.model.stackName === version.model.stackName && s.current.model.logicalId === version.model.logicalId)!;
    served.context = context;
    swapApiVersion(served, version);
  }
  if (streamsChanged(before, model)) {
    await runtime.streams.stop();
    runtime.streams = await runtime.startStreams(model);
  }
  return { ok: true, durationMs: elapsed(), model, credentials: context.credentials, replacedFunctions };
}

/** The new model, refused when it would need what only a restart gives: other APIs (ports) or a first user pool. */
async function reloadedModel(runtime: ReloadableRuntime, assembly: CloudAssembly): Promise<AppModel> {
  const apiKeys = graphqlApiKeys(assembly);
  if (JSON.stringify(apiKeys) !== JSON.stringify(runtime.apiKeys)) {
    throw new Error(`the app's GraphQL APIs changed (${runtime.apiKeys.join(', ') || 'none'} → ${apiKeys.join(', ') || 'none'}); each API has its own port, so restart to serve them`);
  }
  const model = runtime.cognito
    ? (await modelWithUserPools(assembly, runtime.environment, runtime.cognito, runtime.users, runtime.log)).model
    : buildAppModel(assembly, runtime.environment);
  if (!runtime.cognito && model.userPools.length > 0) throw new Error('the app now has a user pool, and the local Cognito starts only with the runtime: restart to serve it');
  return model;
}

/** Roles that stay keep the access keys clients already sign with (an in-memory run makes new ones each time). */
function keptCredentials(runtime: ReloadableRuntime, fresh: LocalCredential[]): LocalCredential[] {
  return fresh.map((credential) => runtime.credentialsByRole.get(credential.roleArn) ?? credential);
}
