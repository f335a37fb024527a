/**
 * The Amplify AppSync simulator (@aws-amplify/amplify-appsync-simulator, the engine of
 * `amplify mock api`) serving the benchmark's API shape with the VTL twins of its resolvers,
 * against the DynamoDB Local and table that the runtime made (argv: endpoint, region, table).
 * (The data source spreads `options` into its DynamoDBClient, which is where SDK v3 takes
 * credentials.) It lives in this package folder because it needs graphql 15; bench/request-path.ts installs
 * it on demand and forks this file.
 */
import { readFileSync } from 'node:fs';
import { AmplifyAppSyncSimulator } from '@aws-amplify/amplify-appsync-simulator';
import { SCHEMA_FILE, VTL } from '../request-path/shape.ts';
import { tellParent, type ServerReady } from '../request-path/protocol.ts';

const [endpoint, region, tableName] = process.argv.slice(2);
if (!endpoint || !region || !tableName) throw new Error('usage: serve.ts <dynamodb endpoint> <region> <table name>');
const API_KEY = 'da2-simulator';

const templates = Object.entries(VTL).flatMap(([name, { request, response }]) => [
  { path: `${name}.req.vtl`, content: request },
  { path: `${name}.res.vtl`, content: response },
]);
const simulator = new AmplifyAppSyncSimulator({ port: 0, wsPort: 0 });
simulator.init({
  schema: { content: readFileSync(SCHEMA_FILE, 'utf8') },
  appSync: { name: 'request-path', defaultAuthenticationType: { authenticationType: 'API_KEY' }, apiKey: API_KEY, additionalAuthenticationProviders: [] },
  mappingTemplates: templates,
  dataSources: [
    { name: 'None', type: 'NONE' },
    { name: 'Markets', type: 'AMAZON_DYNAMODB', config: { endpoint, region, tableName }, options: { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } },
  ],
  functions: [1, 2, 3].map((i) => ({ name: `step${i}`, dataSourceName: 'None', requestMappingTemplateLocation: 'pipelineStep.req.vtl', responseMappingTemplateLocation: 'pipelineStep.res.vtl' })),
  resolvers: [
    { kind: 'UNIT', typeName: 'Query', fieldName: 'ping', dataSourceName: 'None', requestMappingTemplateLocation: 'ping.req.vtl', responseMappingTemplateLocation: 'ping.res.vtl' },
    { kind: 'UNIT', typeName: 'Query', fieldName: 'market', dataSourceName: 'Markets', requestMappingTemplateLocation: 'market.req.vtl', responseMappingTemplateLocation: 'market.res.vtl' },
    { kind: 'UNIT', typeName: 'Query', fieldName: 'tick', dataSourceName: 'None', requestMappingTemplateLocation: 'publish.req.vtl', responseMappingTemplateLocation: 'publish.res.vtl' },
    { kind: 'UNIT', typeName: 'Mutation', fieldName: 'publishTick', dataSourceName: 'None', requestMappingTemplateLocation: 'publish.req.vtl', responseMappingTemplateLocation: 'publish.res.vtl' },
    { kind: 'PIPELINE', typeName: 'Query', fieldName: 'pipeline', functions: ['step1', 'step2', 'step3'], requestMappingTemplateLocation: 'pipeline.req.vtl', responseMappingTemplateLocation: 'pipeline.res.vtl' },
  ],
} as never);
await simulator.start();
const http = simulator.localhostUrl;
tellParent({ type: 'ready', graphqlUrl: `${http}/graphql`, realtimeUrl: `${http.replace(/^http/, 'ws')}/graphql/realtime`, apiKey: API_KEY } satisfies ServerReady);
process.on('disconnect', () => void simulator.stop().then(() => process.exit(0)));
