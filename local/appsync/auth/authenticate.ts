import type { AuthenticationType, GraphqlApiModel, RoleModel } from '../../assembly/model.ts';
import type { LocalCredential } from '../../iam/credentials.ts';
import type { AuthVerdict, Caller } from './caller.ts';
import { oidcIdentity, unverifiedClaims, userPoolIdentity, verifyOidcToken, verifyUserPoolToken, type OidcTokenRules, type UserPoolTokenRules } from './jwt.ts';
import type { LambdaAuthorizer } from './lambda-authorizer.ts';
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

export interface AuthRequest {
  /** Header names in lower case. */
  headers: Record<string, unknown>;
  /** The caller's address list as AppSync gives it in `identity.sourceIp`. */
  sourceIp: string[];
  /** What a SigV4 signature covers: the HTTP request, or for the real-time protocol the request Amplify signed. */
  signed: { method: string; path: string; query: string; body: string };
  /** The operation, for a Lambda authorizer's requestContext. */
  graphql?: { query: string; operationName?: string; variables: Record<string, unknown> };
}

export interface AuthenticatorOptions {
  api: GraphqlApiModel;
  accountId: string;
  region: string;
  credentials: LocalCredential[];
  roles: RoleModel[];
  /** Token rules of each user pool the API names (issuer and JWKS), with its default action. */
  userPools: (Omit<UserPoolTokenRules, 'now'> & { defaultAction: 'ALLOW' | 'DENY' })[];
  /** Token rules of each OIDC provider the API names, with the JWKS read from the issuer. */
  oidcProviders: Omit<OidcTokenRules, 'now'>[];
  lambdaAuthorizer?: LambdaAuthorizer;
  log(line: string): void;
}

const NOT_PROVIDED = 'Valid authorization header not provided.';
const NOT_AUTHORIZED = 'You are not authorized to make this call.';

/**
 * Decides a request's auth mode from its headers as AppSync does and verifies the credential
 * for that mode: an `x-api-key`; a SigV4 `Authorization`; a JWT whose issuer is one of the
 * API's user pools or OIDC providers; any other token goes to the Lambda authorizer. A mode
 * the API does not enable is refused, and so is every credential that does not verify.
 */
export function createAuthenticator(options: AuthenticatorOptions) {
  const { api, accountId, region, credentials, roles, userPools, oidcProviders, lambdaAuthorizer, log } = options;
  const enabled = new Set<AuthenticationType>([api.defaultAuth.type, ...api.additionalAuth.map((p) => p.type)]);
  const byAccessKey = new Map(credentials.map((c) => [c.accessKeyId, c]));
  const refuse = (message: string): AuthVerdict => ({ ok: false, errorType: 'UnauthorizedException', message });
  const accept = (caller: Caller): AuthVerdict => ({ ok: true, caller });

  return async function authenticate({ headers, sourceIp, signed, graphql }: AuthRequest): Promise<AuthVerdict> {
    const apiKey = headers['x-api-key'];
    const authorization = headers.authorization;
    // UNVERIFIED: which header AppSync prefers when a request carries both; Amplify never sends both.
    if (typeof apiKey === 'string' && enabled.has('API_KEY')) {
      const key = api.apiKeys.find((k) => k.value === apiKey);
      if (!key || key.expires * 1000 <= Date.now()) return refuse(NOT_AUTHORIZED);
      return accept({ authType: 'API_KEY', identity: null });
    }
    if (typeof authorization !== 'string' || authorization === '') return refuse(NOT_PROVIDED);

    if (authorization.startsWith('AWS4-HMAC-SHA256')) {
      if (!enabled.has('AWS_IAM')) return refuse(NOT_AUTHORIZED);
      const verdict = await verifySigV4({ ...signed, headers }, { region, service: 'appsync', secretFor: (id) => byAccessKey.get(id)?.secretAccessKey });
      if (!verdict.ok) {
        log(`refused a SigV4 request: ${verdict.message}`);
        return refuse(verdict.message);
      }
      const credential = byAccessKey.get(verdict.accessKeyId)!;
      const role = roles.find((r) => r.arn === credential.roleArn);
      const identity: IamIdentity = {
        accountId,
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp,
        username: `${credential.roleName}:local`,
        userArn: `arn:aws:sts::${accountId}:assumed-role/${credential.roleName}/local`,
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      };
      return accept({ authType: 'AWS_IAM', identity, iamPolicies: role?.policyDocuments ?? [] });
    }

    const issuer = unverifiedClaims(authorization)?.iss;
    const pool = enabled.has('AMAZON_COGNITO_USER_POOLS') ? userPools.find((p) => p.issuer === issuer) : undefined;
    if (pool) {
      const verdict = await verifyUserPoolToken(authorization, pool);
      if (!verdict.ok) return refuse(verdict.message);
      const identity = userPoolIdentity(verdict.claims, sourceIp, pool.defaultAction);
      return accept({ authType: 'AMAZON_COGNITO_USER_POOLS', identity, ...(identity.groups && { groups: identity.groups }) });
    }
    const provider = enabled.has('OPENID_CONNECT') ? oidcProviders.find((p) => p.issuer === issuer) : undefined;
    if (provider) {
      const verdict = await verifyOidcToken(authorization, provider);
      if (!verdict.ok) return refuse(verdict.message);
      return accept({ authType: 'OPENID_CONNECT', identity: oidcIdentity(verdict.claims) });
    }
    if (lambdaAuthorizer && enabled.has('AWS_LAMBDA')) {
      const decision = await lambdaAuthorizer(authorization, {
        apiId: api.apiId,
        accountId,
        queryString: graphql?.query ?? '',
        ...(graphql?.operationName !== undefined && { operationName: graphql.operationName }),
        variables: graphql?.variables ?? {},
        requestHeaders: headers,
      });
      if (!decision.ok) return refuse(decision.message);
      return accept({ authType: 'AWS_LAMBDA', identity: { resolverContext: decision.resolverContext }, deniedFields: new Set(decision.deniedFields) });
    }
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
