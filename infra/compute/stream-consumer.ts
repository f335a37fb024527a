import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PricestreamFunction } from './pricestream-function.ts';

export interface StreamConsumerProps {
  table: Table;
  consumer: PricestreamFunction;
  batchSize: number;
  /** Default zero: records go to the function as soon as they are read. */
  maxBatchingWindow?: Duration;
  /** Batches of one shard processed at once (records of one key stay in order). Default 1. */
  parallelizationFactor?: number;
  /** Records older than this go to the failure queue unprocessed. */
  maxRecordAge: Duration;
  /** Lambda event filtering (`FilterCriteria.filter(...)`), e.g. INSERT records only. */
  filters?: Record<string, unknown>[];
}

/**
 * A DynamoDB stream feeding a function the way a poisoned record cannot stall it: from the
 * stream's start (TRIM_HORIZON), 3 retries, a failing batch bisected to isolate the bad record,
 * the function reporting partial failures (ReportBatchItemFailures), and what still fails — or
 * ages out — recorded in an SQS on-failure queue with an alarm on its depth.
 */
export class StreamConsumer extends Construct {
  readonly failureQueue: Queue;
  readonly failuresAlarm: Alarm;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    this.failureQueue = new Queue(this, 'FailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    props.consumer.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(0),
        parallelizationFactor: props.parallelizationFactor ?? 1,
        retryAttempts: 3,
        bisectBatchOnError: true,
        maxRecordAge: props.maxRecordAge,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failureQueue),
        ...(props.filters && { filters: props.filters }),
      }),
    );
    this.failuresAlarm = this.failureQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'FailuresAlarm', {
        alarmDescription: `${id}: stream records the function could not process are waiting in the on-failure queue`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
  }
}
