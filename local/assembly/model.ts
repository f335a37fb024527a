import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CloudAssembly, CfnResource, FileAsset, StackArtifact } from './cloud-assembly.ts';
import { resolveIntrinsics, type IntrinsicScope } from './intrinsics.ts';
import { scheduleRuleModel, type ScheduleRuleModel } from '../schedules/rule-model.ts';
import { identityRules, placeholderIdentity, type LocalEnvironment, type ResourceIdentity } from './physical-ids.ts';

export type { LocalEnvironment } from './physical-ids.ts';

export type AuthenticationType = 'API_KEY' | 'AWS_IAM' | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export interface AuthProviderModel {
  type: AuthenticationType;
  userPool?: { userPoolId: string; region: string; appIdClientRegex?: string; defaultAction?: 'ALLOW' | 'DENY' };
  openIdConnect?: { issuer: string; clientId?: string; iatTtl?: number; authTtl?: number };
  lambda?: { functionArn: string; ttlSeconds: number; identityValidationExpression?: string };
}

export interface ApiKeyModel {
  logicalId: string;
  value: string;
  /** Epoch seconds; AppSync's default is 7 days after creation. */
  expires: number;
}

export interface DataSourceModel {
  name: string;
  type: string;
  dynamodb?: { tableName: string; region: string };
  lambda?: { functionArn: string };
}

/** Handler code together with where it came from, for error messages. */
export interface CodeModel {
  code: string;
  /** Why this handler cannot run locally (VTL, another runtime): its field then fails with that reason. */
  unsupported?: string;
  /** e.g. `Pricestream/QueryMarketResolver (Query.market)`. */
  origin: string;
}

export interface PipelineFunctionModel {
  functionId: string;
  name: string;
  dataSourceName: string;
  code: CodeModel;
  maxBatchSize: number;
}

export interface ResolverModel {
  typeName: string;
  fieldName: string;
  kind: 'UNIT' | 'PIPELINE';
  dataSourceName?: string;
  /** Absent on a direct Lambda resolver. */
  code?: CodeModel;
  functionIds: string[];
  maxBatchSize: number;
}

export interface GraphqlApiModel {
  stackName: string;
  logicalId: string;
  name: string;
  apiId: string;
  graphqlUrl: string;
  realtimeUrl: string;
  defaultAuth: AuthProviderModel;
  additionalAuth: AuthProviderModel[];
  schema: string;
  apiKeys: ApiKeyModel[];
  dataSources: Map<string, DataSourceModel>;
  functions: Map<string, PipelineFunctionModel>;
  resolvers: ResolverModel[];
  environmentVariables: Record<string, string>;
}

export interface TableModel {
  stackName: string;
  logicalId: string;
  tableName: string;
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes?: { IndexName: string; KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[]; Projection: { ProjectionType?: string; NonKeyAttributes?: string[] } }[];
  localSecondaryIndexes?: { IndexName: string; KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[]; Projection: { ProjectionType?: string; NonKeyAttributes?: string[] } }[];
  streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  timeToLiveAttribute?: string;
}

export interface UserPoolModel {
  stackName: string;
  logicalId: string;
  userPoolId: string;
  properties: Record<string, unknown>;
  clients: { logicalId: string; clientId: string; properties: Record<string, unknown> }[];
  groups: { logicalId: string; name: string; properties: Record<string, unknown> }[];
}

export interface RoleModel {
  stackName: string;
  logicalId: string;
  roleName: string;
  arn: string;
  assumeRolePolicy: unknown;
  /** Inline policies and attached AWS::IAM::Policy documents, resolved. */
  policyDocuments: unknown[];
}

export interface LambdaFunctionModel {
  stackName: string;
  logicalId: string;
  functionName: string;
  arn: string;
  /** `file.export`, e.g. `index.handler`. */
  handler: string;
  /** e.g. `nodejs24.x`. */
  runtime: string;
  /** Absolute path of the folder holding the function's code (the asset folder CDK staged). */
  codeDir: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Resolved `Environment.Variables`. */
  environment: Record<string, string>;
  /** The execution role; its local access key becomes the function's credentials. */
  roleArn?: string;
  /** `ReservedConcurrentExecutions`; absent = no reservation. */
  reservedConcurrency?: number;
  /** Why the function cannot run locally (its runtime); invoking it is then an error that says so. */
  unsupported?: string;
}

export interface EventSourceMappingModel {
  stackName: string;
  logicalId: string;
  uuid: string;
  /** The function it invokes, by name (a `Ref` of the function resolves to its name). */
  functionName: string;
  eventSourceArn: string;
  /** The table whose stream the mapping reads, when the source is a DynamoDB stream of the assembly. */
  sourceTableName?: string;
  enabled: boolean;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';
  /** -1 = retry until the record expires (AWS's default). */
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  /** -1 = no limit (AWS's default). */
  maximumRecordAgeSeconds: number;
  /** ARN of the on-failure destination (an SQS queue or SNS topic). */
  onFailureDestination?: string;
  functionResponseTypes: string[];
  filterPatterns: unknown[];
  parallelizationFactor: number;
}

export interface QueueModel {
  stackName: string;
  logicalId: string;
  queueName: string;
  arn: string;
  url: string;
}

/** A resource the runtime understands but has nothing to run for (alarms, metadata, ...). */
export interface InertResource {
  stackName: string;
  logicalId: string;
  type: string;
}

export interface AppModel {
  region: string;
  accountId: string;
  apis: GraphqlApiModel[];
  tables: TableModel[];
  userPools: UserPoolModel[];
  roles: RoleModel[];
  functions: LambdaFunctionModel[];
  eventSourceMappings: EventSourceMappingModel[];
  queues: QueueModel[];
  /** AWS::Events::Rule resources (local/schedules/ runs the scheduled ones). */
  scheduleRules: ScheduleRuleModel[];
  inert: InertResource[];
  /** Resources of types the runtime does not know: reported, given placeholder identities, never run. */
  unrecognized: InertResource[];
  outputs: Record<string, unknown>;
}

/** Types whose resources the model turns into something that runs. */
const EMULATED = new Set([
  'AWS::AppSync::GraphQLApi',
  'AWS::AppSync::GraphQLSchema',
  'AWS::AppSync::ApiKey',
  'AWS::AppSync::DataSource',
  'AWS::AppSync::FunctionConfiguration',
  'AWS::AppSync::Resolver',
  'AWS::DynamoDB::Table',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::SQS::Queue',
  'AWS::Events::Rule',
]);

/**
 * Builds the typed model of everything the local runtime runs from a cloud assembly,
 * resolving intrinsics with the identities the local services give each resource.
 * A resource of a type the runtime does not know is listed in `unrecognized` (the runtime
 * reports it by name) and gets a placeholder identity: a `Ref` to it gives its name, and a
 * `Fn::GetAtt` of it fails naming the resource and attribute.
 */
export function buildAppModel(assembly: CloudAssembly, env: LocalEnvironment): AppModel {
  const model: AppModel = {
    region: env.region,
    accountId: env.accountId,
    apis: [],
    tables: [],
    userPools: [],
    roles: [],
    functions: [],
    eventSourceMappings: [],
    queues: [],
    scheduleRules: [],
    inert: [],
    unrecognized: [],
    outputs: {},
  };
  for (const stack of assembly.stacks) addStack(model, stack, assembly.assets, env);
  return model;
}

function addStack(model: AppModel, stack: StackArtifact, assets: FileAsset[], env: LocalEnvironment): void {
  const { template, stackName } = stack;
  const resources = template.Resources;
  const identities = new Map<string, ResourceIdentity>();
  const resolving = new Set<string>();

  const scope: IntrinsicScope = {
    ref: (name, where) => {
      const pseudo = pseudoParameter(name, stackName, env);
      if (pseudo !== undefined) return pseudo;
      const parameter = template.Parameters?.[name];
      if (parameter) {
        if (parameter.Default === undefined) throw new Error(`${where}: parameter ${name} has no default value to run with`);
        return parameter.Default;
      }
      return identity(name, where).ref;
    },
    getAtt: (logicalId, attribute, where) => {
      const value = identity(logicalId, where).attributes[attribute];
      if (value === undefined) {
        throw new Error(`${where}: ${logicalId} (${resources[logicalId]!.Type}) has no attribute ${attribute} in the local runtime`);
      }
      return value;
    },
    conditions: template.Conditions ?? {},
    mappings: template.Mappings ?? {},
  };

  const propsOf = (logicalId: string): Record<string, unknown> =>
    (resolveIntrinsics(resources[logicalId]!.Properties ?? {}, scope, `${stackName}/${logicalId}.Properties`) ?? {}) as Record<string, unknown>;

  function identity(logicalId: string, where: string): ResourceIdentity {
    const known = identities.get(logicalId);
    if (known) return known;
    const resource = resources[logicalId];
    if (!resource) throw new Error(`${where}: refers to ${logicalId}, which is not a resource of stack ${stackName}`);
    if (resolving.has(logicalId)) throw new Error(`${where}: ${logicalId} refers to itself through intrinsics`);
    resolving.add(logicalId);
    const made = (identityRules[resource.Type] ?? placeholderIdentity)({ stackName, logicalId, resource, props: () => propsOf(logicalId), env });
    resolving.delete(logicalId);
    identities.set(logicalId, made);
    return made;
  }

  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type && isIncluded(r, scope, stackName));
  const ref = (logicalId: string) => identity(logicalId, `${stackName}/${logicalId}`).ref;

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!identityRules[resource.Type]) model.unrecognized.push({ stackName, logicalId, type: resource.Type });
    else if (!EMULATED.has(resource.Type)) model.inert.push({ stackName, logicalId, type: resource.Type });
  }

  for (const [logicalId] of ofType('AWS::DynamoDB::Table')) model.tables.push(tableModel(stackName, logicalId, ref(logicalId), propsOf(logicalId)));

  const policies = ofType('AWS::IAM::Policy').map(([id]) => propsOf(id));
  for (const [logicalId] of ofType('AWS::IAM::Role')) {
    const props = propsOf(logicalId);
    const roleName = ref(logicalId);
    const inline = ((props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument);
    const attached = policies.filter((p) => ((p.Roles as string[] | undefined) ?? []).includes(roleName)).map((p) => p.PolicyDocument);
    model.roles.push({
      stackName,
      logicalId,
      roleName,
      arn: identity(logicalId, logicalId).attributes.Arn!,
      assumeRolePolicy: props.AssumeRolePolicyDocument,
      policyDocuments: [...inline, ...attached],
    });
  }

  for (const [logicalId, resource] of ofType('AWS::Lambda::Function')) {
    model.functions.push(lambdaFunctionModel(stack, logicalId, resource, ref(logicalId), identity(logicalId, logicalId).attributes.Arn!, propsOf(logicalId), assets));
  }
  for (const [logicalId] of ofType('AWS::SQS::Queue')) {
    const attrs = identity(logicalId, logicalId).attributes;
    model.queues.push({ stackName, logicalId, queueName: attrs.QueueName!, arn: attrs.Arn!, url: attrs.QueueUrl! });
  }
  for (const [logicalId] of ofType('AWS::Lambda::EventSourceMapping')) {
    model.eventSourceMappings.push(eventSourceMappingModel(stackName, logicalId, ref(logicalId), propsOf(logicalId), model.tables));
  }

  for (const [logicalId] of ofType('AWS::Events::Rule')) {
    model.scheduleRules.push(scheduleRuleModel(stackName, logicalId, ref(logicalId), identity(logicalId, logicalId).attributes.Arn!, propsOf(logicalId)));
  }

  for (const [logicalId] of ofType('AWS::Cognito::UserPool')) {
    const userPoolId = ref(logicalId);
    model.userPools.push({
      stackName,
      logicalId,
      userPoolId,
      properties: propsOf(logicalId),
      clients: ofType('AWS::Cognito::UserPoolClient')
        .filter(([id]) => propsOf(id).UserPoolId === userPoolId)
        .map(([id]) => ({ logicalId: id, clientId: ref(id), properties: propsOf(id) })),
      groups: ofType('AWS::Cognito::UserPoolGroup')
        .filter(([id]) => propsOf(id).UserPoolId === userPoolId)
        .map(([id]) => ({ logicalId: id, name: ref(id), properties: propsOf(id) })),
    });
  }

  for (const [logicalId] of ofType('AWS::AppSync::GraphQLApi')) {
    const props = propsOf(logicalId);
    const attrs = identity(logicalId, logicalId).attributes;
    const apiId = attrs.ApiId!;
    const belongs = (id: string) => propsOf(id).ApiId === apiId;
    const api: GraphqlApiModel = {
      stackName,
      logicalId,
      name: String(props.Name ?? logicalId),
      apiId,
      graphqlUrl: attrs.GraphQLUrl!,
      realtimeUrl: attrs.RealTimeUrl!,
      defaultAuth: authProvider(props, `${stackName}/${logicalId}`, env.region),
      additionalAuth: ((props.AdditionalAuthenticationProviders as Record<string, unknown>[] | undefined) ?? []).map((p, i) =>
        authProvider(p, `${stackName}/${logicalId}.AdditionalAuthenticationProviders[${i}]`, env.region),
      ),
      schema: schemaOf(ofType('AWS::AppSync::GraphQLSchema').filter(([id]) => belongs(id)), propsOf, assets, `${stackName}/${logicalId}`),
      apiKeys: ofType('AWS::AppSync::ApiKey')
        .filter(([id]) => belongs(id))
        .map(([id]) => ({ logicalId: id, value: ref(id), expires: expiryOf(propsOf(id).Expires) })),
      dataSources: new Map(),
      functions: new Map(),
      resolvers: [],
      environmentVariables: (props.EnvironmentVariables as Record<string, string> | undefined) ?? {},
    };
    for (const [id] of ofType('AWS::AppSync::DataSource').filter(([id]) => belongs(id))) {
      const ds = propsOf(id);
      const name = String(ds.Name);
      const dynamo = ds.DynamoDBConfig as { TableName: string; AwsRegion?: string } | undefined;
      const lambda = ds.LambdaConfig as { LambdaFunctionArn: string } | undefined;
      api.dataSources.set(name, {
        name,
        type: String(ds.Type),
        ...(dynamo && { dynamodb: { tableName: dynamo.TableName, region: dynamo.AwsRegion ?? env.region } }),
        ...(lambda && { lambda: { functionArn: lambda.LambdaFunctionArn } }),
      });
    }
    for (const [id] of ofType('AWS::AppSync::FunctionConfiguration').filter(([id]) => belongs(id))) {
      const fn = propsOf(id);
      const functionId = identity(id, id).attributes.FunctionId!;
      const origin = `${stackName}/${id} (function ${String(fn.Name)})`;
      api.functions.set(functionId, {
        functionId,
        name: String(fn.Name),
        dataSourceName: String(fn.DataSourceName),
        code: codeOf(fn, assets, origin) ?? missing(origin, 'Code or CodeS3Location'),
        maxBatchSize: Number(fn.MaxBatchSize ?? 0),
      });
    }
    for (const [id] of ofType('AWS::AppSync::Resolver').filter(([id]) => belongs(id))) {
      const r = propsOf(id);
      const origin = `${stackName}/${id} (${String(r.TypeName)}.${String(r.FieldName)})`;
      const kind = r.Kind === 'PIPELINE' ? 'PIPELINE' : 'UNIT';
      const code = codeOf(r, assets, origin);
      const dataSource = typeof r.DataSourceName === 'string' ? r.DataSourceName : undefined;
      if (kind === 'PIPELINE' && !code) missing(origin, 'Code (a pipeline resolver needs before/after handlers)');
      if (!code && api.dataSources.get(dataSource ?? '')?.type !== 'AWS_LAMBDA') {
        missing(origin, 'Code (only a resolver on a Lambda data source may have none)');
      }
      api.resolvers.push({
        typeName: String(r.TypeName),
        fieldName: String(r.FieldName),
        kind,
        ...(dataSource !== undefined && { dataSourceName: dataSource }),
        ...(code && { code }),
        functionIds: ((r.PipelineConfig as { Functions?: string[] } | undefined)?.Functions ?? []).map(String),
        maxBatchSize: Number(r.MaxBatchSize ?? 0),
      });
    }
    model.apis.push(api);
  }

  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    model.outputs[name] = resolveIntrinsics(output.Value, scope, `${stackName}/Outputs.${name}`);
  }
}

function isIncluded(resource: CfnResource, scope: IntrinsicScope, stackName: string): boolean {
  if (!resource.Condition) return true;
  return resolveIntrinsics({ Condition: resource.Condition }, scope, `${stackName}/Conditions`) === true;
}

function pseudoParameter(name: string, stackName: string, env: LocalEnvironment): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return env.region;
    case 'AWS::AccountId':
      return env.accountId;
    case 'AWS::StackName':
      return stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${env.region}:${env.accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    default:
      return undefined;
  }
}

function tableModel(stackName: string, logicalId: string, tableName: string, p: Record<string, unknown>): TableModel {
  const stream = p.StreamSpecification as { StreamViewType?: TableModel['streamViewType'] } | undefined;
  const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  if (!p.KeySchema || !p.AttributeDefinitions) missing(`${stackName}/${logicalId}`, 'KeySchema and AttributeDefinitions');
  return {
    stackName,
    logicalId,
    tableName,
    keySchema: p.KeySchema as TableModel['keySchema'],
    attributeDefinitions: p.AttributeDefinitions as TableModel['attributeDefinitions'],
    ...(p.GlobalSecondaryIndexes !== undefined && { globalSecondaryIndexes: p.GlobalSecondaryIndexes as TableModel['globalSecondaryIndexes'] }),
    ...(p.LocalSecondaryIndexes !== undefined && { localSecondaryIndexes: p.LocalSecondaryIndexes as TableModel['localSecondaryIndexes'] }),
    ...(stream?.StreamViewType && { streamViewType: stream.StreamViewType }),
    ...(ttl?.Enabled && ttl.AttributeName && { timeToLiveAttribute: ttl.AttributeName }),
  };
}

/** AWS's defaults for Lambda: 3 s timeout, 128 MB. */
function lambdaFunctionModel(
  stack: StackArtifact,
  logicalId: string,
  resource: CfnResource,
  functionName: string,
  arn: string,
  p: Record<string, unknown>,
  assets: FileAsset[],
): LambdaFunctionModel {
  const where = `${stack.stackName}/${logicalId}`;
  const runtime = String(p.Runtime ?? '');
  const unsupported = runtime.startsWith('nodejs') ? undefined : `runtime ${runtime || '(none: a container image)'}; the local Lambda service runs nodejs* functions`;
  const variables = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  return {
    stackName: stack.stackName,
    logicalId,
    functionName,
    arn,
    handler: String(p.Handler ?? missing(where, 'Handler')),
    runtime,
    codeDir: unsupported ? '' : lambdaCodeDir(stack, resource, p, assets, where),
    timeoutSeconds: Number(p.Timeout ?? 3),
    memoryMb: Number(p.MemorySize ?? 128),
    environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
    ...(typeof p.Role === 'string' && { roleArn: p.Role }),
    ...(p.ReservedConcurrentExecutions !== undefined && { reservedConcurrency: Number(p.ReservedConcurrentExecutions) }),
    ...(unsupported && { unsupported }),
  };
}

/**
 * Where a function's code is: the `aws:asset:path` metadata CDK (and SAM) put on the resource,
 * relative to the assembly folder of the stack; else the S3 key of an asset in the manifest.
 */
function lambdaCodeDir(stack: StackArtifact, resource: CfnResource, p: Record<string, unknown>, assets: FileAsset[], where: string): string {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') {
    const dir = join(dirname(stack.templateFile), assetPath);
    if (!existsSync(dir)) throw new Error(`${where}: its code asset ${dir} (aws:asset:path) is missing from the cloud assembly`);
    return dir;
  }
  const code = p.Code as { S3Key?: string; ZipFile?: string } | undefined;
  const asset = code?.S3Key ? assets.find((a) => a.objectKeys.includes(code.S3Key!)) : undefined;
  if (asset) return asset.path;
  if (typeof code?.ZipFile === 'string') return inlineCodeDir(code.ZipFile);
  return missing(where, 'code the local runtime can find (aws:asset:path metadata or an S3Key of the asset manifest)');
}

/**
 * Inline code (`Code.ZipFile`) in a folder of its own, as Lambda stores it: a file named
 * index.js. The folder is named by the code's hash, so the same code reuses it.
 */
function inlineCodeDir(source: string): string {
  const dir = join(tmpdir(), 'pricestream-inline-code', createHash('sha256').update(source).digest('hex').slice(0, 16));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), source);
  return dir;
}

function eventSourceMappingModel(stackName: string, logicalId: string, uuid: string, p: Record<string, unknown>, tables: TableModel[]): EventSourceMappingModel {
  const where = `${stackName}/${logicalId}`;
  const eventSourceArn = String(p.EventSourceArn ?? missing(where, 'EventSourceArn'));
  const tableName = /^arn:aws:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\//.exec(eventSourceArn)?.[1];
  const destination = (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
  const filters = (p.FilterCriteria as { Filters?: { Pattern?: string }[] } | undefined)?.Filters ?? [];
  return {
    stackName,
    logicalId,
    uuid,
    functionName: String(p.FunctionName ?? missing(where, 'FunctionName')).replace(/^arn:aws:lambda:[^:]*:[^:]*:function:/, ''),
    eventSourceArn,
    ...(tableName && tables.some((t) => t.tableName === tableName) && { sourceTableName: tableName }),
    enabled: p.Enabled !== false,
    batchSize: Number(p.BatchSize ?? 100),
    maximumBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
    startingPosition: (p.StartingPosition as EventSourceMappingModel['startingPosition'] | undefined) ?? 'LATEST',
    maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
    bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true,
    maximumRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
    ...(destination && { onFailureDestination: destination }),
    functionResponseTypes: (p.FunctionResponseTypes as string[] | undefined) ?? [],
    filterPatterns: filters.map((f) => JSON.parse(f.Pattern ?? '{}')),
    parallelizationFactor: Number(p.ParallelizationFactor ?? 1),
  };
}

function authProvider(p: Record<string, unknown>, where: string, region: string): AuthProviderModel {
  const type = p.AuthenticationType as AuthenticationType;
  const pool = p.UserPoolConfig as { UserPoolId: string; AwsRegion?: string; AppIdClientRegex?: string; DefaultAction?: 'ALLOW' | 'DENY' } | undefined;
  const oidc = p.OpenIDConnectConfig as { Issuer: string; ClientId?: string; IatTTL?: number; AuthTTL?: number } | undefined;
  const lambda = p.LambdaAuthorizerConfig as { AuthorizerUri: string; AuthorizerResultTtlInSeconds?: number; IdentityValidationExpression?: string } | undefined;
  switch (type) {
    case 'API_KEY':
    case 'AWS_IAM':
      return { type };
    case 'AMAZON_COGNITO_USER_POOLS':
      if (!pool) missing(where, 'UserPoolConfig');
      return {
        type,
        userPool: {
          userPoolId: pool!.UserPoolId,
          region: pool!.AwsRegion ?? region,
          ...(pool!.AppIdClientRegex && { appIdClientRegex: pool!.AppIdClientRegex }),
          ...(pool!.DefaultAction && { defaultAction: pool!.DefaultAction }),
        },
      };
    case 'OPENID_CONNECT':
      if (!oidc) missing(where, 'OpenIDConnectConfig');
      return { type, openIdConnect: { issuer: oidc!.Issuer, ...(oidc!.ClientId && { clientId: oidc!.ClientId }), ...(oidc!.IatTTL && { iatTtl: oidc!.IatTTL }), ...(oidc!.AuthTTL && { authTtl: oidc!.AuthTTL }) } };
    case 'AWS_LAMBDA':
      if (!lambda) missing(where, 'LambdaAuthorizerConfig');
      return {
        type,
        lambda: {
          functionArn: lambda!.AuthorizerUri,
          ttlSeconds: lambda!.AuthorizerResultTtlInSeconds ?? 300,
          ...(lambda!.IdentityValidationExpression && { identityValidationExpression: lambda!.IdentityValidationExpression }),
        },
      };
    default:
      throw new Error(`${where}: unknown AuthenticationType ${JSON.stringify(type)}; expected API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or AWS_LAMBDA`);
  }
}

function schemaOf(
  schemas: [string, CfnResource][],
  propsOf: (id: string) => Record<string, unknown>,
  assets: FileAsset[],
  where: string,
): string {
  if (schemas.length !== 1) throw new Error(`${where}: expected one AWS::AppSync::GraphQLSchema for the API, found ${schemas.length}`);
  const props = propsOf(schemas[0]![0]);
  if (typeof props.Definition === 'string') return props.Definition;
  if (typeof props.DefinitionS3Location === 'string') return readS3Asset(props.DefinitionS3Location, assets, where);
  return missing(where, 'a schema Definition or DefinitionS3Location');
}

function codeOf(props: Record<string, unknown>, assets: FileAsset[], origin: string): CodeModel | undefined {
  if (props.RequestMappingTemplate !== undefined || props.RequestMappingTemplateS3Location !== undefined) {
    return { code: '', origin, unsupported: 'VTL mapping templates are not run by the local runtime (it runs APPSYNC_JS 1.0.0 code)' };
  }
  const runtime = props.Runtime as { Name?: string; RuntimeVersion?: string } | undefined;
  if (runtime && (runtime.Name !== 'APPSYNC_JS' || runtime.RuntimeVersion !== '1.0.0')) {
    return { code: '', origin, unsupported: `runtime ${runtime.Name} ${runtime.RuntimeVersion} is not run by the local runtime (it runs APPSYNC_JS 1.0.0)` };
  }
  if (typeof props.Code === 'string') return { code: props.Code, origin };
  if (typeof props.CodeS3Location === 'string') return { code: readS3Asset(props.CodeS3Location, assets, origin), origin };
  return undefined;
}

/** Maps an `s3://bucket/key` of an asset back to its file in the assembly. */
function readS3Asset(location: string, assets: FileAsset[], where: string): string {
  const key = location.replace(/^s3:\/\/[^/]+\//, '');
  const asset = assets.find((a) => a.objectKeys.includes(key) && a.packaging === 'file');
  if (!asset) throw new Error(`${where}: ${location} is not a file asset of the cloud assembly`);
  return readFileSync(asset.path, 'utf8');
}

function expiryOf(expires: unknown): number {
  // AppSync's default lifetime for a key without Expires is 7 days.
  return typeof expires === 'number' ? expires : Math.floor(Date.now() / 1000) + 7 * 24 * 3600;
}

function missing(where: string, what: string): never {
  throw new Error(`${where}: missing ${what}`);
}
