import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { QueryEventArgs } from '../schema/generated/types.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import type { EventItem } from './lib/items.ts';

/** Query.event(id) on EventsTable: the event, or null when there is none. */
export function request(ctx: Context<QueryEventArgs>) {
  return ddb.get<EventItem>({ key: { id: ctx.args.id } });
}

export function response(ctx: Context<QueryEventArgs>) {
  raiseDataSourceError(ctx);
  return ctx.result ?? null;
}
