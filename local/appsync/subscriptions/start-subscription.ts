import { Kind, type FieldNode, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import { unauthorizedFieldMessage } from '../auth/directives.ts';
import type { Caller, FieldAccess } from '../auth/field-access.ts';
import { toAppSyncError } from '../graphql/errors.ts';
import { fragmentsOf } from '../graphql/fragments.ts';
import { REQUEST_TIME_LIMIT_MS, resolveField, type FieldResolverContext } from '../graphql/resolve-field.ts';
import { selectionSetGraphQL, selectionSetList } from '../graphql/selection-set.ts';
import type { ResolverDefinition } from '../js/index.ts';
import { ERRORS } from '../realtime/frames.ts';
import type { RealtimeEngine, SubscriptionStartRequest, SubscriptionStartVerdict } from '../realtime/types.ts';
import { compileArgumentFilter } from './argument-filter.ts';
import { compileFilter, type CompiledFilter } from './enhanced-filter.ts';
import type { PreparedSubscription, SubscriptionPreparer } from './operation.ts';
import type { Subscriber, SubscriptionRegistry } from './registry.ts';

/**
 * The whole start of a subscription, in AppSync's order: the operation checked against the
 * schema, the field's auth rules for the caller, the subscription resolver (which may refuse or
 * set enhanced and invalidation filters), the filter chosen, and the registration that
 * matching and delivery work from. The real-time transport calls `startSubscription` on a
 * `start` frame (after authenticating it); the API's engine answers its middle question with
 * `authorizeSubscription`, which runs the resolver as the executor runs any field's.
 */

/** What a subscription start needs of its API: field auth and the resolvers. */
export interface SubscriptionAuthority extends FieldResolverContext {
  mayResolve: FieldAccess;
  /** Keyed `Type.field`. */
  resolvers: Map<string, ResolverDefinition>;
  requestTimeLimitMs?: number;
}

/** The transport's side: who answers the auth question, where subscriptions are held. */
export interface SubscriptionServices {
  engine: RealtimeEngine;
  registry: SubscriptionRegistry;
  prepare: SubscriptionPreparer;
  log(event: string, detail: Record<string, unknown>): void;
}

/** What the client asked for, kept so a subscription can be checked again against a new schema. */
export interface SubscriptionRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

/** A registered subscription: its filters as chosen at start, and how to drop it. */
export interface StartedSubscription {
  request: SubscriptionRequest;
  fieldName: string;
  filter: CompiledFilter;
  invalidationFilter?: CompiledFilter;
  remove(): void;
}

export type StartOutcome =
  | { ok: true; subscription: StartedSubscription }
  | { ok: false; errors: readonly object[] }
  /** The client stopped it (or went away) while auth or the resolver ran. */
  | { ok: false; cancelled: true };

/**
 * Field auth for the caller, then the subscription resolver if the field has one: what AppSync
 * does once when a subscription starts.
 */
export async function authorizeSubscription(authority: SubscriptionAuthority, start: SubscriptionStartRequest): Promise<SubscriptionStartVerdict> {
  if (!authority.mayResolve('Subscription', start.fieldName, start.caller)) {
    return { ok: false, errors: [{ errorType: 'Unauthorized', message: unauthorizedFieldMessage('Subscription', start.fieldName) }] };
  }
  const resolver = authority.resolvers.get(`Subscription.${start.fieldName}`);
  if (!resolver) return { ok: true };
  const fragments = fragmentsOf(start.document);
  const operation = start.document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fieldNodes = (operation?.selectionSet.selections ?? []).filter((s) => s.kind === Kind.FIELD && s.name.value === start.fieldName) as FieldNode[];
  const outcome = await resolveField(
    authority,
    resolver,
    {
      caller: start.caller,
      headers: start.headers as Record<string, string | string[]>,
      variables: start.variables,
      operation: 'subscription',
      deadline: Date.now() + (authority.requestTimeLimitMs ?? REQUEST_TIME_LIMIT_MS),
    },
    {
      typeName: 'Subscription',
      fieldName: start.fieldName,
      args: start.args,
      source: null,
      selectionSetList: selectionSetList(fieldNodes, fragments),
      selectionSetGraphQL: selectionSetGraphQL(fieldNodes),
    },
  );
  const errors = [...(outcome.error ? [outcome.error] : []), ...outcome.appendedErrors];
  if (errors.length > 0) return { ok: false, errors: errors.map((e) => ({ errorType: e.errorType ?? 'Unknown', message: e.message })) };
  const { subscriptionFilter, subscriptionInvalidationFilter } = outcome.extensions;
  return {
    ok: true,
    ...(subscriptionFilter !== undefined && { filter: subscriptionFilter }),
    ...(subscriptionInvalidationFilter !== undefined && { invalidationFilter: subscriptionInvalidationFilter }),
  };
}

/**
 * Starts an authenticated `start`: checks the operation, asks the engine (field auth and
 * resolver), chooses the filter and registers the subscriber. `isCancelled` is asked after each
 * wait, so a subscription stopped meanwhile is never registered.
 */
export async function startSubscription(
  services: SubscriptionServices,
  start: { id: string; request: SubscriptionRequest; caller: Caller; headers: Record<string, unknown> },
  subscriber: Subscriber,
  isCancelled: () => boolean,
): Promise<StartOutcome> {
  const { request } = start;
  const prepared = services.prepare(request.query, request.variables, request.operationName);
  if (!prepared.ok) return { ok: false, errors: preparationErrors(prepared) };

  const verdict = await services.engine.startSubscription({
    fieldName: prepared.fieldName,
    args: prepared.args,
    document: prepared.document,
    variables: request.variables,
    caller: start.caller,
    headers: start.headers,
  });
  if (isCancelled()) return { ok: false, cancelled: true };
  if (!verdict.ok) return { ok: false, errors: verdict.errors };

  // Enhanced filtering replaces basic argument filtering entirely (DOC-EF).
  let filter: CompiledFilter;
  if (verdict.filter !== undefined && verdict.filter !== null) {
    const compiled = compileFilter(verdict.filter);
    if (!compiled.ok) return { ok: false, errors: [ERRORS.badFilter(compiled.message)] };
    if (compiled.ignoredFields.length > 0) services.log('filter-rules-ignored', { id: start.id, reason: 'nested deeper than 5 levels', fields: compiled.ignoredFields });
    filter = compiled.filter;
  } else {
    filter = compileArgumentFilter(prepared.args);
  }
  let invalidationFilter: CompiledFilter | undefined;
  if (verdict.invalidationFilter !== undefined && verdict.invalidationFilter !== null) {
    const compiled = compileFilter(verdict.invalidationFilter);
    if (!compiled.ok) return { ok: false, errors: [ERRORS.badFilter(compiled.message)] };
    invalidationFilter = compiled.filter;
  }
  return { ok: true, subscription: register(services, prepared, { request, filter, ...(invalidationFilter && { invalidationFilter }) }, subscriber) };
}

/**
 * Registers a running subscription again after the schema changed: its operation is checked
 * against the new schema, and its filters stay as its resolver chose them at start. A
 * subscription whose field or arguments no longer fit gets the validation errors instead.
 */
export function resubscribe(services: SubscriptionServices, started: StartedSubscription, subscriber: Subscriber): StartOutcome {
  const { request } = started;
  const prepared = services.prepare(request.query, request.variables, request.operationName);
  if (!prepared.ok) return { ok: false, errors: preparationErrors(prepared) };
  const { filter, invalidationFilter } = started;
  return { ok: true, subscription: register(services, prepared, { request, filter, ...(invalidationFilter && { invalidationFilter }) }, subscriber) };
}

function register(
  services: SubscriptionServices,
  prepared: Extract<PreparedSubscription, { ok: true }>,
  chosen: { request: SubscriptionRequest; filter: CompiledFilter; invalidationFilter?: CompiledFilter },
  subscriber: Subscriber,
): StartedSubscription {
  const remove = services.registry.add({
    fieldName: prepared.fieldName,
    fieldType: prepared.fieldDef.type,
    root: prepared.root,
    selectionKey: prepared.selectionKey,
    filter: chosen.filter,
    ...(chosen.invalidationFilter && { invalidationFilter: chosen.invalidationFilter }),
    subscriber,
  });
  return { ...chosen, fieldName: prepared.fieldName, remove };
}

/** Parse and validation errors in the shape the HTTP endpoint gives them [UNVERIFIED for the real-time channel]. */
function preparationErrors(prepared: Extract<PreparedSubscription, { ok: false }>): readonly object[] {
  return prepared.kind === 'unsupported' ? [ERRORS.unsupported(prepared.operation)] : prepared.errors.map((e: GraphQLError) => toAppSyncError(e));
}
