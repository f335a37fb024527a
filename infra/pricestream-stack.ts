import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
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

/** Default conflation window of price-engine (PRICE_CONFLATION_WINDOW_MS); 0 publishes every version. */
export const DEFAULT_PRICE_CONFLATION_WINDOW_MS = 250;
/** The CDK context key that sets it: `cdk synth -c priceConflationWindowMs=100`. */
export const PRICE_CONFLATION_WINDOW_CONTEXT = 'priceConflationWindowMs';
/** The heartbeat's interval (schema: Heartbeat.intervalSeconds). */
export const HEARTBEAT_INTERVAL_SECONDS = 3;

export interface PricestreamStackProps extends StackProps {
  /** price-engine's conflation window in ms; default the context value `priceConflationWindowMs`, else 250. */
  priceConflationWindowMs?: number;
}

/** The window from the prop, else the context value, else the default; whole ms from 0 to 10 000. */
export function conflationWindowOf(scope: Construct, props: PricestreamStackProps): number {
  const raw: unknown = props.priceConflationWindowMs ?? scope.node.tryGetContext(PRICE_CONFLATION_WINDOW_CONTEXT) ?? DEFAULT_PRICE_CONFLATION_WINDOW_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 10_000) {
    throw new Error(`PricestreamStack: ${PRICE_CONFLATION_WINDOW_CONTEXT} must be whole milliseconds from 0 (off) to 10000, got ${JSON.stringify(raw)}`);
  }
  return value;
}

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
  readonly heartbeat: PricestreamFunction;
  readonly eventPublisher: PricestreamFunction;
  readonly priceStream: StreamConsumer;
  readonly jobStream: StreamConsumer;
  readonly eventStream: StreamConsumer;
  readonly heartbeatRule: Rule;
  readonly callerRoles: CallerRoles;

  constructor(scope: Construct, id: string, props: PricestreamStackProps = {}) {
    const { priceConflationWindowMs: _window, ...stackProps } = props;
    super(scope, id, { description: 'Pricestream: live pricing GraphQL API (AppSync, DynamoDB, Lambda, Cognito)', ...stackProps });
    const conflationWindowMs = conflationWindowOf(scope, props);
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
        MARKETS_TABLE: tables.markets.tableName,
        PUBLICATIONS_TABLE: tables.publications.tableName,
        GRAPHQL_URL: graphqlUrl,
        PRICE_HISTORY_TTL_DAYS: String(PRICE_HISTORY_TTL_DAYS),
        PRICE_CONFLATION_WINDOW_MS: String(conflationWindowMs),
      },
    });
    tables.prices.grantReadWriteData(this.priceEngine.function);
    tables.publications.grantReadWriteData(this.priceEngine.function);
    // After waiting out a conflation window it reads the market as it is by then.
    tables.markets.grantReadData(this.priceEngine.function);
    // Latency is the product: records go to price-engine as soon as they are read. Ten lanes per
    // shard: a market's records stay in order in its lane, so while a batch waits out one
    // market's window only that lane's next batch gathers, and the other lanes' markets publish
    // meanwhile (feed → subscriber p50 at ~80 msg/s: 181 → 79 ms, bench/results/feed-ingest.md).
    // Large batches, since conflation turns a market's many records into one publication
    // (docs/live-state.md).
    this.priceStream = new StreamConsumer(this, 'PriceEngineStream', {
      table: tables.markets,
      consumer: this.priceEngine,
      batchSize: 1000,
      parallelizationFactor: 10,
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

    this.heartbeat = new PricestreamFunction(this, 'Heartbeat', {
      name: 'heartbeat',
      description: 'Publishes publishHeartbeat every 3 s for a minute (each market\'s last published version); run every minute',
      // Runs a minute of beats; 128 MB is plenty for a scan and a signed request every 3 s.
      timeout: Duration.seconds(70),
      memorySize: 128,
      environment: {
        PUBLICATIONS_TABLE: tables.publications.tableName,
        GRAPHQL_URL: graphqlUrl,
        HEARTBEAT_INTERVAL_SECONDS: String(HEARTBEAT_INTERVAL_SECONDS),
        HEARTBEAT_RUN_SECONDS: '60',
      },
    });
    tables.publications.grantReadData(this.heartbeat.function);
    // One invocation a minute, beating for that minute (EventBridge schedules go no finer).
    this.heartbeatRule = new Rule(this, 'HeartbeatSchedule', {
      description: 'Starts the heartbeat function every minute; it publishes every 3 s for that minute',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.heartbeat.function, { retryAttempts: 0 })],
    });

    this.eventPublisher = new PricestreamFunction(this, 'EventPublisher', {
      name: 'event-publisher',
      description: 'Publishes publishEventUpdate for events created or changed (EventsTable stream)',
      timeout: Duration.seconds(30),
      memorySize: 128,
      environment: { GRAPHQL_URL: graphqlUrl },
    });
    this.eventStream = new StreamConsumer(this, 'EventPublisherStream', {
      table: tables.events,
      consumer: this.eventPublisher,
      batchSize: 100,
      maxRecordAge: Duration.hours(1),
    });

    for (const publisher of [this.priceEngine, this.jobRunner]) {
      this.api.api.grantMutation(publisher.function, 'publishPriceUpdate', 'publishJobUpdate');
    }
    this.api.api.grantMutation(this.heartbeat.function, 'publishHeartbeat');
    this.api.api.grantMutation(this.eventPublisher.function, 'publishEventUpdate');
    this.callerRoles = createCallerRoles(this, this.api.api);

    new CfnOutput(this, 'GraphQLUrl', { value: graphqlUrl, description: 'GraphQL endpoint' });
    new CfnOutput(this, 'ApiKey', { value: this.api.api.apiKey!, description: 'API key of read-only price boards' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });

    applyNagSuppressions(this);
  }
}
