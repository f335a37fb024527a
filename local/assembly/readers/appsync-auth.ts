import type { AuthenticationType, AuthProviderModel } from '../model.ts';
import { missing } from '../stack-scope.ts';

/** An API's `AuthenticationType` with its config: the default provider, or one of `AdditionalAuthenticationProviders`. */
export function authProvider(p: Record<string, unknown>, where: string, region: string): AuthProviderModel {
  const type = p.AuthenticationType as AuthenticationType;
  const pool = p.UserPoolConfig as { UserPoolId: string; AwsRegion?: string; AppIdClientRegex?: string; DefaultAction?: 'ALLOW' | 'DENY' } | undefined;
  const oidc = p.OpenIDConnectConfig as { Issuer: string; ClientId?: string; IatTTL?: number; AuthTTL?: number } | undefined;
  const lambda = p.LambdaAuthorizerConfig as { AuthorizerUri: string; AuthorizerResultTtlInSeconds?: number; IdentityValidationExpression?: string } | undefined;
  switch (type) {
    case 'API_KEY':
    case 'AWS_IAM':
      return { type };
    case 'AMAZON_COGNITO_USER_POOLS':
      if (!pool) missing(where, 'UserPoolConfig');
      return {
        type,
        userPool: {
          userPoolId: pool!.UserPoolId,
          region: pool!.AwsRegion ?? region,
          ...(pool!.AppIdClientRegex && { appIdClientRegex: pool!.AppIdClientRegex }),
          ...(pool!.DefaultAction && { defaultAction: pool!.DefaultAction }),
        },
      };
    case 'OPENID_CONNECT':
      if (!oidc) missing(where, 'OpenIDConnectConfig');
      return { type, openIdConnect: { issuer: oidc!.Issuer, ...(oidc!.ClientId && { clientId: oidc!.ClientId }), ...(oidc!.IatTTL && { iatTtl: oidc!.IatTTL }), ...(oidc!.AuthTTL && { authTtl: oidc!.AuthTTL }) } };
    case 'AWS_LAMBDA':
      if (!lambda) missing(where, 'LambdaAuthorizerConfig');
      return {
        type,
        lambda: {
          functionArn: lambda!.AuthorizerUri,
          ttlSeconds: lambda!.AuthorizerResultTtlInSeconds ?? 300,
          ...(lambda!.IdentityValidationExpression && { identityValidationExpression: lambda!.IdentityValidationExpression }),
        },
      };
    default:
      throw new Error(`${where}: unknown AuthenticationType ${JSON.stringify(type)}; expected API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or AWS_LAMBDA`);
  }
}
