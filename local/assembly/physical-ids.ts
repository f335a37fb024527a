import { createHash } from 'node:crypto';
import type { CfnResource } from './cloud-assembly.ts';

/** The deploy-time facts the local services give a stack, as CloudFormation would. */
export interface LocalEnvironment {
  region: string;
  accountId: string;
  /** Base URL of the local AppSync server of one GraphQL API, e.g. `http://localhost:4000`. */
  appsyncBaseUrl(stackName: string, logicalId: string): string;
  /** Deterministic per state folder, so API key values survive restarts. */
  secretSeed: string;
  /** The local user-pool service: its token issuer base and the ids it gave pools and clients. */
  cognito?: { issuerBase: string; pools: Record<string, string>; clients: Record<string, string> };
}

export interface ResourceIdentity {
  ref: string;
  attributes: Record<string, string>;
}

type IdentityRule = (input: { stackName: string; logicalId: string; resource: CfnResource; props: () => Record<string, unknown>; env: LocalEnvironment }) => ResourceIdentity;

/** Lower-case alphanumerics derived from a name, so ids are stable across restarts. */
export function stableId(seed: string, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[digest[i % digest.length]! % alphabet.length];
  return id;
}

const arn = (env: LocalEnvironment, service: string, resource: string, region = env.region) =>
  `arn:aws:${service}:${region}:${env.accountId}:${resource}`;

const named = (props: Record<string, unknown>, key: string, fallback: string) =>
  typeof props[key] === 'string' ? (props[key] as string) : fallback;

/** A resource type the runtime does not know: its `Ref` is a stable name; it has no attributes. */
export const placeholderIdentity: IdentityRule = ({ stackName, logicalId }) => ({ ref: `${stackName}-${logicalId}`, attributes: {} });

/**
 * What `Ref` and `Fn::GetAtt` return for each resource type the runtime understands.
 * A type missing here is reported by name when the assembly is read.
 */
export const identityRules: Record<string, IdentityRule> = {
  'AWS::AppSync::GraphQLApi': ({ stackName, logicalId, env }) => {
    const apiId = stableId(`${stackName}/${logicalId}`, 26);
    const baseUrl = env.appsyncBaseUrl(stackName, logicalId);
    const url = new URL(baseUrl);
    const apiArn = arn(env, 'appsync', `apis/${apiId}`);
    return {
      ref: apiArn,
      attributes: {
        ApiId: apiId,
        Arn: apiArn,
        GraphQLUrl: `${baseUrl}/graphql`,
        GraphQLDns: url.host,
        RealTimeUrl: `${baseUrl.replace(/^http/, 'ws')}/graphql/realtime`,
        RealTimeDns: url.host,
        GraphQLEndpointArn: apiArn,
      },
    };
  },
  'AWS::AppSync::GraphQLSchema': ({ stackName, logicalId }) => ({ ref: `${stackName}-${logicalId}`, attributes: {} }),
  'AWS::AppSync::ApiKey': ({ stackName, logicalId, env }) => {
    const value = `da2-${stableId(`${env.secretSeed}/${stackName}/${logicalId}`, 26)}`;
    return { ref: value, attributes: { ApiKey: value, ApiKeyId: value, Arn: arn(env, 'appsync', `apikeys/${value}`) } };
  },
  'AWS::AppSync::DataSource': ({ props, env }) => {
    const name = String(props().Name);
    const dsArn = arn(env, 'appsync', `datasources/${name}`);
    return { ref: dsArn, attributes: { Name: name, DataSourceArn: dsArn } };
  },
  'AWS::AppSync::FunctionConfiguration': ({ stackName, logicalId, props, env }) => {
    const functionId = stableId(`${stackName}/${logicalId}`, 26);
    const fnArn = arn(env, 'appsync', `functions/${functionId}`);
    return { ref: fnArn, attributes: { FunctionId: functionId, FunctionArn: fnArn, Name: String(props().Name), DataSourceName: String(props().DataSourceName) } };
  },
  'AWS::AppSync::Resolver': ({ props, env }) => {
    const p = props();
    const resolverArn = arn(env, 'appsync', `types/${String(p.TypeName)}/resolvers/${String(p.FieldName)}`);
    return { ref: resolverArn, attributes: { ResolverArn: resolverArn, TypeName: String(p.TypeName), FieldName: String(p.FieldName) } };
  },
  'AWS::DynamoDB::Table': ({ stackName, logicalId, props, env }) => {
    const name = named(props(), 'TableName', `${stackName}-${logicalId}`);
    const tableArn = arn(env, 'dynamodb', `table/${name}`);
    // The real stream label is known once DynamoDB Local creates the table; this one is stable.
    return { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/1970-01-01T00:00:00.000` } };
  },
  'AWS::Cognito::UserPool': ({ stackName, logicalId, env }) => {
    const poolId = env.cognito?.pools[logicalId] ?? `${env.region}_${stableId(`${stackName}/${logicalId}`, 9)}`;
    const providerUrl = env.cognito ? `${env.cognito.issuerBase}/${poolId}` : `https://cognito-idp.${env.region}.amazonaws.com/${poolId}`;
    return {
      ref: poolId,
      attributes: {
        Arn: arn(env, 'cognito-idp', `userpool/${poolId}`),
        ProviderName: providerUrl.replace(/^https?:\/\//, ''),
        ProviderURL: providerUrl,
        UserPoolId: poolId,
      },
    };
  },
  'AWS::Cognito::UserPoolClient': ({ stackName, logicalId, env }) => {
    const clientId = env.cognito?.clients[logicalId] ?? stableId(`${stackName}/${logicalId}`, 26);
    return { ref: clientId, attributes: { ClientId: clientId, Name: logicalId } };
  },
  'AWS::Cognito::UserPoolGroup': ({ stackName, logicalId, props }) => ({ ref: named(props(), 'GroupName', `${stackName}-${logicalId}`), attributes: {} }),
  'AWS::IAM::Role': ({ stackName, logicalId, props, env }) => {
    const name = named(props(), 'RoleName', `${stackName}-${logicalId}`);
    return { ref: name, attributes: { Arn: `arn:aws:iam::${env.accountId}:role/${name}`, RoleId: `AROA${stableId(name, 17).toUpperCase()}` } };
  },
  'AWS::IAM::Policy': ({ stackName, logicalId, props }) => ({ ref: named(props(), 'PolicyName', `${stackName}-${logicalId}`), attributes: {} }),
  'AWS::IAM::ManagedPolicy': ({ stackName, logicalId, props, env }) => ({
    ref: `arn:aws:iam::${env.accountId}:policy/${named(props(), 'ManagedPolicyName', `${stackName}-${logicalId}`)}`,
    attributes: {},
  }),
  'AWS::Lambda::Function': ({ stackName, logicalId, props, env }) => {
    const name = named(props(), 'FunctionName', `${stackName}-${logicalId}`);
    return { ref: name, attributes: { Arn: arn(env, 'lambda', `function:${name}`) } };
  },
  'AWS::Lambda::Permission': ({ stackName, logicalId }) => ({ ref: `${stackName}-${logicalId}`, attributes: {} }),
  'AWS::Events::Rule': ({ stackName, logicalId, props, env }) => {
    const name = named(props(), 'Name', `${stackName}-${logicalId}`);
    return { ref: name, attributes: { Arn: arn(env, 'events', `rule/${name}`) } };
  },
  'AWS::Lambda::EventSourceMapping': ({ stackName, logicalId }) => ({ ref: stableId(`${stackName}/${logicalId}`, 36), attributes: {} }),
  'AWS::SQS::Queue': ({ stackName, logicalId, props, env }) => {
    const name = named(props(), 'QueueName', `${stackName}-${logicalId}`);
    return {
      ref: `http://localhost/${env.accountId}/${name}`,
      attributes: { Arn: arn(env, 'sqs', name), QueueName: name, QueueUrl: `http://localhost/${env.accountId}/${name}` },
    };
  },
  'AWS::SQS::QueuePolicy': ({ stackName, logicalId }) => ({ ref: `${stackName}-${logicalId}`, attributes: {} }),
  'AWS::SNS::Topic': ({ stackName, logicalId, props, env }) => {
    const name = named(props(), 'TopicName', `${stackName}-${logicalId}`);
    return { ref: arn(env, 'sns', name), attributes: { TopicArn: arn(env, 'sns', name), TopicName: name } };
  },
  'AWS::CloudWatch::Alarm': ({ stackName, logicalId, props, env }) => {
    const name = named(props(), 'AlarmName', `${stackName}-${logicalId}`);
    return { ref: name, attributes: { Arn: arn(env, 'cloudwatch', `alarm:${name}`) } };
  },
  'AWS::Logs::LogGroup': ({ stackName, logicalId, props, env }) => {
    const name = named(props(), 'LogGroupName', `/aws/${stackName}/${logicalId}`);
    return { ref: name, attributes: { Arn: arn(env, 'logs', `log-group:${name}:*`) } };
  },
  'AWS::CDK::Metadata': ({ logicalId }) => ({ ref: logicalId, attributes: {} }),
};
