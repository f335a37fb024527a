import type { GraphqlApiModel } from '../model.ts';
import { missing, type StackScope } from '../stack-scope.ts';
import { authProvider } from './appsync-auth.ts';
import { codeOf, schemaOf } from './appsync-code.ts';
import type { ResourceReader } from './types.ts';

/** An API with everything that names it: schema, API keys, data sources, pipeline functions, resolvers. */
export const appsyncApiReader: ResourceReader = {
  type: 'AWS::AppSync::GraphQLApi',
  parts: ['AWS::AppSync::GraphQLSchema', 'AWS::AppSync::ApiKey', 'AWS::AppSync::DataSource', 'AWS::AppSync::FunctionConfiguration', 'AWS::AppSync::Resolver'],
  read(stack, logicalId, model) {
    const { stackName, env, assets } = stack;
    const props = stack.propsOf(logicalId);
    const attrs = stack.identity(logicalId, logicalId).attributes;
    const apiId = attrs.ApiId!;
    const ofApi = (type: string) => stack.ofType(type).filter(([id]) => stack.propsOf(id).ApiId === apiId);
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
      schema: schemaOf(ofApi('AWS::AppSync::GraphQLSchema'), stack.propsOf, assets, `${stackName}/${logicalId}`),
      apiKeys: ofApi('AWS::AppSync::ApiKey').map(([id]) => ({ logicalId: id, value: stack.ref(id), expires: expiryOf(stack.propsOf(id).Expires) })),
      dataSources: new Map(),
      functions: new Map(),
      resolvers: [],
      environmentVariables: (props.EnvironmentVariables as Record<string, string> | undefined) ?? {},
      limits: { queryDepthLimit: Number(props.QueryDepthLimit ?? 0), resolverCountLimit: Number(props.ResolverCountLimit ?? 0), introspection: props.IntrospectionConfig === 'DISABLED' ? 'DISABLED' : 'ENABLED' },
    };
    for (const [id] of ofApi('AWS::AppSync::DataSource')) addDataSource(stack, id, api);
    for (const [id] of ofApi('AWS::AppSync::FunctionConfiguration')) addPipelineFunction(stack, id, api);
    for (const [id] of ofApi('AWS::AppSync::Resolver')) addResolver(stack, id, api);
    model.apis.push(api);
  },
};

function addDataSource(stack: StackScope, logicalId: string, api: GraphqlApiModel): void {
  const ds = stack.propsOf(logicalId);
  const name = String(ds.Name);
  const dynamo = ds.DynamoDBConfig as { TableName: string; AwsRegion?: string } | undefined;
  const lambda = ds.LambdaConfig as { LambdaFunctionArn: string } | undefined;
  api.dataSources.set(name, {
    name,
    type: String(ds.Type),
    ...(dynamo && { dynamodb: { tableName: dynamo.TableName, region: dynamo.AwsRegion ?? stack.env.region } }),
    ...(lambda && { lambda: { functionArn: lambda.LambdaFunctionArn } }),
  });
}

function addPipelineFunction(stack: StackScope, logicalId: string, api: GraphqlApiModel): void {
  const fn = stack.propsOf(logicalId);
  const functionId = stack.identity(logicalId, logicalId).attributes.FunctionId!;
  const origin = `${stack.stackName}/${logicalId} (function ${String(fn.Name)})`;
  api.functions.set(functionId, {
    functionId,
    name: String(fn.Name),
    dataSourceName: String(fn.DataSourceName),
    code: codeOf(fn, stack.assets, origin) ?? missing(origin, 'Code or CodeS3Location'),
    maxBatchSize: Number(fn.MaxBatchSize ?? 0),
  });
}

/** Read after the data sources: only a resolver on a Lambda data source may have no code. */
function addResolver(stack: StackScope, logicalId: string, api: GraphqlApiModel): void {
  const r = stack.propsOf(logicalId);
  const origin = `${stack.stackName}/${logicalId} (${String(r.TypeName)}.${String(r.FieldName)})`;
  const kind = r.Kind === 'PIPELINE' ? 'PIPELINE' : 'UNIT';
  const code = codeOf(r, stack.assets, origin);
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

function expiryOf(expires: unknown): number {
  // AppSync's default lifetime for a key without Expires is 7 days.
  return typeof expires === 'number' ? expires : Math.floor(Date.now() / 1000) + 7 * 24 * 3600;
}
