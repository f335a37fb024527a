import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { QueryEventsArgs } from '../schema/generated/types.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import type { EventItem } from './lib/items.ts';
import { connectionOf, nextTokenOf, pageLimit } from './lib/pagination.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/**
 * Query.events(sport, status, limit, nextToken) on EventsTable. With a sport: the `bySport` index
 * in start-time order; without: a scan (no order). `status` filters after reading, so a page may
 * hold fewer than `limit` events (even none) while nextToken says there is more, as with any
 * filtered DynamoDB read. A nextToken only continues the same sport/status listing.
 */
export function request(ctx: Context<QueryEventsArgs>) {
  const limit = pageLimit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
  const status = ctx.args.status;
  const filter = status ? { filter: { status: { eq: status } } } : {};
  const sport = ctx.args.sport;
  if (sport) {
    return ddb.query<EventItem>({ index: 'bySport', query: { sport: { eq: sport } }, limit, ...filter, ...nextTokenOf(ctx) });
  }
  return ddb.scan<EventItem>({ limit, ...filter, ...nextTokenOf(ctx) });
}

export function response(ctx: Context<QueryEventsArgs>) {
  raiseDataSourceError(ctx);
  return connectionOf<EventItem>(ctx.result);
}
