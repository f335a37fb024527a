import { extensions, type Context, type NONERequest } from '@aws-appsync/utils';
import type { SubscriptionFilterEntry } from '@aws-appsync/utils/lib/subscription-filter-types.js';
import type { SubscriptionOnPriceUpdateArgs } from '../schema/generated/types.ts';
import { invalidArgument } from './lib/errors.ts';
import { allOf, MAX_IN_VALUES } from './lib/subscription-filters.ts';

/**
 * Subscription.onPriceUpdate(marketId, eventId, eventIds, sports) on the NONE data source, run once
 * when a client subscribes. The arguments become one enhanced filter (all given ones must match;
 * an omitted or null argument matches anything). A subscription to one market also gets an
 * invalidation filter on marketId: publishPriceUpdate with status SETTLED ends it.
 */
export function request(): NONERequest {
  return { payload: null };
}

export function response(ctx: Context<SubscriptionOnPriceUpdateArgs>) {
  const { marketId, eventId, eventIds, sports } = ctx.args;
  if (eventId && eventIds) invalidArgument(ctx, 'eventIds', 'absent when eventId is given (one rule per field)', eventIds);
  if (eventIds && (eventIds.length === 0 || eventIds.length > MAX_IN_VALUES)) invalidArgument(ctx, 'eventIds', `1 to ${MAX_IN_VALUES} event ids`, eventIds);
  if (sports && (sports.length === 0 || sports.length > MAX_IN_VALUES)) invalidArgument(ctx, 'sports', `1 to ${MAX_IN_VALUES} sports`, sports);

  const rules: SubscriptionFilterEntry[] = [];
  if (marketId) rules.push({ fieldName: 'marketId', operator: 'eq', value: marketId });
  if (eventId) rules.push({ fieldName: 'eventId', operator: 'eq', value: eventId });
  if (eventIds) rules.push({ fieldName: 'eventId', operator: 'in', value: eventIds });
  if (sports) rules.push({ fieldName: 'sport', operator: 'in', value: sports });
  extensions.setSubscriptionFilter(allOf(rules, 'marketId'));
  if (marketId) {
    extensions.setSubscriptionInvalidationFilter({ filterGroup: [{ filters: [{ fieldName: 'marketId', operator: 'eq', value: marketId }] }] });
  }
  return null;
}
