import {
  defaultFieldResolver,
  execute,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { BoundedCache } from '../../support/bounded-cache.ts';
import { memoByField } from '../../support/field-memo.ts';
import { unauthorizedFieldMessage } from '../auth/directives.ts';
import type { Caller, FieldAccess } from '../auth/field-access.ts';
import type { DataSourceInvoker } from '../datasources/types.ts';
import type { ResolverDefinition } from '../js/index.ts';
import { AppSyncFieldError, toAppSyncError, type AppSyncError } from './errors.ts';
import { fragmentsOf } from './fragments.ts';
import { RequestGate } from './request-gate.ts';
import { REQUEST_TIME_LIMIT_MS, resolveField } from './resolve-field.ts';
import { checkDepth, countResolver, introspectionErrors, queryLimits, type QueryLimits } from './limits.ts';
import { selected, selectionSetGraphQL, selectionSetList, unaliased } from './selection-set.ts';

/** `extensions.invalidateSubscriptions`: at most five unique calls per request (D-EXT). */
const MAX_INVALIDATIONS = 5;

export interface ExecutorOptions {
  schema: GraphQLSchema;
  /** Keyed `Type.field`. */
  resolvers: Map<string, ResolverDefinition>;
  /** Fields whose resolver cannot run locally, with the reason they fail with. */
  unsupported?: Map<string, string>;
  invoke: DataSourceInvoker;
  mayResolve: FieldAccess;
  environmentVariables: Record<string, string>;
  /** A mutation root field succeeded: fires `@aws_subscribe`. */
  publish(mutationField: string, value: unknown): void;
  /** `extensions.invalidateSubscriptions` of a mutation. */
  invalidate(subscriptionField: string, payload: Record<string, unknown>): void;
  log(line: string): void;
  requestTimeLimitMs?: number;
  /** The API's depth, resolver-count and introspection settings; default AppSync's. */
  limits?: QueryLimits;
}

export interface GraphqlRequest {
  query: unknown;
  variables?: unknown;
  operationName?: unknown;
  caller: Caller;
  headers: Record<string, string | string[]>;
}

export interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: AppSyncError[];
}

export interface ExecutionResult {
  body: GraphqlResponse;
  /** Added by resolvers with `util.http.addResponseHeader(s)`. */
  responseHeaders: Record<string, string>;
}

interface ExecutionState {
  caller: Caller;
  headers: Record<string, string | string[]>;
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
  operation: 'query' | 'mutation' | 'subscription';
  deadline: number;
  /** Errors appended with `util.appendError`, which do not null their field. */
  appended: AppSyncError[];
  /** Made by the first resolver that asks for one: most requests never do. */
  invalidations?: Map<string, { subscriptionField: string; payload: Record<string, unknown> }>;
  responseHeaders: Record<string, string>;
  /** How many of this request's resolvers run at once (request-gate.ts). */
  gate: RequestGate;
  /** Resolvers run so far, against the resolver count limit. */
  resolvers: number;
}

/**
 * Runs GraphQL operations against one AppSync API: its schema and AppSync scalars, the auth
 * rules of every field, and the template's resolvers — in graphql-js's execution model, with
 * AppSync's error entries and the mutation → subscription hand-off.
 */
/**
 * A document parsed and validated against the API's schema, with its operations and fragments
 * (found once per document, not per request), or the errors that refuse it.
 */
type CheckedDocument =
  | { document: DocumentNode; operations: OperationDefinitionNode[]; fragments: Record<string, FragmentDefinitionNode>; errors?: undefined }
  | { document?: undefined; errors: AppSyncError[] };

export function createExecutor(options: ExecutorOptions) {
  // Clients send few distinct documents, so each is parsed and validated once (validation was
  // ~15% of a simple query's time); the bound keeps a misbehaving client from growing it.
  const documents = new BoundedCache<string, CheckedDocument>(1000);
  const timeLimit = options.requestTimeLimitMs ?? REQUEST_TIME_LIMIT_MS;
  const limits = options.limits ?? queryLimits();

  // What each field runs: its resolver, or why it cannot run locally.
  const planOf = memoByField((typeName, fieldName) => {
    const key = `${typeName}.${fieldName}`;
    return { resolver: options.resolvers.get(key), unsupported: options.unsupported?.get(key) };
  });

  // Synchronous for fields without a resolver: most fields of a selection set are plain
  // properties, and a promise per leaf made graphql-js complete every object asynchronously.
  const fieldResolver: GraphQLFieldResolver<unknown, ExecutionState> = (source, args, state, info) => {
    const typeName = info.parentType.name;
    const { fieldName } = info;
    checkDepth(info.path, limits);
    if (!options.mayResolve(typeName, fieldName, state.caller)) {
      throw new AppSyncFieldError(unauthorizedFieldMessage(typeName, fieldName), 'Unauthorized');
    }
    const { resolver, unsupported } = planOf(typeName, fieldName);
    if (!resolver) {
      if (unsupported) throw new AppSyncFieldError(unsupported, 'LocalRuntime:Unsupported');
      return defaultFieldResolver(source, args, state, info);
    }
    if (Date.now() > state.deadline) throw executionTimeout();
    countResolver(state, limits);
    return resolveWithResolver(resolver, source, args, state, info);
  };

  async function resolveWithResolver(resolver: ResolverDefinition, source: unknown, args: Record<string, unknown>, state: ExecutionState, info: GraphQLResolveInfo): Promise<unknown> {
    const typeName = info.parentType.name;
    const { fieldName } = info;
    const outcome = await state.gate.run(() => resolveField(options, resolver, state, {
      typeName,
      fieldName,
      args,
      source,
      selectionSetList: selectionSetList(info.fieldNodes, state.fragments),
      selectionSetGraphQL: selectionSetGraphQL(info.fieldNodes),
    }));
    if (outcome.appendedErrors.length > 0) {
      const path = pathOf(info.path);
      const locations = info.fieldNodes.flatMap((node) => (node.loc ? [node.loc.startToken] : [])).map((t) => ({ line: t.line, column: t.column, sourceName: null }));
      for (const error of outcome.appendedErrors) {
        state.appended.push({ path, data: selected(error.data, info.fieldNodes, state.fragments), errorType: error.errorType, errorInfo: error.errorInfo, locations, message: error.message });
      }
    }
    for (const invalidation of outcome.extensions.invalidations) (state.invalidations ??= new Map()).set(JSON.stringify(invalidation), invalidation);
    Object.assign(state.responseHeaders, outcome.responseHeaders);
    if (outcome.error) {
      const { message, errorType, data, errorInfo } = outcome.error;
      throw new AppSyncFieldError(message, errorType, selected(data, info.fieldNodes, state.fragments), errorInfo);
    }
    return outcome.data;
  }

  function checked(query: string): CheckedDocument {
    return documents.getOrCreate(query, () => {
      let document: DocumentNode;
      try {
        document = parse(query);
      } catch (error) {
        return { errors: [toAppSyncError(error as GraphQLError)] };
      }
      const validationErrors = validate(options.schema, document);
      if (validationErrors.length > 0) return { errors: validationErrors.map(toAppSyncError) };
      const refused = introspectionErrors(options.schema, document, limits);
      if (refused.length > 0) return { errors: refused.map(toAppSyncError) };
      const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      return { document, operations, fragments: fragmentsOf(document) };
    });
  }

  async function executeRequest(request: GraphqlRequest): Promise<ExecutionResult> {
    const responseHeaders: Record<string, string> = {};
    const done = (body: GraphqlResponse): ExecutionResult => ({ body, responseHeaders });
    if (typeof request.query !== 'string' || request.query.trim() === '') {
      return done(requestError('The request has no GraphQL query: expected a JSON body with a "query" string'));
    }
    if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
      return done(requestError('"variables" must be a JSON object'));
    }
    const check = checked(request.query);
    if (!check.document) return done({ data: null, errors: check.errors });
    const { document, fragments } = check;

    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const operation = selectOperation(check.operations, operationName);
    if (!operation) return done(requestError(operationName ? `Unknown operation named "${operationName}"` : 'The document has several operations: give an operationName'));
    if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
      return done(requestError('Subscriptions are served by the real-time endpoint (wss://<host>/graphql/realtime), not over HTTP POST'));
    }

    const variables = (request.variables ?? {}) as Record<string, unknown>;
    const state: ExecutionState = {
      caller: request.caller,
      headers: request.headers,
      variables,
      fragments,
      operation: operation.operation === OperationTypeNode.MUTATION ? 'mutation' : 'query',
      deadline: Date.now() + timeLimit,
      appended: [],
      responseHeaders,
      gate: new RequestGate(),
      resolvers: 0,
    };
    const result = await execute({
      schema: options.schema,
      document,
      variableValues: variables,
      contextValue: state,
      fieldResolver,
      rootValue: null,
      ...(operationName !== undefined && { operationName }),
    });
    const errors = [...(result.errors ?? []).map(toAppSyncError), ...state.appended];

    if (state.operation === 'mutation' && result.data) {
      publishMutationFields(operation, result.data as Record<string, unknown>, fragments);
      const invalidations = [...(state.invalidations?.values() ?? [])];
      if (invalidations.length > MAX_INVALIDATIONS) {
        // UNVERIFIED: AppSync documents the limit but not what happens to the calls over it;
        // the first five are applied and the request reports the rest.
        errors.push(requestError(`extensions.invalidateSubscriptions was called with ${invalidations.length} unique arguments in one request; at most ${MAX_INVALIDATIONS} are allowed`).errors![0]!);
      }
      for (const { subscriptionField, payload } of invalidations.slice(0, MAX_INVALIDATIONS)) options.invalidate(subscriptionField, payload);
    }
    return done({ data: (result.data ?? null) as Record<string, unknown> | null, ...(errors.length > 0 && { errors }) });
  }

  function publishMutationFields(operation: OperationDefinitionNode, data: Record<string, unknown>, fragments: Record<string, FragmentDefinitionNode>) {
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const value = data[(selection.alias ?? selection.name).value];
      if (value === null || value === undefined) continue;
      try {
        options.publish(selection.name.value, unaliased(value, selection.selectionSet, fragments));
      } catch (error) {
        options.log(`publishing ${selection.name.value} to subscribers failed: ${(error as Error).message}`);
      }
    }
  }

  return { execute: executeRequest };
}

export type Executor = ReturnType<typeof createExecutor>;

function selectOperation(operations: OperationDefinitionNode[], name: string | undefined): OperationDefinitionNode | undefined {
  if (name !== undefined) return operations.find((o) => o.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}

function pathOf(path: { prev: unknown; key: string | number } | undefined): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let p = path as { prev: unknown; key: string | number } | undefined; p; p = p.prev as typeof p) keys.unshift(p.key);
  return keys;
}

/** UNVERIFIED: the errorType and message AppSync gives a request that runs past 30 s. */
function executionTimeout(): AppSyncFieldError {
  return new AppSyncFieldError('Execution timed out.', 'ExecutionTimeout');
}

function requestError(message: string): GraphqlResponse {
  return { data: null, errors: [{ path: null, data: null, errorType: 'BadRequestException', errorInfo: null, locations: [], message }] };
}
