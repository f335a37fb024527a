// The `extensions` and `runtime` globals (D-EXT, D-RT, NPM-U lib/index.d.ts).
import { argumentError, describe } from './util/arguments.ts';
import { isPlainObject } from '../../support/objects.ts';
import { deepFreeze } from './util/index.ts';
import { currentInvocation, type InvocationState } from './invocation-state.ts';
import { jsonClone } from './json.ts';
import { EarlyReturnSignal } from './signals.ts';

/**
 * D-EXT: "only in the response handler of a subscription resolver" / "only in mutation
 * response handlers". What AppSync does with a call elsewhere is UNVERIFIED; the local runtime
 * fails the handler with a message saying where the call belongs. EvaluateCode contexts that
 * do not name the operation (no info.parentTypeName) are not checked for it.
 */
function requirePlace(member: string, state: InvocationState, operation: 'subscription' | 'mutation'): void {
  if (state.handler !== 'response' || (state.operation !== undefined && state.operation !== operation)) {
    throw new Error(`${member} can only be used in the response handler of a ${operation} resolver (here: the ${state.handler} handler of a ${state.operation ?? 'resolver'}${state.typeName ? ` field ${state.typeName}.${state.fieldName}` : ''})`);
  }
}

function filterArgument(member: string, filter: unknown): unknown {
  if (!isPlainObject(filter) || !Array.isArray(filter.filterGroup)) {
    throw argumentError(member, `expected a subscription filter {filterGroup:[{filters:[{fieldName, operator, value}]}]}, such as util.transform.toSubscriptionFilter returns, not ${describe(filter)}`);
  }
  return jsonClone(filter);
}

export function createExtensions() {
  return deepFreeze({
    evictFromApiCache(typeName: unknown, fieldName: unknown, keyValuePair: unknown): void {
      const member = 'extensions.evictFromApiCache';
      const state = currentInvocation(member);
      if (typeof typeName !== 'string' || typeof fieldName !== 'string' || !isPlainObject(keyValuePair)) {
        throw argumentError(member, 'expected (typeName: string, fieldName: string, keyValuePair: object)');
      }
      // "This utility works only for mutations, not queries" (D-EXT): elsewhere it has no effect.
      if (state.operation !== undefined && state.operation !== 'mutation') {
        state.logs.push(`WARN ${member} has no effect in a ${state.operation}: it works only for mutations`);
        return;
      }
      state.extensions.cacheEvictions.push({ typeName, fieldName, keys: jsonClone(keyValuePair) });
    },
    setSubscriptionFilter(filter: unknown): void {
      const member = 'extensions.setSubscriptionFilter';
      const state = currentInvocation(member);
      requirePlace(member, state, 'subscription');
      state.extensions.subscriptionFilter = filterArgument(member, filter);
    },
    setSubscriptionInvalidationFilter(filter: unknown): void {
      const member = 'extensions.setSubscriptionInvalidationFilter';
      const state = currentInvocation(member);
      requirePlace(member, state, 'subscription');
      state.extensions.subscriptionInvalidationFilter = filterArgument(member, filter);
    },
    invalidateSubscriptions(invalidation: unknown): void {
      const member = 'extensions.invalidateSubscriptions';
      const state = currentInvocation(member);
      requirePlace(member, state, 'mutation');
      if (!isPlainObject(invalidation) || typeof invalidation.subscriptionField !== 'string' || !isPlainObject(invalidation.payload)) {
        throw argumentError(member, `expected {subscriptionField: string, payload: object}, not ${describe(invalidation)}`);
      }
      // The limit of five unique calls holds per GraphQL request, across resolvers: the executor
      // that sees the whole request enforces it.
      state.extensions.invalidations.push({ subscriptionField: invalidation.subscriptionField, payload: jsonClone(invalidation.payload) });
    },
  });
}

export function createRuntime() {
  return deepFreeze({
    /**
     * Ends the handler with `value` (D-RT). In a request handler the data source and the
     * response handler are skipped; `skipTo` picks how much of a pipeline is skipped.
     * UNVERIFIED in a response handler: it returns `value` as the handler's result.
     */
    earlyReturn(value?: unknown, options?: unknown): never {
      currentInvocation('runtime.earlyReturn');
      let skipTo: 'END' | 'NEXT' | undefined;
      if (options !== undefined && options !== null) {
        const to = isPlainObject(options) ? options.skipTo : undefined;
        if (to !== undefined && to !== 'END' && to !== 'NEXT') throw argumentError('runtime.earlyReturn', `skipTo must be "END" or "NEXT", not ${describe(to)}`);
        skipTo = to;
      }
      throw new EarlyReturnSignal(jsonClone(value), skipTo);
    },
  });
}
