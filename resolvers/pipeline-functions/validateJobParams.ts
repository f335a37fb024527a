import type { Context, NONERequest } from '@aws-appsync/utils';
import type { MutationStartJobArgs } from '../../schema/generated/types.ts';
import { validateJobParams } from '../lib/job-params.ts';
import type { StartJobStash } from '../lib/job-stash.ts';

/** startJob step 1 (NONE): the type's parameters, normalised; the target to check goes to the stash. */
export function request(ctx: Context<MutationStartJobArgs, StartJobStash>): NONERequest {
  const validated = validateJobParams(ctx, ctx.args.type, ctx.args.params);
  ctx.stash.target = validated.target;
  return { payload: validated.params };
}

export function response(ctx: Context<MutationStartJobArgs, StartJobStash>) {
  return ctx.result;
}
