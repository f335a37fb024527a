import type { JsonWebKey } from 'node:crypto';
import type { AppModel, GraphqlApiModel } from '../../assembly/model.ts';
import type { LocalCredential } from '../../iam/credentials.ts';
import type { LambdaInvoker } from '../../lambda/index.ts';
import { createAuthenticator, type Authenticator } from './authenticate.ts';
import type { Jwks } from './jwt.ts';
import { createLambdaAuthorizer } from './lambda-authorizer.ts';

/** What verifying an API's callers needs of the rest of the runtime. */
export interface AuthProviderContext {
  accountId: string;
  region: string;
  credentials: LocalCredential[];
  model: AppModel;
  /** Where the local Cognito's pools issue tokens, when the assembly has pools. */
  cognitoIssuerBase: string | undefined;
  invokeLambda: LambdaInvoker;
  log(line: string): void;
}

/**
 * The API's auth modes with what verifies them: each user pool's and OIDC issuer's signing
 * keys (read once, from their JWKS), and the Lambda authorizer.
 */
export async function authenticatorFor(api: GraphqlApiModel, context: AuthProviderContext): Promise<Authenticator> {
  const providers = [api.defaultAuth, ...api.additionalAuth];
  const userPools = [];
  for (const provider of providers) {
    if (provider.type !== 'AMAZON_COGNITO_USER_POOLS' || !provider.userPool) continue;
    if (!context.cognitoIssuerBase) throw new Error(`${api.name}: user pool ${provider.userPool.userPoolId} is not a pool of the assembly, so no local Cognito issues its tokens`);
    const issuer = `${context.cognitoIssuerBase}/${provider.userPool.userPoolId}`;
    userPools.push({
      issuer,
      jwks: await readJwks(`${issuer}/.well-known/jwks.json`),
      ...(provider.userPool.appIdClientRegex !== undefined && { appIdClientRegex: provider.userPool.appIdClientRegex }),
      defaultAction: provider.userPool.defaultAction ?? 'ALLOW',
    });
  }
  const oidcProviders = [];
  for (const provider of providers) {
    if (provider.type !== 'OPENID_CONNECT' || !provider.openIdConnect) continue;
    const { issuer, clientId, iatTtl, authTtl } = provider.openIdConnect;
    try {
      const discovery = (await (await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)).json()) as { jwks_uri?: string };
      oidcProviders.push({
        issuer,
        jwks: await readJwks(discovery.jwks_uri ?? `${issuer}/.well-known/jwks.json`),
        ...(clientId !== undefined && { clientId }),
        ...(iatTtl !== undefined && { iatTtlMs: iatTtl }),
        ...(authTtl !== undefined && { authTtlMs: authTtl }),
      });
    } catch (error) {
      // Offline, a remote issuer is unreachable: its tokens are refused, never trusted undecoded.
      context.log(`warning: OIDC issuer ${issuer} is unreachable (${(error as Error).message}); its tokens will be refused`);
    }
  }
  const lambdaConfig = providers.find((p) => p.type === 'AWS_LAMBDA')?.lambda;
  return createAuthenticator({
    api,
    accountId: context.accountId,
    region: context.region,
    credentials: context.credentials,
    roles: context.model.roles,
    userPools,
    oidcProviders,
    ...(lambdaConfig && { lambdaAuthorizer: createLambdaAuthorizer(lambdaConfig, context.invokeLambda, context.log) }),
    log: context.log,
  });
}

export async function readJwks(url: string): Promise<Jwks> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot read the signing keys (JWKS) from ${url}: HTTP ${response.status}`);
  return ((await response.json()) as { keys: JsonWebKey[] }).keys as Jwks;
}
