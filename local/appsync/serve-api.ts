import type { DynamoDbWire } from '../dynamodb/wire-client.ts';
import type { GraphQLSchema } from 'graphql';
import { amplifyOutputs } from '../amplify-outputs.ts';
import type { AppModel, GraphqlApiModel } from '../assembly/model.ts';
import type { ApiPort } from '../http/api-ports.ts';
import { createStaticFiles } from '../http/static-files.ts';
import type { LocalCredential } from '../iam/credentials.ts';
import type { LambdaService } from '../lambda/index.ts';
import type { Authenticator } from './auth/authenticate.ts';
import { createFieldAccess } from './auth/field-access.ts';
import { authenticatorFor } from './auth/providers.ts';
import { compileResolvers } from './compile-resolvers.ts';
import { createDataSourceInvoker } from './datasources/index.ts';
import { buildAppSyncSchema } from './graphql/appsync-schema.ts';
import { createExecutor } from './graphql/execute.ts';
import { queryLimits } from './graphql/limits.ts';
import { createGraphqlHttpHandler } from './http-handler.ts';
import type { PassedChecks } from './js/index.ts';
import { createRealtimeServer } from './realtime/index.ts';
import type { RealtimeServer } from './realtime/types.ts';
import { routeRequest, routeUpgrade, type ApiEndpoint } from './routes.ts';
import { authorizeSubscription, type SubscriptionAuthority } from './subscriptions/start-subscription.ts';

export interface RealtimeTuning {
  keepAliveMs?: number;
  connectionTimeoutMs?: number;
  maxConnectionLifetimeMs?: number;
  maxSubscriptionsPerConnection?: number;
  maxPayloadBytes?: number;
}

/** What serving an API needs of the rest of the runtime. */
export interface ApiContext {
  region: string;
  accountId: string;
  model: AppModel;
  /** The data sources' DynamoDB client. */
  dynamodb: DynamoDbWire;
  lambda: LambdaService;
  credentials: LocalCredential[];
  cognito: { endpoint: string; issuerBase: string } | undefined;
  /** Keys the encrypted `nextToken`s; stable across restarts of a persistent runtime. */
  tokenSecret: string;
  /** Resolver code that passed AppSync's save-time checks in an earlier run. */
  passedChecks?: PassedChecks;
  log(line: string): void;
}

/** One definition of an API, checked and compiled as AppSync does on deploy, ready to serve. */
export interface ApiVersion {
  model: GraphqlApiModel;
  schema: GraphQLSchema;
  authority: SubscriptionAuthority;
  /** Fields whose resolver cannot run locally, with the reason they fail with. */
  unsupported: Map<string, string>;
  authenticate: Authenticator;
  outputs: Record<string, unknown>;
}

export interface RunningApi {
  model: GraphqlApiModel;
  port: number;
  graphqlUrl: string;
  realtimeUrl: string;
  realtime: RealtimeServer;
  outputs: Record<string, unknown>;
}

/** An API being served: the port's endpoint and the version it serves, both replaced on reload. */
export interface ServedApi {
  running: RunningApi;
  endpoint: ApiEndpoint;
  current: ApiVersion;
  context: ApiContext;
}

/**
 * Checks and compiles one API of the model: its schema, every resolver and function (throws
 * naming file, line and rule of code AppSync would refuse), data sources, field auth and the
 * verifiers of its auth modes.
 */
export async function prepareApiVersion(api: GraphqlApiModel, context: ApiContext): Promise<ApiVersion> {
  const { log } = context;
  const schema = buildAppSyncSchema(api.schema, `${api.stackName}/${api.logicalId}`);
  const { resolvers, unsupported } = compileResolvers(api, schema, context.passedChecks);
  for (const [field, reason] of unsupported) log(`warning: ${field} will fail when resolved: ${reason}`);
  const invoke = createDataSourceInvoker({ api, dynamodb: context.dynamodb, lambda: context.lambda.invoke, log, tokenSecret: context.tokenSecret });
  const mayResolve = createFieldAccess(schema, api.defaultAuth.type, `arn:aws:appsync:${context.region}:${context.accountId}:apis/${api.apiId}`);
  const authenticate = await authenticatorFor(api, {
    accountId: context.accountId,
    region: context.region,
    credentials: context.credentials,
    model: context.model,
    cognitoIssuerBase: context.cognito?.issuerBase,
    invokeLambda: context.lambda.invoke,
    log,
  });
  return {
    model: api,
    schema,
    authority: { mayResolve, resolvers, invoke, environmentVariables: api.environmentVariables, log },
    unsupported,
    authenticate,
    outputs: amplifyOutputs(api, context.region, context.model.userPools, context.cognito?.endpoint),
  };
}

/**
 * Serves a version of an API on its port: `POST /graphql`, the real-time endpoint, the outputs
 * file and (for the first API) the web client. The real-time server asks the API's current
 * version who is calling and whether they may subscribe, so a reload swaps both.
 */
export function serveApi(port: ApiPort, version: ApiVersion, context: ApiContext, options: { realtime?: RealtimeTuning; webRoot?: string }): ServedApi {
  const { log } = context;
  const api = version.model;
  const graphqlPath = new URL(api.graphqlUrl).pathname;
  const realtime = createRealtimeServer({
    schema: version.schema,
    graphqlPath,
    engine: {
      authenticate: (headers, signed, sourceIp) =>
        served.current.authenticate({ headers: lowerCaseKeys(headers), sourceIp, signed: { method: 'POST', path: signed.path, query: '', body: signed.body } }),
      startSubscription: (start) => authorizeSubscription(served.current.authority, start),
    },
    ...options.realtime,
    log: (event, detail) => log(`realtime ${event} ${JSON.stringify(detail)}`),
  });
  const endpoint: ApiEndpoint = {
    graphqlPath,
    graphqlUrl: api.graphqlUrl,
    realtimeUrl: api.realtimeUrl,
    graphql: graphqlHandler(version, realtime, log),
    realtime,
    outputs: version.outputs,
    ...(options.webRoot && { web: createStaticFiles(options.webRoot) }),
    log,
  };
  port.handlers.request = (req, res) => routeRequest(endpoint, req, res);
  port.handlers.upgrade = (req, socket, head) => routeUpgrade(endpoint, req, socket, head);
  // The engine's closures read `served` only once connections arrive, after it is set.
  const served: ServedApi = {
    current: version,
    endpoint,
    context,
    running: { model: api, port: port.server.port, graphqlUrl: api.graphqlUrl, realtimeUrl: api.realtimeUrl, realtime, outputs: version.outputs },
  };
  log(`AppSync API ${api.name}: ${api.graphqlUrl} (real-time ${api.realtimeUrl}), ${version.authority.resolvers.size} resolvers`);
  return served;
}

/**
 * Serves a new version of a served API: new requests run on it at once; open WebSocket
 * connections stay, and each subscription is kept if it still validates against the new schema.
 */
export function swapApiVersion(served: ServedApi, version: ApiVersion): void {
  served.current = version;
  served.endpoint.graphql = graphqlHandler(version, served.endpoint.realtime, served.context.log);
  served.endpoint.outputs = version.outputs;
  served.running.model = version.model;
  served.running.outputs = version.outputs;
  served.endpoint.realtime.replaceSchema(version.schema);
}

function graphqlHandler(version: ApiVersion, realtime: RealtimeServer, log: (line: string) => void): ApiEndpoint['graphql'] {
  const executor = createExecutor({
    schema: version.schema,
    resolvers: version.authority.resolvers,
    unsupported: version.unsupported,
    invoke: version.authority.invoke,
    mayResolve: version.authority.mayResolve,
    environmentVariables: version.model.environmentVariables,
    limits: queryLimits(version.model.limits),
    publish: (field, value) => realtime.publish(field, value),
    invalidate: (field, payload) => realtime.invalidate(field, payload),
    log,
  });
  return createGraphqlHttpHandler(version.authenticate, executor.execute);
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
