import { util, type Context, type NONERequest } from '@aws-appsync/utils';
import type { MutationCancelJobArgs } from '../../schema/generated/types.ts';
import { mayAccessJob, requireUserPoolCaller } from '../lib/caller.ts';
import type { JobItem } from '../lib/items.ts';

/** cancelJob step 2 (NONE): only the job's owner or an admin goes on; the job passes through. */
export function request(ctx: Context<MutationCancelJobArgs>): NONERequest {
  const job = ctx.prev.result as JobItem;
  if (!mayAccessJob(requireUserPoolCaller(ctx), job)) util.unauthorized();
  return { payload: job };
}

export function response(ctx: Context<MutationCancelJobArgs>) {
  return ctx.result;
}
