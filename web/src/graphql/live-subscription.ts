import type { Api, AuthMode } from './api.ts';
import type { ConnectionWatch } from './connection.ts';

const RESUBSCRIBE_AFTER_MS = 5_000;

export interface LiveSubscriptionOptions<T> {
  api: Api;
  connection: ConnectionWatch;
  query: string;
  variables: Record<string, unknown>;
  authMode: AuthMode;
  next(data: T): void;
  /**
   * Each time the server acknowledges this subscription: first, and again after every reconnect.
   * From then on nothing is missed, so this is when to read what was (the catch-up).
   */
  onAcknowledged(): void;
  onError(error: unknown): void;
}

/**
 * A subscription that stays up: Amplify re-sends it after a reconnect by itself, but ends it for
 * good on an `error` frame; then it is started again after a pause (and acknowledged again, which
 * triggers another catch-up).
 */
export function liveSubscription<T>(options: LiveSubscriptionOptions<T>): () => void {
  const { api, connection, query, variables, authMode } = options;
  const variablesJson = JSON.stringify(variables);
  // Amplify reports the printed document; the operation's name and the variables tell ours apart.
  const operation = /^\s*subscription\s+(\w+)/.exec(query)?.[1];
  if (!operation) throw new Error(`liveSubscription needs a named subscription operation; got ${query.trim().slice(0, 60)}`);
  const stopAcks = connection.onSubscriptionAck((ack) => {
    if (new RegExp(`subscription\\s+${operation}\\b`).test(ack.query) && JSON.stringify(ack.variables) === variablesJson) options.onAcknowledged();
  });

  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const start = () => {
    unsubscribe = api.subscribe<T>(query, variables, authMode, {
      next: (data) => options.next(data),
      error: (error) => {
        options.onError(error);
        unsubscribe = undefined;
        if (!stopped) retry = setTimeout(start, RESUBSCRIBE_AFTER_MS);
      },
    });
  };
  if (!connection.held()) start();
  const removeRestartable = connection.addRestartable({
    pause() {
      clearTimeout(retry);
      unsubscribe?.();
      unsubscribe = undefined;
    },
    resume() {
      if (!stopped && !unsubscribe) start();
    },
  });

  return () => {
    stopped = true;
    clearTimeout(retry);
    unsubscribe?.();
    stopAcks();
    removeRestartable();
  };
}
