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
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { unauthorizedFieldMessage } from '../auth/directives.ts';
import type { Caller, FieldAccess } from '../auth/field-access.ts';
import { runResolver, type DataSourceInvoker, type ResolverDefinition } from '../js/index.ts';
import { AppSyncFieldError, toAppSyncError, type AppSyncError } from './errors.ts';
import { selectionSetGraphQL, selectionSetList, unaliased } from './selection-set.ts';

export interface ExecutorOptions {
  schema: GraphQLSchema;
  /** Keyed `Type.field`. */
  resolvers: Map<string, ResolverDefinition>;
  invoke: DataSourceInvoker;
  mayResolve: FieldAccess;
  environmentVariables: Record<string, string>;
  /** Called for each root field of a successful mutation: fires `@aws_subscribe`. */
  onMutationField(fieldName: string, value: unknown): void;
  log(line: string): void;
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

interface ExecutionState {
  caller: Caller;
  headers: Record<string, string | string[]>;
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
  /** Errors appended with `util.appendError`, which do not null their field. */
  appended: AppSyncError[];
}

/** Runs GraphQL operations against an AppSync API's schema, auth rules and resolvers. */
export function createExecutor(options: ExecutorOptions) {
  const documents = new Map<string, DocumentNode>();

  const fieldResolver: GraphQLFieldResolver<unknown, ExecutionState> = async (source, args, state, info) => {
    const typeName = info.parentType.name;
    const { fieldName } = info;
    if (!options.mayResolve(typeName, fieldName, state.caller)) {
      throw new AppSyncFieldError(unauthorizedFieldMessage(typeName, fieldName), 'Unauthorized');
    }
    const resolver = options.resolvers.get(`${typeName}.${fieldName}`);
    if (!resolver) return defaultFieldResolver(source, args, state, info);

    const outcome = await runResolver(
      resolver,
      {
        arguments: args,
        identity: state.caller.identity,
        source: source ?? null,
        request: { headers: state.headers, domainName: null },
        info: {
          fieldName,
          parentTypeName: typeName,
          variables: state.variables,
          selectionSetList: selectionSetList(info.fieldNodes, state.fragments),
          selectionSetGraphQL: selectionSetGraphQL(info.fieldNodes),
        },
        env: options.environmentVariables,
      },
      options.invoke,
    );
    for (const line of outcome.logs) options.log(`${typeName}.${fieldName}: ${line}`);
    const errors = outcome.errors.map((e) => new AppSyncFieldError(e.message, e.errorType, e.data, e.errorInfo));
    const thrown = outcome.data === null || outcome.data === undefined ? errors.pop() : undefined;
    const locations = info.fieldNodes.flatMap((node) => (node.loc ? [node.loc.startToken] : [])).map((t) => ({ line: t.line, column: t.column, sourceName: null }));
    for (const error of errors) {
      state.appended.push({ path: pathOf(info.path), data: error.data, errorType: error.errorType, errorInfo: error.errorInfo, locations, message: error.message });
    }
    if (thrown) throw thrown;
    return outcome.data;
  };

  function parsed(query: string): DocumentNode | GraphQLError {
    let document = documents.get(query);
    if (!document) {
      try {
        document = parse(query);
      } catch (error) {
        return error as GraphQLError;
      }
      if (documents.size > 1000) documents.clear();
      documents.set(query, document);
    }
    return document;
  }

  return async function executeRequest(request: GraphqlRequest): Promise<GraphqlResponse> {
    if (typeof request.query !== 'string' || request.query.trim() === '') {
      return requestError('The request has no GraphQL query: expected a JSON body with a "query" string');
    }
    if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
      return requestError('"variables" must be a JSON object');
    }
    const document = parsed(request.query);
    if (document instanceof GraphQLError) return { data: null, errors: [toAppSyncError(document)] };
    const validationErrors = validate(options.schema, document);
    if (validationErrors.length > 0) return { data: null, errors: validationErrors.map(toAppSyncError) };

    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const operation = selectOperation(document, operationName);
    if (!operation) return requestError(operationName ? `Unknown operation named "${operationName}"` : 'The document has several operations: give an operationName');
    if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
      return requestError('Subscriptions are served by the real-time endpoint (wss://<host>/graphql/realtime), not over HTTP POST');
    }

    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    const state: ExecutionState = { caller: request.caller, headers: request.headers, variables, fragments, appended: [] };
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

    if (operation.operation === OperationTypeNode.MUTATION && result.data) publishMutationFields(operation, result.data, fragments);
    return { data: (result.data ?? null) as Record<string, unknown> | null, ...(errors.length > 0 && { errors }) };
  };

  function publishMutationFields(operation: OperationDefinitionNode, data: Record<string, unknown>, fragments: Record<string, FragmentDefinitionNode>) {
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const value = data[(selection.alias ?? selection.name).value];
      if (value === null || value === undefined) continue;
      try {
        options.onMutationField(selection.name.value, unaliased(value, selection.selectionSet, fragments));
      } catch (error) {
        options.log(`publishing ${selection.name.value} to subscribers failed: ${(error as Error).message}`);
      }
    }
  }
}

export type Executor = ReturnType<typeof createExecutor>;

function selectOperation(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name !== undefined) return operations.find((o) => o.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}

function pathOf(path: { prev: unknown; key: string | number } | undefined): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let p = path as { prev: unknown; key: string | number } | undefined; p; p = p.prev as typeof p) keys.unshift(p.key);
  return keys;
}

function requestError(message: string): GraphqlResponse {
  return { data: null, errors: [{ path: null, data: null, errorType: 'BadRequestException', errorInfo: null, locations: [], message }] };
}
