// util.transform (D-XF, NPM-U transform-utils.d.ts).
import { toDynamoDBExpressionString } from './dynamodb-expression.ts';
import { toElasticsearchQueryDSL } from './opensearch-dsl.ts';
import { toSubscriptionFilter } from './subscription-filter.ts';

export function createTransformUtils() {
  return {
    /** A JSON string [AWS-verified LS]; null for a filter AWS cannot render. */
    toDynamoDBFilterExpression: (filter: unknown): string | null => toDynamoDBExpressionString(filter),
    /** The same rendering as the filter expression: every recorded input gives identical output. */
    toDynamoDBConditionExpression: (condition: unknown): string | null => toDynamoDBExpressionString(condition),
    toElasticsearchQueryDSL: (filter: unknown): string => toElasticsearchQueryDSL(filter),
    toSubscriptionFilter: (filter: unknown, ignoredFields?: unknown, rules?: unknown) => toSubscriptionFilter(filter, ignoredFields, rules),
  };
}
