import type { GraphqlApiModel } from './assembly/model.ts';

/**
 * The `amplify_outputs.json` form (schema version 1) that `Amplify.configure(outputs)`
 * reads, for one API of the assembly.
 */
export function amplifyOutputs(api: GraphqlApiModel, region: string): Record<string, unknown> {
  const liveKey = api.apiKeys.find((k) => k.expires * 1000 > Date.now());
  return {
    version: '1.4',
    data: {
      url: api.graphqlUrl,
      aws_region: region,
      default_authorization_type: api.defaultAuth.type,
      authorization_types: api.additionalAuth.map((p) => p.type),
      ...(liveKey && { api_key: liveKey.value }),
    },
  };
}
