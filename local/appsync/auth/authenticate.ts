import type { AuthenticationType, GraphqlApiModel, RoleModel } from '../../assembly/model.ts';
import type { LocalCredential } from '../../iam/credentials.ts';
import type { Caller } from './field-access.ts';
import { userPoolIdentity, verifyUserPoolToken, type UserPoolTokenRules } from './jwt.ts';
import { verifySigV4 } from './sigv4.ts';

export interface IamIdentity {
  accountId: string;
  cognitoIdentityPoolId: null;
  cognitoIdentityId: null;
  sourceIp: string[];
  username: string;
  userArn: string;
  cognitoIdentityAuthType: null;
  cognitoIdentityAuthProvider: null;
}

export type AuthOutcome =
  | {
      ok: true;
      authType: AuthenticationType;
      identity: unknown;
      groups?: string[];
      /** The IAM policies of the role an AWS_IAM caller stands for. */
      iamPolicies?: unknown[];
    }
  | { ok: false; errorType: 'UnauthorizedException'; message: string };

export interface AuthRequest {
  /** Header names in lower case. */
  headers: Record<string, unknown>;
  /** The caller's address list as AppSync gives it in `identity.sourceIp`. */
  sourceIp: string[];
  /** What a SigV4 signature covers: the HTTP request, or for the real-time protocol the request Amplify signed. */
  signed: { method: string; path: string; query: string; body: string };
}

export interface AuthenticatorOptions {
  api: GraphqlApiModel;
  accountId: string;
  region: string;
  credentials: LocalCredential[];
  roles: RoleModel[];
  /** Token rules of the API's user pool (its issuer and JWKS), when user pools are enabled. */
  userPool?: Omit<UserPoolTokenRules, 'now'> & { defaultAction: 'ALLOW' | 'DENY' };
  log(line: string): void;
}

const NOT_PROVIDED = 'Valid authorization header not provided.';
const NOT_AUTHORIZED = 'You are not authorized to make this call.';

/**
 * Decides a request's auth mode from its headers as AppSync does (an `x-api-key`, a SigV4
 * `Authorization`, or a token `Authorization`) and verifies the credential for that mode.
 * A mode the API does not enable is refused.
 */
export function createAuthenticator({ api, accountId, region, credentials, roles, userPool, log }: AuthenticatorOptions) {
  const enabled = new Set<AuthenticationType>([api.defaultAuth.type, ...api.additionalAuth.map((p) => p.type)]);
  const byAccessKey = new Map(credentials.map((c) => [c.accessKeyId, c]));
  const refuse = (message: string): AuthOutcome => ({ ok: false, errorType: 'UnauthorizedException', message });

  return function authenticate({ headers, sourceIp, signed }: AuthRequest): AuthOutcome {
    const apiKey = headers['x-api-key'];
    const authorization = headers.authorization;
    if (typeof apiKey === 'string' && enabled.has('API_KEY')) {
      const key = api.apiKeys.find((k) => k.value === apiKey);
      if (!key || key.expires * 1000 <= Date.now()) return refuse(NOT_AUTHORIZED);
      return { ok: true, authType: 'API_KEY', identity: null };
    }
    if (typeof authorization !== 'string' || authorization === '') return refuse(NOT_PROVIDED);
    if (authorization.startsWith('AWS4-HMAC-SHA256')) {
      if (!enabled.has('AWS_IAM')) return refuse(NOT_AUTHORIZED);
      const verdict = verifySigV4({ ...signed, headers }, { region, service: 'appsync', secretFor: (id) => byAccessKey.get(id)?.secretAccessKey });
      if (!verdict.ok) {
        log(`refused a SigV4 request: ${verdict.message}`);
        return refuse(verdict.message);
      }
      const credential = byAccessKey.get(verdict.accessKeyId)!;
      const role = roles.find((r) => r.arn === credential.roleArn);
      const roleId = role ? role.roleName : credential.roleName;
      const identity: IamIdentity = {
        accountId,
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp,
        username: `${roleId}:local`,
        userArn: `arn:aws:sts::${accountId}:assumed-role/${credential.roleName}/local`,
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      };
      return { ok: true, authType: 'AWS_IAM', identity, iamPolicies: role?.policyDocuments ?? [] };
    }
    if (enabled.has('AMAZON_COGNITO_USER_POOLS') && userPool) {
      const verdict = verifyUserPoolToken(authorization, userPool);
      if (!verdict.ok) return refuse(verdict.message);
      const identity = userPoolIdentity(verdict.claims, sourceIp, userPool.defaultAction);
      return { ok: true, authType: 'AMAZON_COGNITO_USER_POOLS', identity, ...(identity.groups && { groups: identity.groups }) };
    }
    // OIDC tokens and Lambda authorizers are not run locally yet: refused, never trusted undecoded.
    return refuse(NOT_AUTHORIZED);
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

/** `identity.sourceIp`: the X-Forwarded-For list plus the peer, or just the peer. */
export function sourceIpOf(headers: Record<string, unknown>, peer: string | undefined): string[] {
  const forwarded = typeof headers['x-forwarded-for'] === 'string' ? headers['x-forwarded-for'].split(',').map((s) => s.trim()) : [];
  const address = (peer ?? '').replace(/^::ffff:/, '');
  return [...forwarded, address].filter(Boolean);
}

/** The caller an accepted request stands for, as resolvers and field checks see it. */
export function callerOf(auth: Extract<AuthOutcome, { ok: true }>): Caller {
  return { authType: auth.authType, identity: auth.identity, ...(auth.groups && { groups: auth.groups }), ...(auth.iamPolicies && { iamPolicies: auth.iamPolicies }) };
}
