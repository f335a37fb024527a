import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { unauthorizedFieldMessage } from './auth/directives.ts';
import type { Caller, FieldAccess } from './auth/field-access.ts';
import { selectionSetGraphQL, selectionSetList } from './graphql/selection-set.ts';
import { runResolver, type DataSourceInvoker, type ResolverDefinition } from './js/index.ts';

export interface SubscriptionStarterOptions {
  schema: GraphQLSchema;
  resolvers: Map<string, ResolverDefinition>;
  invoke: DataSourceInvoker;
  mayResolve: FieldAccess;
  environmentVariables: Record<string, string>;
}

export interface SubscriptionStart {
  fieldName: string;
  args: Record<string, unknown>;
  caller: Caller;
  document: string;
  variables: Record<string, unknown>;
}

export type SubscriptionStartOutcome =
  | { ok: true; filter?: unknown; invalidationFilter?: unknown }
  | { ok: false; errors: { errorType: string; message: string }[] };

/**
 * What AppSync does once when a subscription starts: the field's auth directives with the
 * caller's identity, then the subscription resolver, if any, which may refuse or set
 * enhanced and invalidation filters.
 */
export function createSubscriptionStarter(options: SubscriptionStarterOptions) {
  return async function startSubscription(start: SubscriptionStart): Promise<SubscriptionStartOutcome> {
    if (!options.mayResolve('Subscription', start.fieldName, start.caller)) {
      return { ok: false, errors: [{ errorType: 'Unauthorized', message: unauthorizedFieldMessage('Subscription', start.fieldName) }] };
    }
    const resolver = options.resolvers.get(`Subscription.${start.fieldName}`);
    if (!resolver) return { ok: true };

    const { fieldNodes, fragments } = locateField(start.document, start.fieldName);
    const outcome = await runResolver(
      resolver,
      {
        arguments: start.args,
        identity: start.caller.identity,
        source: null,
        request: { headers: {}, domainName: null },
        info: {
          fieldName: start.fieldName,
          parentTypeName: 'Subscription',
          variables: start.variables,
          selectionSetList: selectionSetList(fieldNodes, fragments),
          selectionSetGraphQL: selectionSetGraphQL(fieldNodes),
        },
        env: options.environmentVariables,
      },
      options.invoke,
    );
    if (outcome.errors.length > 0) {
      return { ok: false, errors: outcome.errors.map((e) => ({ errorType: e.errorType ?? 'Unknown', message: e.message })) };
    }
    const { subscriptionFilter, subscriptionInvalidationFilter } = outcome.extensions;
    return {
      ok: true,
      ...(subscriptionFilter !== undefined && { filter: subscriptionFilter }),
      ...(subscriptionInvalidationFilter !== undefined && { invalidationFilter: subscriptionInvalidationFilter }),
    };
  };
}

function locateField(document: string, fieldName: string): { fieldNodes: FieldNode[]; fragments: Record<string, FragmentDefinitionNode> } {
  const parsed = parse(document);
  const fragments = Object.fromEntries(
    parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fieldNodes = (operation?.selectionSet.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === fieldName);
  return { fieldNodes, fragments };
}
