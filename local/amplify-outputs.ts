import type { GraphqlApiModel, UserPoolModel } from './assembly/model.ts';

/**
 * The `amplify_outputs.json` form (schema version 1) that `Amplify.configure(outputs)`
 * reads, for one API of the assembly and its user pool. Amplify's outputs have no field for
 * a custom user-pools endpoint: it is given under `custom.local_runtime.user_pool_endpoint`
 * for clients to pass as `Auth.Cognito.userPoolEndpoint`.
 */
export function amplifyOutputs(api: GraphqlApiModel, region: string, userPools: UserPoolModel[], cognitoEndpoint: string | undefined): Record<string, unknown> {
  const liveKey = api.apiKeys.find((k) => k.expires * 1000 > Date.now());
  const poolId = [api.defaultAuth, ...api.additionalAuth].find((p) => p.type === 'AMAZON_COGNITO_USER_POOLS')?.userPool?.userPoolId;
  const pool = userPools.find((p) => p.userPoolId === poolId);
  return {
    version: '1.4',
    ...(pool && {
      auth: {
        aws_region: region,
        user_pool_id: pool.userPoolId,
        user_pool_client_id: pool.clients[0]?.clientId,
        username_attributes: (pool.properties.UsernameAttributes as string[] | undefined) ?? [],
        standard_required_attributes: [],
        user_verification_types: [],
        groups: pool.groups.map((g) => ({ [g.name]: { precedence: Number(g.properties.Precedence ?? 0) } })),
        mfa_configuration: 'NONE',
        mfa_methods: [],
        unauthenticated_identities_enabled: false,
      },
    }),
    data: {
      url: api.graphqlUrl,
      aws_region: region,
      default_authorization_type: api.defaultAuth.type,
      authorization_types: api.additionalAuth.map((p) => p.type),
      ...(liveKey && { api_key: liveKey.value }),
    },
    ...(cognitoEndpoint && pool && { custom: { local_runtime: { user_pool_endpoint: cognitoEndpoint } } }),
  };
}
