import { GraphQLError, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { AppSyncFieldError } from './errors.ts';

/**
 * An API's execution limits, as the template sets them on AWS::AppSync::GraphQLApi
 * (`QueryDepthLimit`, `ResolverCountLimit`, `IntrospectionConfig`). 0 or absent means AppSync's
 * default. Source: https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html
 * and the CreateGraphqlApi reference (docs/appsync-query-limits.md).
 */
export interface QueryLimitSettings {
  /** 1–75 nested levels; 0 = no depth limit. */
  queryDepthLimit: number;
  /** 1–10000 resolvers per request; 0 = AppSync's 10000. */
  resolverCountLimit: number;
  introspection: 'ENABLED' | 'DISABLED';
}

/** "The default value is 0 (or unspecified), which will set the limit to 10000." */
export const DEFAULT_RESOLVER_COUNT_LIMIT = 10_000;

export interface QueryLimits {
  /** Infinity when unlimited. */
  maxDepth: number;
  maxResolvers: number;
  introspection: boolean;
}

export function queryLimits(settings: Partial<QueryLimitSettings> = {}): QueryLimits {
  const depth = settings.queryDepthLimit ?? 0;
  const resolvers = settings.resolverCountLimit ?? 0;
  return {
    maxDepth: depth > 0 ? depth : Infinity,
    maxResolvers: resolvers > 0 ? resolvers : DEFAULT_RESOLVER_COUNT_LIMIT,
    introspection: settings.introspection !== 'DISABLED',
  };
}

/**
 * With introspection disabled AppSync answers with a validation error: its guide shows one for
 * a field of `__Schema` being undefined. So every field selected on an introspection type
 * (`__Schema`, `__Type`, …) is refused; `__typename` stays, as it lives on the schema's own
 * types (Amplify's clients select it everywhere).
 * UNVERIFIED: the exact wording, taken from graphql-java's FieldUndefined validation error that
 * the guide's screenshot describes.
 */
export function introspectionErrors(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): GraphQLError[] {
  if (limits.introspection) return [];
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  const path: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          path.push(node.name.value);
          const parent = typeInfo.getParentType();
          if (parent?.name.startsWith('__')) {
            errors.push(
              new GraphQLError(`Validation error of type FieldUndefined: Field '${node.name.value}' in type '${parent.name}' is undefined @ '${path.join('/')}'`, { nodes: node }),
            );
          }
        },
        leave() {
          path.pop();
        },
      },
    }),
  );
  return errors;
}

/**
 * A field past the depth limit is not resolved: AppSync gives it a `QueryDepthLimitReached`
 * error, which (like any field error) nulls the first nullable field above it. Depth counts
 * field levels: root fields are level 1; list indexes are not levels.
 * UNVERIFIED: the message (the guide names only the errorType), and whether fields below the
 * first one past the limit get entries of their own (here they are never reached).
 */
export function checkDepth(path: { prev: unknown; key: string | number } | undefined, limits: QueryLimits): void {
  if (limits.maxDepth === Infinity) return;
  let depth = 0;
  for (let p = path; p; p = p.prev as typeof p) if (typeof p.key === 'string') depth++;
  if (depth > limits.maxDepth) {
    throw new AppSyncFieldError(`Query depth limit of ${limits.maxDepth} reached: this field is at depth ${depth}.`, 'QueryDepthLimitReached');
  }
}

/**
 * Counts a resolver about to run in a request; past the limit it does not run and fails with
 * `ResolverExecutionLimitReached`, as the guide says. UNVERIFIED: the message, which users
 * report as "Resolver invocation limit reached" (aws-amplify/amplify-js#8342).
 */
export function countResolver(counter: { resolvers: number }, limits: QueryLimits): void {
  counter.resolvers += 1;
  if (counter.resolvers > limits.maxResolvers) throw new AppSyncFieldError('Resolver invocation limit reached.', 'ResolverExecutionLimitReached');
}
