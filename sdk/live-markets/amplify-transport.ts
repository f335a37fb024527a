import { CONNECTION_STATE_CHANGE, ConnectionState, generateClient } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import type {
  LiveMarketsEventQuery,
  LiveMarketsEventsSubscription,
  LiveMarketsHeartbeatSubscription,
  LiveMarketsHistoryQuery,
  LiveMarketsMarketQuery,
  LiveMarketsPricesSubscription,
  LiveMarketsSnapshotQuery,
} from '../generated/operations.ts';
import { EVENT, MARKET, ON_EVENT_UPDATE, ON_HEARTBEAT, ON_PRICE_UPDATE, PRICE_HISTORY, PROBE, SNAPSHOT } from './operations.ts';
import type { LiveTransport, TransportSink } from './transport.ts';

/**
 * The live market state's transport on aws-amplify v6 (browser, Node, React Native): the
 * process's configured Amplify (`Amplify.configure` first), `generateClient`, and Hub's `api`
 * channel.
 *
 * How Amplify v6 behaves here (@aws-amplify/api-graphql 4.x, Providers/AWSWebSocketProvider):
 * - One WebSocket per GraphQL endpoint for the whole process (InternalGraphQLAPI keeps one
 *   provider per endpoint), shared by every subscription of any client.
 * - Its only dead-socket check is AppSync's keep-alive: `ka` every 60 s, and the socket is
 *   declared dead after connectionTimeoutMs (300 s) of silence. A black-holed link therefore
 *   looks "Connected" for five minutes.
 * - After a socket closes it reconnects 5 s later (ReconnectionMonitor), retrying with jittered
 *   backoff for about 6 s, then only every 60 s, until a state such as Connected or Disconnected
 *   halts it. Its restart re-sends `start` even for a subscription already started on the new
 *   socket, which AppSync refuses (DuplicatedOperationError).
 * - When its last subscription is unsubscribed it closes the socket 1 s later
 *   (`_closeSocketIfRequired`) and reports Disconnected; the next subscription opens a new one.
 *   That is the only public way to make it drop a socket, so `drop` unsubscribes every
 *   subscription this transport made and waits for Disconnected. The socket is shared: other
 *   subscriptions of the app on the same endpoint keep it open, and then `drop` gives up waiting
 *   after `closeWaitMs`.
 * - A subscription unsubscribed while its socket is still being opened is removed only when that
 *   attempt ends; one whose attempt has given up is never removed (and would keep the socket).
 *   The live state therefore reopens only after a probe answers (see connection.ts), and drops
 *   synchronously inside the Hub listener when Amplify reports the disruption, before Amplify
 *   completes its own failure handling.
 * - Acknowledgements (`start_ack`) are reported on Hub as 'Subscription ack' with the query;
 *   each `open` names its operations with a generation suffix to tell its acks from older ones.
 */

export type AuthMode = 'apiKey' | 'userPool' | 'iam' | 'identityPool' | 'oidc' | 'lambda' | 'none';

export interface AmplifyTransportOptions {
  /** Default: the configured API's default authorization mode. A public board uses 'apiKey'. */
  authMode?: AuthMode;
  /** Only this sport's events and prices. */
  sport?: string;
  /** Default 10 s (a read stuck on a dead connection is hedged long before). */
  readTimeoutMs?: number;
  /** Default 2 s. */
  probeTimeoutMs?: number;
  /** How long `drop` waits for Amplify to close its socket. Default 3 s (it closes after 1 s). */
  closeWaitMs?: number;
}

/** As much of generateClient()'s client as this uses (its own types are too deep to compare). */
interface Client {
  graphql(options: { query: string; variables: Record<string, unknown>; authMode?: AuthMode }): unknown;
  cancel(request: Promise<unknown>, message?: string): boolean;
}
interface Observable<T> {
  subscribe(observer: { next(value: { data: T }): void; error(error: unknown): void }): { unsubscribe(): void };
}

interface OpenSubscription {
  name: string;
  acked: boolean;
  handle: { unsubscribe(): void };
}

interface TransportState {
  client: Client;
  options: Required<Omit<AmplifyTransportOptions, 'authMode' | 'sport'>> & Pick<AmplifyTransportOptions, 'authMode' | 'sport'>;
  generation: number;
  sink: TransportSink | undefined;
  subscriptions: OpenSubscription[];
  /** Amplify's last reported state of the endpoint's socket. */
  socket: ConnectionState | undefined;
  closeWaiters: Set<() => void>;
  /** A moving average of how long reads take to answer, for when to hedge. */
  answerMs: number;
  stopHub: () => void;
}

export function amplifyTransport(options: AmplifyTransportOptions = {}): LiveTransport {
  const state: TransportState = {
    client: generateClient() as unknown as Client,
    options: { readTimeoutMs: 10_000, probeTimeoutMs: 2_000, closeWaitMs: 3_000, ...options },
    generation: 0,
    sink: undefined,
    subscriptions: [],
    socket: undefined,
    closeWaiters: new Set(),
    answerMs: 200,
    stopHub: () => {},
  };
  state.stopHub = Hub.listen('api', ({ payload }) => onHub(state, payload.event, payload.data));
  const sport = options.sport;
  return {
    open: (sink) => open(state, sink),
    drop: () => drop(state),
    probe: async () => {
      // Not hedged: probes already go out every retry interval.
      await read(state, 'probe', PROBE, {}, state.options.probeTimeoutMs, 1);
    },
    snapshot: async (nextToken) => (await read<LiveMarketsSnapshotQuery>(state, 'events', SNAPSHOT, { sport, nextToken })).events,
    market: async (id) => (await read<LiveMarketsMarketQuery>(state, `market(${id})`, MARKET, { id })).market,
    event: async (id) => (await read<LiveMarketsEventQuery>(state, `event(${id})`, EVENT, { id })).event,
    priceHistory: async (marketId, since, nextToken) =>
      (await read<LiveMarketsHistoryQuery>(state, `priceHistory(${marketId}, since ${since ?? 'the start'})`, PRICE_HISTORY, { marketId, since, nextToken })).priceHistory,
    close: () => {
      state.stopHub();
      for (const resolve of state.closeWaiters) resolve();
    },
  };
}

function onHub(state: TransportState, event: string, data: unknown): void {
  if (event === CONNECTION_STATE_CHANGE) {
    const socket = (data as { connectionState: ConnectionState }).connectionState;
    state.socket = socket;
    if (socket === ConnectionState.Disconnected) for (const resolve of state.closeWaiters) resolve();
    if ((socket === ConnectionState.ConnectionDisrupted || socket === ConnectionState.ConnectionDisruptedPendingNetwork) && state.subscriptions.length > 0) {
      state.sink?.down(socket === ConnectionState.ConnectionDisrupted ? 'the real-time connection closed' : 'the device is offline');
    }
  } else if (event === 'Subscription ack') {
    // CONTROL_MSG.SUBSCRIPTION_ACK of @aws-amplify/api-graphql, which aws-amplify does not re-export.
    const query = (data as { query?: string } | undefined)?.query ?? '';
    const acked = state.subscriptions.find((s) => !s.acked && new RegExp(`\\b${s.name}\\b`).test(query));
    if (!acked) return;
    acked.acked = true;
    if (state.subscriptions.every((s) => s.acked)) state.sink?.ready();
  }
}

function open(state: TransportState, sink: TransportSink): void {
  const generation = ++state.generation;
  state.sink = sink;
  const sport = state.options.sport;
  const current = () => state.generation === generation;
  const subscribe = <T>(operation: string, document: string, variables: Record<string, unknown>, deliver: (data: T) => void): OpenSubscription => {
    const name = `${operation}_g${generation}`;
    const query = document.replace(operation, name);
    const observable = state.client.graphql({ query, variables, ...(state.options.authMode && { authMode: state.options.authMode }) }) as unknown as Observable<T>;
    const handle = observable.subscribe({
      next: ({ data }) => {
        if (current()) deliver(data);
      },
      error: (error) => {
        if (current()) sink.down(`subscription ${operation} failed: ${describeError(error)}`);
      },
    });
    return { name, acked: false, handle };
  };
  state.subscriptions = [
    subscribe<LiveMarketsPricesSubscription>('LiveMarketsPrices', ON_PRICE_UPDATE, sport ? { sports: [sport] } : {}, (d) => d.onPriceUpdate && sink.price(d.onPriceUpdate)),
    subscribe<LiveMarketsHeartbeatSubscription>('LiveMarketsHeartbeat', ON_HEARTBEAT, {}, (d) => d.onHeartbeat && sink.heartbeat(d.onHeartbeat)),
    subscribe<LiveMarketsEventsSubscription>('LiveMarketsEvents', ON_EVENT_UPDATE, sport ? { sport } : {}, (d) => d.onEventUpdate && sink.event(d.onEventUpdate)),
  ];
}

/** Unsubscribes (synchronously: see above) and waits for Amplify to close its socket. */
function drop(state: TransportState): Promise<void> {
  const subscriptions = state.subscriptions;
  state.subscriptions = [];
  state.sink = undefined;
  state.generation += 1;
  for (const s of subscriptions) s.handle.unsubscribe();
  // Wait for Disconnected even when the socket is already gone: it also halts Amplify's own
  // reconnect timer (5 s after a disruption), which would otherwise re-send the `start` of the
  // next subscriptions on their connection (AppSync: DuplicatedOperationError).
  if (subscriptions.length === 0 || state.socket === undefined || state.socket === ConnectionState.Disconnected) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      state.closeWaiters.delete(done);
      resolve();
    };
    const timer = setTimeout(done, state.options.closeWaitMs);
    state.closeWaiters.add(done);
  });
}

/**
 * A read with a deadline, hedged: if no answer comes within a few typical answer times, the same
 * (idempotent) read is sent again, up to three in flight, and the first answer wins. After a dead
 * path comes back, the platform's HTTP connection pool can still hold connections opened into it
 * (in Node, undici clients stuck connecting until their 10 s connect timeout) and hand a read to
 * one of them; the hedge goes out on another connection instead of waiting for that one.
 */
function read<T>(state: TransportState, what: string, query: string, variables: Record<string, unknown>, timeoutMs = state.options.readTimeoutMs, hedged = MAX_HEDGED): Promise<T> {
  const started = Date.now();
  const hedgeMs = Math.min(3_000, Math.max(500, 3 * state.answerMs));
  const requests: Promise<unknown>[] = [];
  let pending = 0;
  let settled = false;
  return new Promise<T>((resolve, reject) => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      for (const request of requests) state.client.cancel(request, `${what}: answered on another connection`);
      outcome();
    };
    const send = () => {
      const request = state.client.graphql({ query, variables, ...(state.options.authMode && { authMode: state.options.authMode }) }) as Promise<{ data: T }>;
      requests.push(request);
      pending += 1;
      const sentAt = Date.now();
      request.then(
        ({ data }) =>
          finish(() => {
            state.answerMs = 0.8 * state.answerMs + 0.2 * (Date.now() - sentAt);
            resolve(data);
          }),
        (error: unknown) => {
          pending -= 1;
          // The API answered with errors: sending again would get the same answer.
          if (isGraphQLResult(error)) finish(() => reject(new Error(`${what}: ${describeError(error)}`, { cause: error })));
          else if (pending === 0 && requests.length >= hedged) finish(() => reject(new Error(`${what}: ${describeError(error)}`, { cause: error })));
          else if (pending === 0) send();
        },
      );
    };
    send();
    for (let i = 1; i < hedged; i++) {
      timers.push(
        setTimeout(() => {
          if (requests.length < hedged) send();
        }, i * hedgeMs),
      );
    }
    timers.push(setTimeout(() => finish(() => reject(new Error(`${what}: no answer within ${Date.now() - started} ms`))), timeoutMs));
  });
}

const MAX_HEDGED = 3;

function isGraphQLResult(error: unknown): boolean {
  return Array.isArray((error as { errors?: unknown } | null)?.errors);
}

/** Amplify rejects with a GraphQL result ({ errors }) or an Error. */
function describeError(error: unknown): string {
  const errors = (error as { errors?: { message?: string; errorType?: string }[] } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.map((e) => `${e.errorType ? `${e.errorType}: ` : ''}${e.message ?? ''}`).join('; ');
  if (error instanceof Error) return error.message;
  return JSON.stringify(error);
}
