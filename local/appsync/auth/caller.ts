import type { AuthenticationType } from '../../assembly/model.ts';

/** Who is calling, once authenticated: what resolvers see and what field rules decide on. */
export interface Caller {
  authType: AuthenticationType;
  /** `ctx.identity`: null for API_KEY. */
  identity: unknown;
  /** `cognito:groups` of a user-pool caller. */
  groups?: string[];
  /** The role policies of an AWS_IAM caller. */
  iamPolicies?: unknown[];
  /** A Lambda authorizer's `deniedFields`, as `Type.field` and as field ARNs. */
  deniedFields?: ReadonlySet<string>;
}

export type AuthVerdict = { ok: true; caller: Caller } | { ok: false; errorType: 'UnauthorizedException'; message: string };
