import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationSetMarginArgs } from '../schema/generated/types.ts';
import { requireUserPoolCaller } from './lib/caller.ts';
import { invalidArgument, invalidState, isConditionFailure, notFound, raiseDataSourceError } from './lib/errors.ts';
import type { MarketItem } from './lib/items.ts';
import { traderChange, versionConflict } from './lib/market-update.ts';

/**
 * Mutation.setMargin(marketId, margin, expectedVersion): sets a market's margin if it is still at
 * expectedVersion and not settled; version + 1 and lastChange TRADER, which makes price-engine
 * reprice it. 0 <= margin < 1 (0.05 is a 105% book).
 */
export function request(ctx: Context<MutationSetMarginArgs>) {
  const caller = requireUserPoolCaller(ctx);
  const { marketId, margin, expectedVersion } = ctx.args;
  if (!Number.isFinite(margin) || margin < 0 || margin >= 1) invalidArgument(ctx, 'margin', 'at least 0 and below 1 (0.05 is a 105% book)', margin);
  if (expectedVersion < 1) invalidArgument(ctx, 'expectedVersion', 'a market version (1 or more)', expectedVersion);
  return ddb.update<MarketItem>({
    key: { id: marketId },
    update: { margin, ...traderChange(caller) },
    condition: { version: { eq: expectedVersion }, status: { ne: 'SETTLED' } },
  });
}

export function response(ctx: Context<MutationSetMarginArgs>) {
  if (isConditionFailure(ctx)) {
    const current = ctx.result as MarketItem | null;
    if (!current) return notFound(ctx, 'marketId', 'market', ctx.args.marketId);
    if (current.version !== ctx.args.expectedVersion) return versionConflict(ctx, current, ctx.args.expectedVersion);
    return invalidState(ctx, `market ${current.id} is SETTLED; its margin can no longer change`, { field: 'marketId', status: current.status });
  }
  raiseDataSourceError(ctx);
  // The market after the update. UNVERIFIED (docs/reference/appsync-js-runtime.md §6.2): that AppSync's UpdateItem answers the
  // whole item (ALL_NEW), not only the updated attributes; the local data source does.
  return ctx.result;
}
