import { extensions, type Context, type NONERequest } from '@aws-appsync/utils';
import type { MutationPublishPriceUpdateArgs, PriceUpdate } from '../schema/generated/types.ts';

/**
 * Mutation.publishPriceUpdate(input) on the NONE data source: returns the input, which fires
 * onPriceUpdate (@aws_subscribe). A SETTLED update is the market's last: it also ends that
 * market's subscriptions (their invalidation filter is on marketId, see Subscription.onPriceUpdate).
 */
export function request(ctx: Context<MutationPublishPriceUpdateArgs>): NONERequest {
  return { payload: ctx.args.input };
}

export function response(ctx: Context<MutationPublishPriceUpdateArgs>) {
  const update = ctx.result as PriceUpdate;
  if (update.status === 'SETTLED') {
    extensions.invalidateSubscriptions({ subscriptionField: 'onPriceUpdate', payload: { marketId: update.marketId } });
  }
  return update;
}
