import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { QueryJobArgs } from '../schema/generated/types.ts';
import { mayAccessJob, requireUserPoolCaller } from './lib/caller.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import type { JobItem } from './lib/items.ts';

/** Query.job(id) on JobsTable: null when there is no such job; Unauthorized unless the caller owns it or is an admin. */
export function request(ctx: Context<QueryJobArgs>) {
  requireUserPoolCaller(ctx);
  return ddb.get<JobItem>({ key: { id: ctx.args.id } });
}

export function response(ctx: Context<QueryJobArgs>) {
  raiseDataSourceError(ctx);
  const job = ctx.result as JobItem | null;
  if (!job) return null;
  if (!mayAccessJob(requireUserPoolCaller(ctx), job)) util.unauthorized();
  return job;
}
