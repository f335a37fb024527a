import { CONNECTION_STATE_CHANGE, ConnectionState } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';

/** What Amplify says when a subscription is acknowledged (`start_ack`), on the first start and after every reconnect. */
export interface SubscriptionAck {
  query: string;
  variables: Record<string, unknown>;
}

export interface ConnectionWatch {
  /** The real-time connection's state as Amplify last reported it. */
  state(): ConnectionState;
  /** Called on every state change. */
  onState(listener: (state: ConnectionState) => void): () => void;
  onSubscriptionAck(listener: (ack: SubscriptionAck) => void): () => void;
  /** A subscription that can be stopped and started again (see hold). Returns the removal. */
  addRestartable(subscription: Restartable): () => void;
  /**
   * Held, every such subscription stops (and one added meanwhile waits); released, they start
   * again. Amplify closes its one socket only once no subscription is left on it
   * (AWSWebSocketProvider._closeSocketIfRequired), so while the live markets library replaces a
   * dead socket, the page's other subscriptions must let go of it too.
   */
  hold(held: boolean): void;
  /** Whether subscriptions are held now. */
  held(): boolean;
  stop(): void;
}

export interface Restartable {
  pause(): void;
  resume(): void;
}


/**
 * Follows Amplify's real-time connection through Hub's `api` channel: `ConnectionStateChange`
 * (one WebSocket carries every subscription of the endpoint, whatever its auth mode, so there is
 * one state) and `Subscription ack`.
 */
export function watchConnection(): ConnectionWatch {
  let current: ConnectionState = ConnectionState.Disconnected;
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const ackListeners = new Set<(ack: SubscriptionAck) => void>();
  const restartables = new Set<Restartable>();
  let holding = false;
  const stopHub = Hub.listen('api', ({ payload }) => {
    if (payload.event === CONNECTION_STATE_CHANGE) {
      const state = (payload.data as { connectionState: ConnectionState }).connectionState;
      if (state === current) return;
      current = state;
      for (const listener of stateListeners) listener(state);
    } else if (payload.event === 'Subscription ack') {
      // CONTROL_MSG.SUBSCRIPTION_ACK of @aws-amplify/api-graphql, which aws-amplify does not re-export.
      const data = payload.data as Partial<SubscriptionAck> | undefined;
      const ack = { query: data?.query ?? '', variables: data?.variables ?? {} };
      for (const listener of ackListeners) listener(ack);
    }
  });
  const add = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return () => void set.delete(listener);
  };
  return {
    state: () => current,
    onState: (listener) => add(stateListeners, listener),
    onSubscriptionAck: (listener) => add(ackListeners, listener),
    addRestartable: (subscription) => add(restartables, subscription),
    hold(held) {
      if (held === holding) return;
      holding = held;
      for (const subscription of restartables) {
        if (held) subscription.pause();
        else subscription.resume();
      }
    },
    held: () => holding,
    stop: stopHub,
  };
}
