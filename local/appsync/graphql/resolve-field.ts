import type { Caller } from '../auth/field-access.ts';
import type { DataSourceInvoker } from '../datasources/types.ts';
import { runResolver, type ResolverDefinition, type ResolverOutcome } from '../js/index.ts';

/** AppSync's limit on one request's execution (queries, mutations, subscriptions). */
export const REQUEST_TIME_LIMIT_MS = 30_000;

/** What running a field's resolver needs of its API. */
export interface FieldResolverContext {
  invoke: DataSourceInvoker;
  environmentVariables: Record<string, string>;
  log(line: string): void;
}

/** The request a field is resolved in. */
export interface FieldRequest {
  caller: Caller;
  headers: Record<string, string | string[]>;
  variables: Record<string, unknown>;
  operation: 'query' | 'mutation' | 'subscription';
  deadline: number;
}

export interface FieldCall {
  typeName: string;
  fieldName: string;
  args: Record<string, unknown>;
  source: unknown;
  selectionSetList: readonly string[];
  selectionSetGraphQL: string;
}

/**
 * Runs one field's resolver (unit or pipeline) with AppSync's context: what the executor does
 * for every resolved field and what a subscription's start does once. Its log lines are
 * prefixed with the field.
 */
export async function resolveField(context: FieldResolverContext, resolver: ResolverDefinition, request: FieldRequest, field: FieldCall): Promise<ResolverOutcome> {
  const outcome = await runResolver(
    {
      resolver,
      arguments: field.args,
      identity: request.caller.identity ?? null,
      source: field.source ?? null,
      request: { headers: request.headers, domainName: null },
      info: {
        fieldName: field.fieldName,
        parentTypeName: field.typeName,
        variables: request.variables,
        selectionSetList: field.selectionSetList,
        selectionSetGraphQL: field.selectionSetGraphQL,
      },
      env: context.environmentVariables,
      authType: request.caller.authType,
      operation: request.operation,
      deadline: request.deadline,
    },
    context.invoke,
  );
  for (const line of outcome.logs) context.log(`${field.typeName}.${field.fieldName}: ${line}`);
  return outcome;
}
