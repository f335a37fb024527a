import { extensions, type Context, type NONERequest } from '@aws-appsync/utils';
import type { SubscriptionFilterEntry } from '@aws-appsync/utils/lib/subscription-filter-types.js';
import type { SubscriptionOnEventUpdateArgs } from '../schema/generated/types.ts';
import { allOf } from './lib/subscription-filters.ts';

/**
 * Subscription.onEventUpdate(sport) on the NONE data source: `sport` narrows to one sport; omitted
 * or null, every event update (an explicit filter, so that a null argument does not fall back to
 * AppSync's basic argument filtering, where it would match only null sports).
 */
export function request(): NONERequest {
  return { payload: null };
}

export function response(ctx: Context<SubscriptionOnEventUpdateArgs>) {
  const rules: SubscriptionFilterEntry[] = [];
  if (ctx.args.sport) rules.push({ fieldName: 'sport', operator: 'eq', value: ctx.args.sport });
  extensions.setSubscriptionFilter(allOf(rules, 'id'));
  return null;
}
