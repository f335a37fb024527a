import { runtime, util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationCancelJobArgs } from '../../schema/generated/types.ts';
import { requireUserPoolCaller } from '../lib/caller.ts';
import { fieldOf, invalidState, isConditionFailure, notFound, raiseDataSourceError } from '../lib/errors.ts';
import type { JobItem } from '../lib/items.ts';

/**
 * cancelJob step 3 (JobsTable): a QUEUED job becomes CANCELLED at once; a RUNNING one gets
 * cancelRequested, which job-runner honours between steps. Cancelling a CANCELLED job again
 * returns it unchanged; a finished one cannot be cancelled. The write is conditional on the
 * status read in step 1, so a job that started or finished meanwhile is reported, not clobbered.
 */
export function request(ctx: Context<MutationCancelJobArgs>) {
  const job = ctx.prev.result as JobItem;
  if (job.status === 'CANCELLED') return runtime.earlyReturn(job);
  if (job.status !== 'QUEUED' && job.status !== 'RUNNING') {
    invalidState(ctx, `job ${job.id} already ${job.status}; only a QUEUED or RUNNING job can be cancelled`, { field: 'id', status: job.status });
  }
  const caller = requireUserPoolCaller(ctx);
  const now = util.time.nowISO8601();
  const update =
    job.status === 'QUEUED'
      ? { status: 'CANCELLED', cancelRequested: true, message: `cancelled by ${caller.username}`, updatedAt: now }
      : { cancelRequested: true, updatedAt: now };
  return ddb.update<JobItem>({ key: { id: job.id }, update, condition: { status: { eq: job.status } } });
}

export function response(ctx: Context<MutationCancelJobArgs>) {
  if (isConditionFailure(ctx)) {
    const before = ctx.prev.result as JobItem;
    const current = ctx.result as JobItem | null;
    if (!current) return notFound(ctx, 'id', 'job', before.id);
    util.error(
      `${fieldOf(ctx)}: job ${before.id} went from ${before.status} to ${current.status} while being cancelled; try again`,
      'DynamoDB:ConditionalCheckFailedException',
      current,
      { field: 'id', expectedStatus: before.status, status: current.status },
    );
  }
  raiseDataSourceError(ctx);
  return ctx.result;
}
