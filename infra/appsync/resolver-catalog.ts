/**
 * Every resolver and pipeline function of the API: which handler file, which data source. The
 * stack wires them, `npm run build` bundles them, and the tests find them here, so a resolver
 * added in one place is added everywhere.
 */

/** The API's data sources, by the name AppSync knows them by. */
export const DATA_SOURCES = {
  events: 'Events',
  markets: 'Markets',
  prices: 'Prices',
  jobs: 'Jobs',
  ingestFeed: 'IngestFeed',
  none: 'None',
} as const;

export type DataSourceKey = keyof typeof DATA_SOURCES;

export interface PipelineFunctionSpec {
  /** AppSync function name ([_A-Za-z][_0-9A-Za-z]*). */
  name: string;
  dataSource: DataSourceKey;
  /** Handler file, relative to the project root. */
  entry: string;
}

export interface UnitResolverSpec {
  kind: 'UNIT';
  typeName: string;
  fieldName: string;
  dataSource: DataSourceKey;
  entry: string;
}

export interface PipelineResolverSpec {
  kind: 'PIPELINE';
  typeName: string;
  fieldName: string;
  /** The before/after handlers. */
  entry: string;
  functions: string[];
}

export type ResolverSpec = UnitResolverSpec | PipelineResolverSpec;

const fn = (name: string, dataSource: DataSourceKey): PipelineFunctionSpec => ({ name, dataSource, entry: `resolvers/functions/${name}.ts` });

export const PIPELINE_FUNCTIONS: PipelineFunctionSpec[] = [
  fn('validateJobParams', 'none'),
  fn('checkJobEvent', 'events'),
  fn('checkJobMarket', 'markets'),
  fn('createJob', 'jobs'),
  fn('getJob', 'jobs'),
  fn('authorizeJobOwner', 'none'),
  fn('requestJobCancel', 'jobs'),
];

const unit = (typeName: string, fieldName: string, dataSource: DataSourceKey): UnitResolverSpec => ({
  kind: 'UNIT',
  typeName,
  fieldName,
  dataSource,
  entry: `resolvers/${typeName}.${fieldName}.ts`,
});

const pipeline = (typeName: string, fieldName: string, functions: string[]): PipelineResolverSpec => ({
  kind: 'PIPELINE',
  typeName,
  fieldName,
  entry: `resolvers/${typeName}.${fieldName}.ts`,
  functions,
});

export const RESOLVERS: ResolverSpec[] = [
  unit('Query', 'event', 'events'),
  unit('Query', 'events', 'events'),
  unit('Query', 'market', 'markets'),
  unit('Query', 'priceHistory', 'prices'),
  unit('Query', 'job', 'jobs'),
  unit('Query', 'myJobs', 'jobs'),
  unit('Event', 'markets', 'markets'),
  unit('Market', 'selections', 'prices'),
  unit('Mutation', 'ingestFeed', 'ingestFeed'),
  unit('Mutation', 'setMargin', 'markets'),
  unit('Mutation', 'setMarketStatus', 'markets'),
  pipeline('Mutation', 'startJob', ['validateJobParams', 'checkJobEvent', 'checkJobMarket', 'createJob']),
  pipeline('Mutation', 'cancelJob', ['getJob', 'authorizeJobOwner', 'requestJobCancel']),
  unit('Mutation', 'publishPriceUpdate', 'none'),
  unit('Mutation', 'publishJobUpdate', 'none'),
  unit('Mutation', 'publishHeartbeat', 'none'),
  unit('Mutation', 'publishEventUpdate', 'none'),
  unit('Subscription', 'onPriceUpdate', 'none'),
  unit('Subscription', 'onJobUpdate', 'none'),
  unit('Subscription', 'onHeartbeat', 'none'),
  unit('Subscription', 'onEventUpdate', 'none'),
];

export function pipelineFunction(name: string): PipelineFunctionSpec {
  const spec = PIPELINE_FUNCTIONS.find((f) => f.name === name);
  if (!spec) throw new Error(`no pipeline function ${name} in infra/appsync/resolver-catalog.ts; known: ${PIPELINE_FUNCTIONS.map((f) => f.name).join(', ')}`);
  return spec;
}

export function resolverSpec(typeName: string, fieldName: string): ResolverSpec {
  const spec = RESOLVERS.find((r) => r.typeName === typeName && r.fieldName === fieldName);
  if (!spec) throw new Error(`no resolver for ${typeName}.${fieldName} in infra/appsync/resolver-catalog.ts`);
  return spec;
}
