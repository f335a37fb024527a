import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { FUNCTIONS_DIR, PROJECT_ROOT } from '../paths.ts';

export interface PricestreamFunctionProps {
  /** The folder under functions/ holding `handler.ts` (which exports `handler`). */
  name: string;
  description: string;
  timeout: Duration;
  environment?: Record<string, string>;
  /** Default 256 MB. */
  memorySize?: number;
  /** Default one month. */
  logRetention?: RetentionDays;
}

// ESM bundles may still contain CommonJS dependencies that call require(); this gives them one.
const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * A Lambda function of functions/<name>/handler.ts: Node.js 24, bundled locally by esbuild to one
 * ESM file with its dependencies, the AWS SDK included (the version tested is the version run, and
 * the local runtime can load the asset from anywhere). Its own role, which may write only to its
 * own log group (grants add the rest), X-Ray tracing, and an alarm on any error in a minute.
 */
export class PricestreamFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PricestreamFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(FUNCTIONS_DIR, props.name, 'handler.ts'),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: props.environment ?? {},
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        externalModules: [],
        banner: REQUIRE_SHIM,
        forceDockerBundling: false,
      },
    });

    this.errorsAlarm = this.function
      .metricErrors({ period: Duration.minutes(1), statistic: 'Sum' })
      .createAlarm(this, 'ErrorsAlarm', {
        alarmDescription: `${props.name}: at least one invocation failed in a minute`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
  }
}
