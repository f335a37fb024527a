import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationStartJobArgs } from '../../schema/generated/types.ts';
import { requireUserPoolCaller } from '../lib/caller.ts';
import { raiseDataSourceError } from '../lib/errors.ts';
import type { JobItem } from '../lib/items.ts';
import { JOB_TTL_DAYS, type StartJobStash } from '../lib/job-stash.ts';
import { epochSecondsInDays } from '../lib/time.ts';

/** startJob step 3 (JobsTable): the job, QUEUED, owned by the caller, params as an AWSJSON string. */
export function request(ctx: Context<MutationStartJobArgs, StartJobStash>) {
  const caller = requireUserPoolCaller(ctx);
  const now = util.time.nowISO8601();
  return ddb.put<JobItem>({
    key: { id: util.autoId() },
    item: {
      type: ctx.args.type,
      status: 'QUEUED',
      owner: caller.username,
      params: JSON.stringify(ctx.prev.result),
      progress: 0,
      cancelRequested: false,
      createdAt: now,
      updatedAt: now,
      expiresAt: epochSecondsInDays(JOB_TTL_DAYS),
    },
    condition: { id: { attributeExists: false } },
  });
}

export function response(ctx: Context<MutationStartJobArgs, StartJobStash>) {
  raiseDataSourceError(ctx);
  return ctx.result;
}
