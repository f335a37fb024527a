import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationCancelJobArgs } from '../../schema/generated/types.ts';
import { notFound, raiseDataSourceError } from '../lib/errors.ts';
import type { JobItem } from '../lib/items.ts';

/** cancelJob step 1 (JobsTable): the job named by `id`; NotFound when there is none. */
export function request(ctx: Context<MutationCancelJobArgs>) {
  return ddb.get<JobItem>({ key: { id: ctx.args.id } });
}

export function response(ctx: Context<MutationCancelJobArgs>) {
  raiseDataSourceError(ctx);
  if (!ctx.result) notFound(ctx, 'id', 'job', ctx.args.id);
  return ctx.result;
}
