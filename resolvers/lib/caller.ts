import { util, type AppSyncIdentityCognito, type Context } from '@aws-appsync/utils';

export interface UserPoolCaller {
  username: string;
  groups: string[];
}

export const ADMINS_GROUP = 'admins';

/** The Cognito user calling, or null for API key and IAM callers (IAM identities also carry a `username`). */
export function userPoolCaller(ctx: Context): UserPoolCaller | null {
  if (util.authType() !== 'User Pool Authorization') return null;
  const identity = ctx.identity as AppSyncIdentityCognito | null;
  if (!identity || !identity.username) return null;
  return { username: identity.username, groups: identity.groups ?? [] };
}

/** The Cognito user calling; anyone else is refused as AppSync refuses a field. */
export function requireUserPoolCaller(ctx: Context): UserPoolCaller {
  const caller = userPoolCaller(ctx);
  if (!caller) return util.unauthorized();
  return caller;
}

export function isAdmin(caller: UserPoolCaller): boolean {
  return caller.groups.indexOf(ADMINS_GROUP) !== -1;
}

/** Jobs are visible to their owner and to admins only. */
export function mayAccessJob(caller: UserPoolCaller, job: { owner: string }): boolean {
  return job.owner === caller.username || isAdmin(caller);
}
