import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { QueryPriceHistoryArgs } from '../schema/generated/types.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import type { PriceUpdateItem } from './lib/items.ts';
import { connectionOf, nextTokenOf, pageLimit } from './lib/pagination.ts';
import { isoMillisUtc } from './lib/time.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/**
 * Query.priceHistory(marketId, since, limit, nextToken): the market's PriceUpdates from PricesTable
 * in publication order. `since` is inclusive (`sk >= since`), so a client catching up after a
 * reconnect passes the last `publishedAt` it saw and drops what it already has by `version`:
 * nothing published at that instant is lost. Any offset is accepted; it is normalised to the
 * sort key's UTC millisecond form first.
 */
export function request(ctx: Context<QueryPriceHistoryArgs>) {
  const limit = pageLimit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
  const since = ctx.args.since;
  const range = since ? { sk: { ge: isoMillisUtc(util.time.parseISO8601ToEpochMilliSeconds(since)) } } : {};
  return ddb.query<PriceUpdateItem>({ query: { marketId: { eq: ctx.args.marketId }, ...range }, limit, ...nextTokenOf(ctx) });
}

export function response(ctx: Context<QueryPriceHistoryArgs>) {
  raiseDataSourceError(ctx);
  return connectionOf<PriceUpdateItem>(ctx.result);
}
