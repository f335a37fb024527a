import type { CloudAssembly } from './cloud-assembly.ts';
import { resolveIntrinsics } from './intrinsics.ts';
import { identityRules, type LocalEnvironment } from './physical-ids.ts';
import type { ScheduleRuleModel } from '../schedules/rule-model.ts';
import { EMULATED_TYPES, RESOURCE_READERS } from './readers/registry.ts';
import { stackScope } from './stack-scope.ts';

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
  /** QueryDepthLimit, ResolverCountLimit, IntrospectionConfig (0 / absent: AppSync's defaults). */
  limits?: { queryDepthLimit: number; resolverCountLimit: number; introspection: 'ENABLED' | 'DISABLED' };
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

/**
 * Builds the typed model of everything the local runtime runs from a cloud assembly,
 * resolving intrinsics with the identities the local services give each resource; each
 * resource type has its reader (`readers/registry.ts`).
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
  for (const stack of assembly.stacks) {
    const { stackName, template } = stack;
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (!identityRules[resource.Type]) model.unrecognized.push({ stackName, logicalId, type: resource.Type });
      else if (!EMULATED_TYPES.has(resource.Type)) model.inert.push({ stackName, logicalId, type: resource.Type });
    }
    const scope = stackScope(stack, assembly.assets, env);
    for (const reader of RESOURCE_READERS) {
      for (const [logicalId] of scope.ofType(reader.type)) reader.read(scope, logicalId, model);
    }
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      model.outputs[name] = resolveIntrinsics(output.Value, scope.intrinsics, `${stackName}/Outputs.${name}`);
    }
  }
  return model;
}
