import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { QueryMarketArgs } from '../schema/generated/types.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import type { MarketItem } from './lib/items.ts';

/** Query.market(id) on MarketsTable: the market, or null when there is none. */
export function request(ctx: Context<QueryMarketArgs>) {
  return ddb.get<MarketItem>({ key: { id: ctx.args.id } });
}

export function response(ctx: Context<QueryMarketArgs>) {
  raiseDataSourceError(ctx);
  return ctx.result ?? null;
}
