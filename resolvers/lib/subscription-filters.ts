import type { SubscriptionFilter } from '@aws-appsync/utils';
import type { SubscriptionFilterEntry } from '@aws-appsync/utils/lib/subscription-filter-types.js';

/** AppSync's limit on the values of an `in` rule. */
export const MAX_IN_VALUES = 5;

/**
 * One AND-group of rules. With no rule, one that every published value passes: `field` must be a
 * non-null ID of the payload. A subscription resolver that sets no filter leaves AppSync's basic
 * argument filtering on, where an explicit `null` argument means "only null values" and would
 * deliver nothing; setting a filter always makes the resolver the one rule of delivery.
 */
export function allOf(rules: SubscriptionFilterEntry[], alwaysPresentField: string): SubscriptionFilter {
  const filters: SubscriptionFilterEntry[] = rules.length > 0 ? rules : [{ fieldName: alwaysPresentField, operator: 'ne', value: '' }];
  return { filterGroup: [{ filters }] };
}
