import { extensions, type Context, type NONERequest } from '@aws-appsync/utils';
import type { SubscriptionFilterEntry } from '@aws-appsync/utils/lib/subscription-filter-types.js';
import type { SubscriptionOnJobUpdateArgs } from '../schema/generated/types.ts';
import { isAdmin, requireUserPoolCaller } from './lib/caller.ts';
import { allOf } from './lib/subscription-filters.ts';

/**
 * Subscription.onJobUpdate(id) on the NONE data source: a user receives only updates of jobs they
 * own (`owner eq <username>`, so publishers must select `owner`); admins receive all. `id`
 * narrows to one job: another user's job id simply matches nothing.
 */
export function request(): NONERequest {
  return { payload: null };
}

export function response(ctx: Context<SubscriptionOnJobUpdateArgs>) {
  const caller = requireUserPoolCaller(ctx);
  const rules: SubscriptionFilterEntry[] = [];
  if (!isAdmin(caller)) rules.push({ fieldName: 'owner', operator: 'eq', value: caller.username });
  if (ctx.args.id) rules.push({ fieldName: 'id', operator: 'eq', value: ctx.args.id });
  extensions.setSubscriptionFilter(allOf(rules, 'id'));
  return null;
}
