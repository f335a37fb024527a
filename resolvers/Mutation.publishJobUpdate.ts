import type { Context, NONERequest } from '@aws-appsync/utils';
import type { MutationPublishJobUpdateArgs } from '../schema/generated/types.ts';

/** Mutation.publishJobUpdate(input) on the NONE data source: returns the input, which fires onJobUpdate. */
export function request(ctx: Context<MutationPublishJobUpdateArgs>): NONERequest {
  return { payload: ctx.args.input };
}

export function response(ctx: Context<MutationPublishJobUpdateArgs>) {
  return ctx.result;
}
