import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { createCallerRoles, type CallerRoles } from './access/roles.ts';
import { PricestreamApi } from './appsync/pricestream-api.ts';
import { UserDirectory } from './auth/user-directory.ts';
import { PricestreamFunction } from './compute/pricestream-function.ts';
import { StreamConsumer } from './compute/stream-consumer.ts';
import { createTables, type PricestreamTables } from './data/tables.ts';
import { applyNagSuppressions } from './nag-suppressions.ts';

/** Days a PriceUpdate stays in PricesTable (its TTL), read by price-engine. */
export const PRICE_HISTORY_TTL_DAYS = 30;

/**
 * Pricestream: the GraphQL API, its user pool and tables, the pricing pipeline's functions with
 * their stream mappings and failure queues, the caller roles and the alarms. Env-agnostic (no
 * lookups), so it synthesizes offline.
 */
export class PricestreamStack extends Stack {
  readonly tables: PricestreamTables;
  readonly users: UserDirectory;
  readonly api: PricestreamApi;
  readonly ingestFeed: PricestreamFunction;
  readonly priceEngine: PricestreamFunction;
  readonly jobRunner: PricestreamFunction;
  readonly priceStream: StreamConsumer;
  readonly jobStream: StreamConsumer;
  readonly callerRoles: CallerRoles;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Pricestream: live pricing GraphQL API (AppSync, DynamoDB, Lambda, Cognito)', ...props });
    const tables = (this.tables = createTables(this));
    this.users = new UserDirectory(this, 'Users');

    this.ingestFeed = new PricestreamFunction(this, 'IngestFeed', {
      name: 'ingest-feed',
      description: 'Validates and applies partner feed batches idempotently (Mutation.ingestFeed)',
      timeout: Duration.seconds(30),
      environment: {
        EVENTS_TABLE: tables.events.tableName,
        MARKETS_TABLE: tables.markets.tableName,
        FEED_MESSAGES_TABLE: tables.feedMessages.tableName,
      },
    });
    tables.events.grantReadWriteData(this.ingestFeed.function);
    tables.markets.grantReadWriteData(this.ingestFeed.function);
    tables.feedMessages.grantReadWriteData(this.ingestFeed.function);

    this.api = new PricestreamApi(this, 'Api', { userPool: this.users.userPool, userPoolClient: this.users.client, tables, ingestFeedFunction: this.ingestFeed.function });
    const graphqlUrl = this.api.api.graphqlUrl;

    this.priceEngine = new PricestreamFunction(this, 'PriceEngine', {
      name: 'price-engine',
      description: 'Prices changed markets from the MarketsTable stream and publishes publishPriceUpdate',
      timeout: Duration.seconds(30),
      environment: {
        PRICES_TABLE: tables.prices.tableName,
        GRAPHQL_URL: graphqlUrl,
        PRICE_HISTORY_TTL_DAYS: String(PRICE_HISTORY_TTL_DAYS),
      },
    });
    // It reads markets only from the stream (granted by the event source), so no table read.
    tables.prices.grantReadWriteData(this.priceEngine.function);
    // Latency is the product: records go to price-engine as soon as they are read.
    this.priceStream = new StreamConsumer(this, 'PriceEngineStream', {
      table: tables.markets,
      consumer: this.priceEngine,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(0),
      maxRecordAge: Duration.hours(1),
    });

    this.jobRunner = new PricestreamFunction(this, 'JobRunner', {
      name: 'job-runner',
      description: 'Runs jobs inserted into JobsTable and publishes their progress (publishJobUpdate)',
      timeout: Duration.minutes(5),
      environment: {
        EVENTS_TABLE: tables.events.tableName,
        MARKETS_TABLE: tables.markets.tableName,
        PRICES_TABLE: tables.prices.tableName,
        JOBS_TABLE: tables.jobs.tableName,
        GRAPHQL_URL: graphqlUrl,
      },
    });
    tables.events.grantReadData(this.jobRunner.function);
    tables.markets.grantReadWriteData(this.jobRunner.function);
    tables.prices.grantReadData(this.jobRunner.function);
    tables.jobs.grantReadWriteData(this.jobRunner.function);
    // One job per invocation (a job may take minutes); jobs of different ids run side by side.
    this.jobStream = new StreamConsumer(this, 'JobRunnerStream', {
      table: tables.jobs,
      consumer: this.jobRunner,
      batchSize: 1,
      parallelizationFactor: 10,
      maxRecordAge: Duration.days(1),
      filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
    });

    for (const publisher of [this.priceEngine, this.jobRunner]) {
      this.api.api.grantMutation(publisher.function, 'publishPriceUpdate', 'publishJobUpdate');
    }
    this.callerRoles = createCallerRoles(this, this.api.api);

    new CfnOutput(this, 'GraphQLUrl', { value: graphqlUrl, description: 'GraphQL endpoint' });
    new CfnOutput(this, 'ApiKey', { value: this.api.api.apiKey!, description: 'API key of read-only price boards' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });

    applyNagSuppressions(this);
  }
}
