import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './lib/errors.ts';
import type { EventItem, MarketItem } from './lib/items.ts';

/**
 * Event.markets: the event's markets from MarketsTable's `byEvent` index, by name. One read
 * (DynamoDB's 1 MB page): an event has tens of markets, not thousands.
 */
export function request(ctx: Context<object, object, object, EventItem>) {
  return ddb.query<MarketItem>({ index: 'byEvent', query: { eventId: { eq: (ctx.source as EventItem).id } } });
}

export function response(ctx: Context<object, object, object, EventItem>) {
  raiseDataSourceError(ctx);
  return (ctx.result && ctx.result.items) || [];
}
