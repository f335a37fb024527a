import type { Context } from '@aws-appsync/utils';
import type { MutationStartJobArgs } from '../schema/generated/types.ts';
import { requireUserPoolCaller } from './lib/caller.ts';

/**
 * Mutation.startJob(type, params), a pipeline: validateJobParams → checkJobEvent / checkJobMarket
 * (whichever holds the target) → createJob. The job is written QUEUED, owned by the caller;
 * JobsTable's stream starts job-runner on the INSERT.
 */
export function request(ctx: Context<MutationStartJobArgs>) {
  requireUserPoolCaller(ctx);
  return {};
}

export function response(ctx: Context<MutationStartJobArgs>) {
  return ctx.prev.result;
}
