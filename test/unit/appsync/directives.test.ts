import { describe, expect, it } from 'vitest';
import { createFieldAuthorizer } from '../../../local/appsync/auth/directives.ts';
import { buildAppSyncSchema } from '../../../local/appsync/graphql/appsync-schema.ts';

const schema = buildAppSyncSchema(
  `type Board @aws_api_key @aws_cognito_user_pools { id: ID! secret: String @aws_iam }
   type Plain { id: ID! }
   type Query {
     board: Board @aws_api_key @aws_cognito_user_pools
     plain: Plain
     traderOnly: String @aws_cognito_user_pools(cognito_groups: ["traders"])
     adminOrTrader: String @aws_auth(cognito_groups: ["admins", "traders"])
   }`,
  'test',
);
const auth = createFieldAuthorizer(schema, 'AMAZON_COGNITO_USER_POOLS');

describe('AppSync auth directive rules', () => {
  it('applies field directives over type directives', () => {
    expect(auth.isAllowed('Board', 'id', { authType: 'API_KEY' })).toBe(true);
    expect(auth.isAllowed('Board', 'secret', { authType: 'API_KEY' })).toBe(false);
    expect(auth.isAllowed('Board', 'secret', { authType: 'AWS_IAM' })).toBe(true);
  });

  it('allows only the default mode where neither field nor type names one', () => {
    expect(auth.isAllowed('Query', 'plain', { authType: 'AMAZON_COGNITO_USER_POOLS' })).toBe(true);
    expect(auth.isAllowed('Query', 'plain', { authType: 'API_KEY' })).toBe(false);
    expect(auth.isAllowed('Plain', 'id', { authType: 'AWS_IAM' })).toBe(false);
  });

  it('narrows user pools to the named groups', () => {
    expect(auth.isAllowed('Query', 'traderOnly', { authType: 'AMAZON_COGNITO_USER_POOLS', groups: ['traders'] })).toBe(true);
    expect(auth.isAllowed('Query', 'traderOnly', { authType: 'AMAZON_COGNITO_USER_POOLS', groups: ['viewers'] })).toBe(false);
    expect(auth.isAllowed('Query', 'traderOnly', { authType: 'AMAZON_COGNITO_USER_POOLS' })).toBe(false);
    expect(auth.isAllowed('Query', 'adminOrTrader', { authType: 'AMAZON_COGNITO_USER_POOLS', groups: ['admins'] })).toBe(true);
    expect(auth.isAllowed('Query', 'adminOrTrader', { authType: 'API_KEY' })).toBe(false);
  });
});
