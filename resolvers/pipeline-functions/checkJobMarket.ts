import { runtime, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationStartJobArgs } from '../../schema/generated/types.ts';
import { invalidArgument, invalidState, notFound, raiseDataSourceError } from '../lib/errors.ts';
import type { MarketItem } from '../lib/items.ts';
import type { StartJobStash } from '../lib/job-stash.ts';

/**
 * startJob step 2b (MarketsTable): the job's market must exist; a settlement also needs a market
 * not yet settled and winners that are its selections. Skipped for event jobs.
 */
export function request(ctx: Context<MutationStartJobArgs, StartJobStash>) {
  const target = ctx.stash.target;
  if (!target || target.table !== 'markets') return runtime.earlyReturn(ctx.prev.result);
  return ddb.get<MarketItem>({ key: { id: target.id } });
}

export function response(ctx: Context<MutationStartJobArgs, StartJobStash>) {
  raiseDataSourceError(ctx);
  const market = ctx.result as MarketItem | null;
  if (!market) return notFound(ctx, 'params.marketId', 'market', ctx.stash.target ? ctx.stash.target.id : null);
  const params = ctx.prev.result as { marketId: string; winningSelectionIds?: string[] };
  if (ctx.args.type === 'SETTLE_MARKET') {
    if (market.status === 'SETTLED') invalidState(ctx, `market ${market.id} is already SETTLED`, { field: 'params.marketId', status: market.status });
    const selectionIds = market.selections.map((s) => s.id);
    (params.winningSelectionIds || []).forEach((id, i) => {
      if (selectionIds.indexOf(id) === -1) {
        invalidArgument(ctx, `params.winningSelectionIds[${i}]`, `a selection of market ${market.id} (${selectionIds.join(', ')})`, id);
      }
    });
  }
  return params;
}
