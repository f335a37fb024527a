import type { Stack } from 'aws-cdk-lib';
import type { GraphqlApi } from 'aws-cdk-lib/aws-appsync';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';

export interface CallerRoles {
  partnerFeed: Role;
  pricePublisher: Role;
}

/**
 * The IAM roles outside callers assume to sign GraphQL requests (SigV4), each allowed exactly
 * the root fields it needs (appsync:GraphQL on the field ARNs): partner feeds ingestFeed only,
 * the price publisher (the demo's, or any internal one) the four publish mutations. Assumable by
 * principals of this account. Created in the stack itself so their logical ids start with
 * `PartnerFeedRole` / `PricePublisherRole`, which the local runtime's credentials are named by.
 */
export function createCallerRoles(stack: Stack, api: GraphqlApi): CallerRoles {
  const partnerFeed = new Role(stack, 'PartnerFeedRole', {
    assumedBy: new AccountRootPrincipal(),
    description: 'Partner feeds: may call Mutation.ingestFeed only',
  });
  api.grantMutation(partnerFeed, 'ingestFeed');

  const pricePublisher = new Role(stack, 'PricePublisherRole', {
    assumedBy: new AccountRootPrincipal(),
    description: 'Internal publishers: may call the publish mutations (price, job, heartbeat and event updates)',
  });
  api.grantMutation(pricePublisher, 'publishPriceUpdate', 'publishJobUpdate', 'publishHeartbeat', 'publishEventUpdate');
  return { partnerFeed, pricePublisher };
}
