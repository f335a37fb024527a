import { runtime, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationStartJobArgs } from '../../schema/generated/types.ts';
import { notFound, raiseDataSourceError } from '../lib/errors.ts';
import type { EventItem } from '../lib/items.ts';
import type { StartJobStash } from '../lib/job-stash.ts';

/** startJob step 2a (EventsTable): the job's event must exist. Skipped for market jobs. */
export function request(ctx: Context<MutationStartJobArgs, StartJobStash>) {
  const target = ctx.stash.target;
  if (!target || target.table !== 'events') return runtime.earlyReturn(ctx.prev.result);
  return ddb.get<EventItem>({ key: { id: target.id } });
}

export function response(ctx: Context<MutationStartJobArgs, StartJobStash>) {
  raiseDataSourceError(ctx);
  if (!ctx.result) notFound(ctx, 'params.eventId', 'event', ctx.stash.target ? ctx.stash.target.id : null);
  return ctx.prev.result;
}
