import { Validations, type CfnResource } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { PricestreamStack } from './pricestream-stack.ts';

const rule = (id: string) => `AwsSolutions::AwsSolutions-${id}`;

/**
 * The cdk-nag (AWS Solutions) findings this stack accepts, each acknowledged on the narrowest
 * construct that covers it, with its reason. Anything else fails the synthesis.
 */
export function applyNagSuppressions(stack: PricestreamStack): void {
  const arnOf = (table: Table) => `<${stack.getLogicalId(table.node.defaultChild as CfnResource)}.Arn>`;

  for (const table of Object.values(stack.tables)) {
    Validations.of(stack).acknowledge({
      id: rule(`IAM5[Resource::${arnOf(table)}/index/*]`),
      reason: `Grants on ${table.node.id} cover its global secondary indexes (index/*), which the resolvers and functions query; access stays limited to that one table.`,
    });
  }

  for (const fn of [stack.ingestFeed, stack.priceEngine, stack.jobRunner, stack.heartbeat, stack.eventPublisher]) {
    Validations.of(fn.role).acknowledge({
      id: rule('IAM5[Resource::*]'),
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream event sources) do not support resource-level permissions; every other action is scoped to named resources.',
    });
  }

  const ingestFeedArn = `<${stack.getLogicalId(stack.ingestFeed.function.node.defaultChild as CfnResource)}.Arn>`;
  Validations.of(stack.api.dataSources.ingestFeed).acknowledge({
    id: rule(`IAM5[Resource::${ingestFeedArn}:*]`),
    reason: 'AppSync may invoke the ingest-feed function and its versions/aliases (function ARN + ":*"); no other function.',
  });

  Validations.of(stack.api.api).acknowledge({
    id: rule('ASC3'),
    reason:
      'Request-level logging is on (LogConfig with a CloudWatch role, field logs at ERROR, 30-day retention). Verbose content is excluded on purpose: it would write request headers (user-pool tokens, SigV4 signatures) and the resolver context (caller identity) to the logs.',
  });

  for (const consumer of [stack.priceStream, stack.jobStream, stack.eventStream]) {
    Validations.of(consumer.failureQueue).acknowledge({
      id: rule('SQS3'),
      reason: 'This queue is itself the on-failure destination of a DynamoDB stream event source mapping (the stream records that failed after retries); a DLQ of a DLQ adds nothing.',
    });
  }

  Validations.of(stack.users.userPool).acknowledge(
    {
      id: rule('COG8'),
      reason: 'The Plus feature plan (threat protection) is a per-user cost this demo stack does not take on; users are created by administrators only, with a 12-character password policy.',
    },
    {
      id: rule('COG2'),
      reason: 'MFA is optional (TOTP) so that scripts, tests and the demo can sign in with USER_PASSWORD_AUTH; require it for production user pools.',
    },
  );
}
