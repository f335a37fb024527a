import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationSetMarketStatusArgs } from '../schema/generated/types.ts';
import { requireUserPoolCaller } from './lib/caller.ts';
import { invalidArgument, invalidState, isConditionFailure, notFound, raiseDataSourceError } from './lib/errors.ts';
import type { MarketItem } from './lib/items.ts';
import { traderChange, versionConflict } from './lib/market-update.ts';
import { TRADER_STATUS_SOURCES } from './lib/market-status.ts';

/**
 * Mutation.setMarketStatus(marketId, status, expectedVersion): OPEN / SUSPENDED / CLOSED along the
 * allowed transitions (lib/market-status.ts), checked in the write's condition together with the
 * version, so a concurrent change cannot slip between a read and the write.
 */
export function request(ctx: Context<MutationSetMarketStatusArgs>) {
  const caller = requireUserPoolCaller(ctx);
  const { marketId, status, expectedVersion } = ctx.args;
  const sources = TRADER_STATUS_SOURCES[status];
  if (sources.length === 0) invalidArgument(ctx, 'status', 'OPEN, SUSPENDED or CLOSED (a market is settled by a SETTLE_MARKET job)', status);
  if (expectedVersion < 1) invalidArgument(ctx, 'expectedVersion', 'a market version (1 or more)', expectedVersion);
  return ddb.update<MarketItem>({
    key: { id: marketId },
    update: { status, ...traderChange(caller) },
    condition: { version: { eq: expectedVersion }, status: { in: sources } },
  });
}

export function response(ctx: Context<MutationSetMarketStatusArgs>) {
  if (isConditionFailure(ctx)) {
    const current = ctx.result as MarketItem | null;
    if (!current) return notFound(ctx, 'marketId', 'market', ctx.args.marketId);
    if (current.version !== ctx.args.expectedVersion) return versionConflict(ctx, current, ctx.args.expectedVersion);
    const allowed = TRADER_STATUS_SOURCES[ctx.args.status];
    return invalidState(
      ctx,
      `market ${current.id} cannot go from ${current.status} to ${ctx.args.status}; ${ctx.args.status} is reached only from ${allowed.join(' or ')}`,
      { field: 'status', from: current.status, to: ctx.args.status, allowedFrom: allowed },
    );
  }
  raiseDataSourceError(ctx);
  // The market after the update. UNVERIFIED (docs/reference/appsync-js-runtime.md §6.2): that AppSync's UpdateItem answers the
  // whole item (ALL_NEW), not only the updated attributes; the local data source does.
  return ctx.result;
}
