import type { Context, NONERequest } from '@aws-appsync/utils';
import type { MutationPublishEventUpdateArgs } from '../schema/generated/types.ts';

/** Mutation.publishEventUpdate(input) on the NONE data source: returns the input, which fires onEventUpdate. */
export function request(ctx: Context<MutationPublishEventUpdateArgs>): NONERequest {
  return { payload: ctx.args.input };
}

export function response(ctx: Context<MutationPublishEventUpdateArgs>) {
  return ctx.result;
}
