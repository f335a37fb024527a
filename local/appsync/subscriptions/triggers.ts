import { getDirectiveValues, getNamedType, type GraphQLSchema } from 'graphql';

/**
 * Which subscription fields each mutation fires: `@aws_subscribe(mutations: [...])` read from
 * the schema. AppSync refuses at deploy a subscription naming a mutation that does not exist or
 * returns another type (DOC-DATA: the return types "must match"), so this throws the same way.
 */
export function subscriptionTriggers(schema: GraphQLSchema): Map<string, string[]> {
  const triggers = new Map<string, string[]>();
  const directive = schema.getDirective('aws_subscribe');
  const subscriptionType = schema.getSubscriptionType();
  if (!directive || !subscriptionType) return triggers;
  const mutationFields = schema.getMutationType()?.getFields() ?? {};

  for (const field of Object.values(subscriptionType.getFields())) {
    if (!field.astNode) continue;
    const values = getDirectiveValues(directive, field.astNode);
    const mutations = (values?.mutations ?? []) as (string | null)[];
    for (const mutation of mutations) {
      if (mutation === null) continue;
      const mutationField = mutationFields[mutation];
      if (!mutationField) {
        throw new Error(`Subscription.${field.name}: @aws_subscribe names mutation "${mutation}", which the schema's Mutation type does not have`);
      }
      const published = getNamedType(mutationField.type).name;
      const subscribed = getNamedType(field.type).name;
      if (published !== subscribed) {
        throw new Error(`Subscription.${field.name}: returns ${subscribed} but its @aws_subscribe mutation ${mutation} returns ${published}; AppSync requires the same type`);
      }
      const fields = triggers.get(mutation) ?? [];
      if (!fields.includes(field.name)) fields.push(field.name);
      triggers.set(mutation, fields);
    }
  }
  return triggers;
}
