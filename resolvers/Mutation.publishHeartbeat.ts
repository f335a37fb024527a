import type { Context, NONERequest } from '@aws-appsync/utils';
import type { MutationPublishHeartbeatArgs } from '../schema/generated/types.ts';

/** Mutation.publishHeartbeat(input) on the NONE data source: returns the input, which fires onHeartbeat. */
export function request(ctx: Context<MutationPublishHeartbeatArgs>): NONERequest {
  return { payload: ctx.args.input };
}

export function response(ctx: Context<MutationPublishHeartbeatArgs>) {
  return ctx.result;
}
