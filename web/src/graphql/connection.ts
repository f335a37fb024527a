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
  /** A subscription that can be stopped and started again (see restart). Returns the removal. */
  addRestartable(subscription: Restartable): () => void;
  /**
   * Opens a new real-time connection: every subscription stops, Amplify closes the socket once
   * none is left (after 1 s, AWSWebSocketProvider._closeSocketIfRequired), and they start again
   * on a new one. For a link that is dead without saying so (a black hole), which Amplify would
   * notice only after its keep-alive alert (65 s).
   */
  restart(): Promise<void>;
  stop(): void;
}

export interface Restartable {
  pause(): void;
  resume(): void;
}

/** Amplify closes an unused socket 1 s after the last subscription ends; a little more to be sure. */
const SOCKET_CLOSE_WAIT_MS = 1_300;

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
  let restarting: Promise<void> | undefined;
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
    restart() {
      restarting ??= (async () => {
        const paused = [...restartables];
        for (const subscription of paused) subscription.pause();
        await new Promise((resolve) => setTimeout(resolve, SOCKET_CLOSE_WAIT_MS));
        for (const subscription of paused) if (restartables.has(subscription)) subscription.resume();
      })().finally(() => (restarting = undefined));
      return restarting;
    },
    stop: stopHub,
  };
}
