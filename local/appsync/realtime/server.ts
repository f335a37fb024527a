import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLSchema } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSubscriptionPreparer } from '../subscriptions/operation.ts';
import { createSubscriptionRegistry } from '../subscriptions/registry.ts';
import type { SubscriptionServices } from '../subscriptions/start-subscription.ts';
import { serveConnection, type ConnectionHandle, type ConnectionServices, type ConnectionSettings } from './connection.ts';
import { readHandshake } from './handshake.ts';
import { flushBatch, openBatch, type OutboundCounters, type WriteBatch } from './outbound.ts';
import type { RealtimeServer, RealtimeServerOptions } from './types.ts';

export const REALTIME_DEFAULTS = {
  keepAliveMs: 60_000,
  connectionTimeoutMs: 300_000,
  maxConnectionLifetimeMs: 24 * 60 * 60 * 1000,
  maxSubscriptionsPerConnection: 100,
  maxPayloadBytes: 240 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxLagMs: 10_000,
} as const;

/**
 * Client frames are a `start` at most; anything larger is refused by the WebSocket layer with
 * close code 1009. AppSync's own inbound limit is UNVERIFIED.
 */
const MAX_CLIENT_FRAME_BYTES = 1024 * 1024;

/**
 * AppSync's real-time endpoint (docs/reference/appsync-realtime.md): the `graphql-ws` protocol as
 * Amplify v6 speaks it, the subscription registry with basic and enhanced filtering,
 * invalidation and payload shaping, and fan-out with per-socket back-pressure. Mount it on
 * any HTTP/HTTPS server's `upgrade` event for the path AppSync serves it on.
 */
export function createRealtimeServer(options: RealtimeServerOptions): RealtimeServer {
  const log = options.log ?? (() => {});
  const settings: ConnectionSettings = {
    graphqlPath: options.graphqlPath,
    keepAliveMs: options.keepAliveMs ?? REALTIME_DEFAULTS.keepAliveMs,
    connectionTimeoutMs: options.connectionTimeoutMs ?? REALTIME_DEFAULTS.connectionTimeoutMs,
    maxConnectionLifetimeMs: options.maxConnectionLifetimeMs ?? REALTIME_DEFAULTS.maxConnectionLifetimeMs,
    maxSubscriptionsPerConnection: options.maxSubscriptionsPerConnection ?? REALTIME_DEFAULTS.maxSubscriptionsPerConnection,
    slowConsumer: {
      maxBufferedBytes: options.slowConsumer?.maxBufferedBytes ?? REALTIME_DEFAULTS.maxBufferedBytes,
      maxLagMs: options.slowConsumer?.maxLagMs ?? REALTIME_DEFAULTS.maxLagMs,
    },
  };
  const maxPayloadBytes = options.maxPayloadBytes ?? REALTIME_DEFAULTS.maxPayloadBytes;
  const subscriptionsFor = (schema: GraphQLSchema): SubscriptionServices => ({
    engine: options.engine,
    registry: createSubscriptionRegistry({ schema, maxPayloadBytes, log }),
    prepare: createSubscriptionPreparer(schema),
    log,
  });
  const counters: OutboundCounters = { droppedFrames: 0, slowConsumersTerminated: 0 };
  const batch: WriteBatch = { active: false, generation: 0, corked: [] };
  const services: ConnectionServices = { settings, batch, engine: options.engine, subscriptions: subscriptionsFor(options.schema), counters, log };
  const sockets = new Set<WebSocket>();
  const connections = new Set<ConnectionHandle>();
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: MAX_CLIENT_FRAME_BYTES });
  let closing = false;

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      if (closing) {
        socket.destroy();
        return;
      }
      const handshake = readHandshake(req);
      // Select `graphql-ws` and never echo the `header-…` credentials; ws would also refuse
      // (HTTP 400) a protocol list with characters outside the token set, which the
      // credentials may contain, and AppSync always accepts the upgrade.
      if (handshake.offersGraphqlWs) req.headers['sec-websocket-protocol'] = 'graphql-ws';
      else delete req.headers['sec-websocket-protocol'];
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (closing) {
          ws.terminate();
          return;
        }
        log('connection-opened', { source: handshake.source, sourceIp: handshake.sourceIp, subprotocol: ws.protocol || null });
        sockets.add(ws);
        const connection = serveConnection(ws, socket, handshake, services, () => {
          sockets.delete(ws);
          connections.delete(connection);
        });
        connections.add(connection);
      });
    },

    publish(mutationField, value) {
      openBatch(batch);
      try {
        services.subscriptions.registry.publish(mutationField, value);
      } catch (error) {
        log('publish-failed', { mutationField, message: (error as Error).stack ?? String(error) });
      } finally {
        flushBatch(batch);
      }
    },

    invalidate(subscriptionField, payload) {
      openBatch(batch);
      try {
        const ended = services.subscriptions.registry.invalidate(subscriptionField, payload);
        log('invalidated', { subscriptionField, payload, subscriptions: ended });
      } catch (error) {
        log('invalidate-failed', { subscriptionField, message: (error as Error).stack ?? String(error) });
      } finally {
        flushBatch(batch);
      }
    },

    stats() {
      const { subscriptions, groups } = services.subscriptions.registry.stats();
      return { connections: sockets.size, subscriptions, groups, droppedFrames: counters.droppedFrames, slowConsumersTerminated: counters.slowConsumersTerminated };
    },

    replaceSchema(schema) {
      services.subscriptions = subscriptionsFor(schema);
      openBatch(batch);
      try {
        for (const connection of connections) connection.resubscribeAll();
      } finally {
        flushBatch(batch);
      }
      const { subscriptions } = services.subscriptions.registry.stats();
      log('schema-replaced', { connections: connections.size, subscriptions });
    },

    async close() {
      closing = true;
      const closed = [...sockets].map((ws) => new Promise<void>((done) => (ws.readyState === ws.CLOSED ? done() : ws.once('close', () => done()))));
      for (const ws of sockets) ws.terminate();
      await Promise.all(closed);
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}
