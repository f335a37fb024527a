/** The benchmark's API as a CDK stack, for the local runtime: it runs synthesized assemblies. */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AppsyncFunction, AuthorizationType, Code, Definition, FunctionRuntime, GraphqlApi, Resolver } from 'aws-cdk-lib/aws-appsync';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { JS, SCHEMA_FILE, TABLE_LOGICAL_ID } from './shape.ts';

/** Synthesizes the stack into `outdir` and returns it. */
export function synthRequestPathApp(outdir: string): string {
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'RequestPathBench');
  const table = new Table(stack, TABLE_LOGICAL_ID, {
    partitionKey: { name: 'id', type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const api = new GraphqlApi(stack, 'Api', {
    name: 'request-path',
    definition: Definition.fromFile(SCHEMA_FILE),
    authorizationConfig: { defaultAuthorization: { authorizationType: AuthorizationType.API_KEY } },
  });
  const none = api.addNoneDataSource('None');
  const markets = api.addDynamoDbDataSource('MarketsSource', table);
  const unit = (typeName: string, fieldName: string, code: string, dataSource = none) =>
    new Resolver(stack, `${typeName}${fieldName}`, { api, typeName, fieldName, dataSource, runtime: FunctionRuntime.JS_1_0_0, code: Code.fromInline(code) });
  unit('Query', 'ping', JS.ping);
  unit('Query', 'market', JS.market, markets);
  unit('Query', 'tick', JS.publish);
  unit('Mutation', 'publishTick', JS.publish);
  const steps = [1, 2, 3].map(
    (i) => new AppsyncFunction(stack, `Step${i}`, { api, name: `step${i}`, dataSource: none, runtime: FunctionRuntime.JS_1_0_0, code: Code.fromInline(JS.pipelineStep) }),
  );
  new Resolver(stack, 'Querypipeline', { api, typeName: 'Query', fieldName: 'pipeline', pipelineConfig: steps, runtime: FunctionRuntime.JS_1_0_0, code: Code.fromInline(JS.pipeline) });
  app.synth();
  return outdir;
}
