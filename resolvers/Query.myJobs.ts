import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { QueryMyJobsArgs } from '../schema/generated/types.ts';
import { requireUserPoolCaller } from './lib/caller.ts';
import { raiseDataSourceError } from './lib/errors.ts';
import type { JobItem } from './lib/items.ts';
import { connectionOf, nextTokenOf, pageLimit } from './lib/pagination.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** Query.myJobs(limit, nextToken): the caller's jobs from JobsTable's `byOwner` index, newest first. */
export function request(ctx: Context<QueryMyJobsArgs>) {
  const caller = requireUserPoolCaller(ctx);
  const limit = pageLimit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
  return ddb.query<JobItem>({ index: 'byOwner', query: { owner: { eq: caller.username } }, scanIndexForward: false, limit, ...nextTokenOf(ctx) });
}

export function response(ctx: Context<QueryMyJobsArgs>) {
  raiseDataSourceError(ctx);
  return connectionOf<JobItem>(ctx.result);
}
