import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { isPlainObject } from '../../support/objects.ts';
import type { Subscriber } from '../subscriptions/registry.ts';
import { resubscribe, startSubscription, type StartedSubscription, type SubscriptionRequest, type SubscriptionServices } from '../subscriptions/start-subscription.ts';
import {
  complete,
  connectionAck,
  CONNECTION_REFUSED,
  dataFramePrefix,
  ERRORS,
  errorFrame,
  KEEP_ALIVE,
  parseClientFrame,
  startAck,
  type ClientFrame,
} from './frames.ts';
import type { Handshake } from './handshake.ts';
import { createOutbound, type OutboundCounters, type OutboundPolicy, type WriteBatch } from './outbound.ts';
import type { AuthVerdict, RealtimeEngine } from './types.ts';

export interface ConnectionSettings {
  graphqlPath: string;
  keepAliveMs: number;
  connectionTimeoutMs: number;
  maxConnectionLifetimeMs: number;
  maxSubscriptionsPerConnection: number;
  slowConsumer: OutboundPolicy;
}

/** `subscriptions` is replaced (new registry and preparer) when the API's schema is. */
export interface ConnectionServices {
  settings: ConnectionSettings;
  batch: WriteBatch;
  engine: RealtimeEngine;
  subscriptions: SubscriptionServices;
  counters: OutboundCounters;
  log(event: string, detail: Record<string, unknown>): void;
}

/** What the server may ask of a live connection. */
export interface ConnectionHandle {
  /**
   * Registers every subscription again with the current `services.subscriptions` (a new
   * schema): those that no longer validate end with an error frame; the socket stays open.
   */
  resubscribeAll(): void;
}

/**
 * A close code for what AppSync ends itself (refused handshake, lifetime); AppSync's codes are
 * UNVERIFIED and Amplify does not read them (it reconnects on any close, docs/reference/appsync-realtime.md §2.5).
 */
const NORMAL_CLOSURE = 1000;

/** Pending starts: counted against the limit and for duplicates while auth and resolver run. */
interface PendingStart {
  cancelled: boolean;
}

/**
 * One client connection: the handshake (`connection_init` → `connection_ack` + `ka`, or
 * `connection_error` and close), keep-alive and lifetime, and the `start` / `stop` exchange.
 * Every frame gets an answer in AppSync's shapes; nothing a client sends can throw.
 */
export function serveConnection(ws: WebSocket, socket: Duplex, handshake: Handshake, services: ConnectionServices, onClosed: () => void): ConnectionHandle {
  const { settings, engine, log } = services;
  const outbound = createOutbound(ws, socket, services.batch, settings.slowConsumer, services.counters, log);
  const active = new Map<string, StartedSubscription>();
  const pending = new Map<string, PendingStart>();
  let state: 'new' | 'initializing' | 'acknowledged' | 'closed' = 'new';
  let keepAlive: NodeJS.Timeout | undefined;
  const lifetime = setTimeout(() => {
    log('connection-lifetime-reached', { lifetimeMs: settings.maxConnectionLifetimeMs, subscriptions: active.size });
    ws.close(NORMAL_CLOSURE, 'Connection lifetime reached');
  }, settings.maxConnectionLifetimeMs);
  lifetime.unref();

  const sendError = (id: string | undefined, errors: readonly object[] | object) => outbound.send(errorFrame(id, errors));
  // A function, so that TypeScript does not narrow `state` across awaits.
  const isClosed = () => state === 'closed';

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (state === 'closed') return;
    const frame = isBinary ? undefined : parseClientFrame(rawText(data));
    if (state !== 'acknowledged') {
      // DOC-RT: "All messages sent before receiving connection_ack are ignored."
      if (state === 'new' && frame?.type === 'connection_init') void initialize();
      else log('frame-ignored-before-ack', { type: frame?.type ?? (isBinary ? 'binary' : 'malformed') });
      return;
    }
    if (!frame) {
      sendError(undefined, [ERRORS.unsupported()]);
      return;
    }
    switch (frame.type) {
      case 'connection_init':
        return; // already acknowledged
      case 'start':
        void start(frame);
        return;
      case 'stop':
        stop(frame);
        return;
      default:
        sendError(undefined, [ERRORS.unsupported()]);
    }
  });

  ws.on('error', (error) => log('socket-error', { message: error.message }));

  ws.on('close', (code, reason) => {
    state = 'closed';
    clearTimeout(lifetime);
    clearInterval(keepAlive);
    for (const subscription of active.values()) subscription.remove();
    for (const start of pending.values()) start.cancelled = true;
    log('connection-closed', { code, reason: reason.toString(), subscriptions: active.size });
    active.clear();
    pending.clear();
    onClosed();
  });

  async function initialize(): Promise<void> {
    state = 'initializing';
    const verdict = await authenticate(handshake.authorization, `${settings.graphqlPath}/connect`, '{}');
    if (isClosed()) return;
    if (!verdict.ok) {
      log('connection-refused', { source: handshake.source, errorType: verdict.errorType, message: verdict.message });
      outbound.send(CONNECTION_REFUSED);
      state = 'closed';
      ws.close(NORMAL_CLOSURE, 'Unauthorized');
      return;
    }
    state = 'acknowledged';
    outbound.send(connectionAck(settings.connectionTimeoutMs));
    // At once, then periodically: Amplify does not reset its keep-alive clock on a new ack (docs/reference/appsync-realtime.md §2.5).
    outbound.send(KEEP_ALIVE);
    keepAlive = setInterval(() => outbound.send(KEEP_ALIVE), settings.keepAliveMs);
    keepAlive.unref();
    log('connection-acknowledged', { source: handshake.source, authType: verdict.caller.authType });
  }

  async function authenticate(headers: Record<string, unknown>, path: string, body: string): Promise<AuthVerdict> {
    try {
      return await engine.authenticate(headers, { path, body }, handshake.sourceIp);
    } catch (error) {
      log('authenticate-failed', { path, message: (error as Error).message });
      return { ok: false, errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' };
    }
  }

  async function start(frame: ClientFrame): Promise<void> {
    const request = readStart(frame);
    if (!request) {
      sendError('', [ERRORS.unsupported()]);
      return;
    }
    const { id } = request;
    if (active.has(id) || pending.has(id)) {
      sendError(id, [ERRORS.duplicated(id)]);
      return;
    }
    if (active.size + pending.size >= settings.maxSubscriptionsPerConnection) {
      sendError(id, ERRORS.maxSubscriptions(settings.maxSubscriptionsPerConnection));
      return;
    }
    const pendingStart: PendingStart = { cancelled: false };
    pending.set(id, pendingStart);
    try {
      const errors = await register(request, pendingStart);
      if (pendingStart.cancelled) return;
      if (errors) {
        log('subscription-refused', { id, errors });
        sendError(id, errors);
      } else {
        outbound.send(startAck(id));
      }
    } catch (error) {
      log('subscription-start-failed', { id, message: (error as Error).stack ?? String(error) });
      if (!pendingStart.cancelled) sendError(id, [ERRORS.internal(`The subscription could not be started: ${(error as Error).message}`)]);
    } finally {
      if (pending.get(id) === pendingStart) pending.delete(id);
    }
  }

  /** Authenticates the start on its own credentials, then starts it; or returns the errors. */
  async function register(request: StartRequest, pendingStart: PendingStart): Promise<readonly object[] | undefined> {
    const { id, data, authorization } = request;
    // Each start carries its own auth, whatever the handshake used (DOC-RT); IAM signs the GraphQL path with body = data.
    const verdict = await authenticate(authorization, settings.graphqlPath, data);
    if (pendingStart.cancelled) return undefined;
    if (!verdict.ok) return [{ errorType: verdict.errorType, message: verdict.message }];

    const outcome = await startSubscription(
      services.subscriptions,
      { id, request: request.subscription, caller: verdict.caller, headers: { ...handshake.requestHeaders, ...authorization } },
      subscriberFor(id),
      () => pendingStart.cancelled,
    );
    if (!outcome.ok) return 'cancelled' in outcome ? undefined : outcome.errors;
    active.set(id, outcome.subscription);
    log('subscription-started', { id, fieldName: outcome.subscription.fieldName, filter: outcome.subscription.filter.key });
    return undefined;
  }

  function subscriberFor(id: string): Subscriber {
    const prefix = dataFramePrefix(id);
    return {
      deliver: (payloadJson) => outbound.send(`${prefix}${payloadJson}}`),
      invalidated: () => {
        const subscription = active.get(id);
        active.delete(id);
        log('subscription-invalidated', { id, fieldName: subscription?.fieldName });
        // The wire message is UNVERIFIED (docs/reference/appsync-realtime.md §3.6): `complete` for the id, socket left open.
        outbound.send(complete(id));
      },
    };
  }

  function stop(frame: ClientFrame): void {
    if (typeof frame.id !== 'string') {
      sendError(undefined, [ERRORS.unsupported()]);
      return;
    }
    const { id } = frame;
    const subscription = active.get(id);
    const pendingStart = pending.get(id);
    if (subscription) {
      subscription.remove();
      active.delete(id);
    } else if (pendingStart) {
      pendingStart.cancelled = true;
      pending.delete(id);
    } else {
      sendError(id, [ERRORS.unknownSubscription(id)]);
      return;
    }
    log('subscription-stopped', { id });
    outbound.send(complete(id));
  }

  return {
    resubscribeAll() {
      for (const [id, subscription] of [...active]) {
        const again = resubscribe(services.subscriptions, subscription, subscriberFor(id));
        if (again.ok) {
          active.set(id, again.subscription);
          continue;
        }
        active.delete(id);
        const errors = 'cancelled' in again ? [] : again.errors;
        log('subscription-ended-by-schema-change', { id, fieldName: subscription.fieldName, errors });
        sendError(id, errors);
      }
    },
  };
}

interface StartRequest {
  id: string;
  data: string;
  subscription: SubscriptionRequest;
  authorization: Record<string, unknown>;
}

/** A `start` AppSync can read: an id, and `payload.data` a JSON string of `{ query, variables? }`. */
function readStart(frame: ClientFrame): StartRequest | undefined {
  const { id, payload } = frame;
  if (typeof id !== 'string' || id === '' || !isPlainObject(payload) || typeof payload.data !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.data);
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed) || typeof parsed.query !== 'string') return undefined;
  const { variables, operationName } = parsed;
  if (variables !== undefined && variables !== null && !isPlainObject(variables)) return undefined;
  const extensions = isPlainObject(payload.extensions) ? payload.extensions : {};
  const authorization = isPlainObject(extensions.authorization) ? extensions.authorization : {};
  return {
    id,
    data: payload.data,
    subscription: {
      query: parsed.query,
      variables: (variables ?? {}) as Record<string, unknown>,
      ...(typeof operationName === 'string' && { operationName }),
    },
    authorization: Object.fromEntries(Object.entries(authorization).map(([name, value]) => [name.toLowerCase(), value])),
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
