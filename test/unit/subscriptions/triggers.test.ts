import { describe, expect, it } from 'vitest';
import { buildAppSyncSchema } from '../../../local/appsync/graphql/appsync-schema.ts';
import { subscriptionTriggers } from '../../../local/appsync/subscriptions/triggers.ts';

const schemaWith = (subscription: string) =>
  buildAppSyncSchema(
    `type A { id: ID! } type B { id: ID! }
     type Query { a: A }
     type Mutation { putA: A putB: B }
     type Subscription { ${subscription} }`,
    'triggers test',
  );

describe('@aws_subscribe', () => {
  it('maps each mutation to the subscription fields that list it', () => {
    const triggers = subscriptionTriggers(schemaWith('onA: A @aws_subscribe(mutations: ["putA"]) onAny: A @aws_subscribe(mutations: ["putA"]) plain: A'));
    expect(Object.fromEntries(triggers)).toEqual({ putA: ['onA', 'onAny'] });
  });

  it('refuses a subscription naming a mutation the schema does not have, as AppSync refuses it at deploy', () => {
    expect(() => subscriptionTriggers(schemaWith('onA: A @aws_subscribe(mutations: ["putC"])'))).toThrow('Subscription.onA: @aws_subscribe names mutation "putC"');
  });

  it('refuses a subscription whose type differs from its mutation’s', () => {
    expect(() => subscriptionTriggers(schemaWith('onA: A @aws_subscribe(mutations: ["putB"])'))).toThrow('returns A but its @aws_subscribe mutation putB returns B');
  });
});
