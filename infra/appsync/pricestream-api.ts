import { Duration, Expiration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AppsyncFunction,
  AuthorizationType,
  BaseDataSource,
  CfnGraphQLApi,
  Definition,
  DynamoDbDataSource,
  FieldLogLevel,
  FunctionRuntime,
  GraphqlApi,
  type Resolver,
} from 'aws-cdk-lib/aws-appsync';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { PricestreamTables } from '../data/tables.ts';
import { SCHEMA_FILE } from '../paths.ts';
import { DATA_SOURCES, PIPELINE_FUNCTIONS, RESOLVERS, pipelineFunction, type DataSourceKey } from './resolver-catalog.ts';
import { resolverCode } from './resolver-code.ts';

export interface PricestreamApiProps {
  userPool: IUserPool;
  /** The app client whose tokens the API accepts (AppSync's AppIdClientRegex); other clients of the pool are refused. */
  userPoolClient: IUserPoolClient;
  tables: PricestreamTables;
  ingestFeedFunction: IFunction;
  /** Lifetime of the read-only API key of anonymous price boards. Default 365 days. */
  apiKeyLifetime?: Duration;
  /** Default one month. */
  logRetention?: RetentionDays;
}

/**
 * The GraphQL API of schema/schema.graphql: Cognito user pools by default, IAM (partner feeds,
 * publishers) and an API key (price boards) as additional modes; X-Ray and error-level field
 * logs; the data sources and APPSYNC_JS resolvers of resolvers/ (resolver-catalog.ts).
 */
export class PricestreamApi extends Construct {
  readonly api: GraphqlApi;
  readonly dataSources: Record<DataSourceKey, BaseDataSource>;
  readonly resolvers: Resolver[];

  constructor(scope: Construct, id: string, props: PricestreamApiProps) {
    super(scope, id);
    this.api = new GraphqlApi(this, 'GraphqlApi', {
      name: `${Stack.of(this).stackName}-api`,
      definition: Definition.fromFile(SCHEMA_FILE),
      authorizationConfig: {
        defaultAuthorization: { authorizationType: AuthorizationType.USER_POOL, userPoolConfig: { userPool: props.userPool, appIdClientRegex: props.userPoolClient.userPoolClientId } },
        additionalAuthorizationModes: [
          { authorizationType: AuthorizationType.IAM },
          {
            authorizationType: AuthorizationType.API_KEY,
            apiKeyConfig: { description: 'Read-only price boards', expires: Expiration.after(props.apiKeyLifetime ?? Duration.days(365)) },
          },
        ],
      },
      xrayEnabled: true,
    });
    this.configureLogging(props.logRetention ?? RetentionDays.ONE_MONTH);

    const { tables } = props;
    const markets = this.tableDataSource('markets', tables.markets);
    const jobs = this.tableDataSource('jobs', tables.jobs);
    // Least privilege: reads everywhere; markets are only updated (trader mutations), jobs put and updated.
    tables.markets.grant(markets, 'dynamodb:UpdateItem');
    tables.jobs.grant(jobs, 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.dataSources = {
      events: this.tableDataSource('events', tables.events),
      markets,
      prices: this.tableDataSource('prices', tables.prices),
      jobs,
      ingestFeed: this.api.addLambdaDataSource('IngestFeedDataSource', props.ingestFeedFunction, { name: DATA_SOURCES.ingestFeed }),
      none: this.api.addNoneDataSource('NoneDataSource', { name: DATA_SOURCES.none }),
    };

    const functions = new Map(
      PIPELINE_FUNCTIONS.map((spec) => [
        spec.name,
        new AppsyncFunction(this, `${spec.name}Function`, {
          api: this.api,
          name: spec.name,
          dataSource: this.dataSources[spec.dataSource],
          runtime: FunctionRuntime.JS_1_0_0,
          code: resolverCode(spec.entry),
        }),
      ]),
    );

    this.resolvers = RESOLVERS.map((spec) =>
      this.api.createResolver(`${spec.typeName}${spec.fieldName[0]!.toUpperCase()}${spec.fieldName.slice(1)}Resolver`, {
        typeName: spec.typeName,
        fieldName: spec.fieldName,
        runtime: FunctionRuntime.JS_1_0_0,
        code: resolverCode(spec.entry),
        ...(spec.kind === 'UNIT'
          ? { dataSource: this.dataSources[spec.dataSource] }
          : { pipelineConfig: spec.functions.map((name) => functions.get(pipelineFunction(name).name)!) }),
      }),
    );
  }

  /**
   * Field logs at ERROR into /aws/appsync/apis/<id>, a log group made here with a retention and
   * written by a role that may write only there. Set on the L1 resource: GraphqlApi's `logConfig`
   * always adds a Custom::LogRetention Lambda, which this needs neither in AWS nor locally.
   */
  private configureLogging(retention: RetentionDays): void {
    const role = new Role(this, 'LoggingRole', {
      assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
      description: 'AppSync writes the Pricestream API logs',
    });
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);
    const cfnApi = this.api.node.defaultChild as CfnGraphQLApi;
    cfnApi.logConfig = { cloudWatchLogsRoleArn: role.roleArn, fieldLogLevel: FieldLogLevel.ERROR, excludeVerboseContent: true };
  }

  /** A read-only DynamoDB data source; writes are granted one action at a time. */
  private tableDataSource(key: DataSourceKey, table: Table): DynamoDbDataSource {
    return new DynamoDbDataSource(this, `${DATA_SOURCES[key]}DataSource`, { api: this.api, table, name: DATA_SOURCES[key], readOnlyAccess: true });
  }
}
