import type { AppSyncIdentityIAM, Context, LambdaRequest } from '@aws-appsync/utils';
import type { MutationIngestFeedArgs } from '../schema/generated/types.ts';
import { invalidArgument, raiseDataSourceError } from './lib/errors.ts';

/** Most messages one call may carry: the ingest-feed Lambda applies them within its 30 s timeout. */
export const MAX_MESSAGES = 500;

/**
 * Mutation.ingestFeed(messages) → the ingest-feed Lambda, which validates and applies the batch
 * idempotently and answers an IngestFeedResult. `caller` is the signing IAM principal (recorded
 * by the Lambda); the field is IAM-only, so there always is one.
 */
export function request(ctx: Context<MutationIngestFeedArgs>): LambdaRequest {
  const messages = ctx.args.messages;
  if (messages.length === 0 || messages.length > MAX_MESSAGES) {
    invalidArgument(ctx, 'messages', `a list of 1 to ${MAX_MESSAGES} feed messages`, `${messages.length} messages`);
  }
  const identity = ctx.identity as AppSyncIdentityIAM | null;
  return { operation: 'Invoke', payload: { messages, caller: identity ? identity.userArn : null } };
}

export function response(ctx: Context<MutationIngestFeedArgs>) {
  raiseDataSourceError(ctx);
  return ctx.result;
}
