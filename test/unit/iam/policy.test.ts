import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../../local/iam/policy.ts';

const api = 'arn:aws:appsync:us-east-1:000000000000:apis/abc';
const publisher = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'appsync:GraphQL', Resource: [`${api}/types/Mutation/fields/publishPriceUpdate`, `${api}/types/Mutation/fields/publishJobUpdate`] }],
};

describe('evaluatePolicies', () => {
  it('allows exactly the listed field ARNs', () => {
    expect(evaluatePolicies([publisher], 'appsync:GraphQL', `${api}/types/Mutation/fields/publishPriceUpdate`)).toBe('allow');
    expect(evaluatePolicies([publisher], 'appsync:GraphQL', `${api}/types/Mutation/fields/ingestFeed`)).toBe('implicit-deny');
    expect(evaluatePolicies([publisher], 'appsync:GraphQL', `arn:aws:appsync:us-east-1:000000000000:apis/other/types/Mutation/fields/publishPriceUpdate`)).toBe('implicit-deny');
  });

  it('matches wildcards, actions case-insensitively, and lets an explicit Deny win', () => {
    const policies = [
      { Statement: { Effect: 'Allow', Action: 'AppSync:*', Resource: `${api}/types/*/fields/*` } },
      { Statement: { Effect: 'Deny', Action: 'appsync:GraphQL', Resource: `${api}/types/Mutation/fields/set?argin` } },
    ];
    expect(evaluatePolicies(policies, 'appsync:GraphQL', `${api}/types/Query/fields/market`)).toBe('allow');
    expect(evaluatePolicies(policies, 'appsync:GraphQL', `${api}/types/Mutation/fields/setMargin`)).toBe('deny');
  });

  it('never allows through a statement with a Condition it cannot evaluate', () => {
    const conditional = { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } } };
    expect(evaluatePolicies([conditional], 'appsync:GraphQL', `${api}/types/Query/fields/market`)).toBe('implicit-deny');
  });
});
