import type { Context } from '@aws-appsync/utils';
import type { MutationCancelJobArgs } from '../schema/generated/types.ts';
import { requireUserPoolCaller } from './lib/caller.ts';

/**
 * Mutation.cancelJob(id), a pipeline: getJob → authorizeJobOwner (owner or admin) →
 * requestJobCancel (CANCELLED at once while QUEUED; cancelRequested while RUNNING, which
 * job-runner honours between steps).
 */
export function request(ctx: Context<MutationCancelJobArgs>) {
  requireUserPoolCaller(ctx);
  return {};
}

export function response(ctx: Context<MutationCancelJobArgs>) {
  return ctx.prev.result;
}
