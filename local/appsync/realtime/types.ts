import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { AuthVerdict } from '../auth/caller.ts';
import type { Caller } from '../auth/field-access.ts';

export type { AuthVerdict } from '../auth/caller.ts';

export interface SubscriptionStartRequest {
  fieldName: string;
  /** Coerced arguments: an omitted argument is absent, an explicit `null` is present. */
  args: Record<string, unknown>;
  document: DocumentNode;
  /** The variables as the client sent them. */
  variables: Record<string, unknown>;
  caller: Caller;
  /** `ctx.request.headers` for the subscription resolver: lower-case names. */
  headers: Record<string, unknown>;
}

export type SubscriptionStartVerdict =
  | { ok: true; filter?: unknown; invalidationFilter?: unknown }
  | { ok: false; errors: { errorType: string; message: string }[] };

/** What the realtime server asks the rest of the runtime: who is calling, and may they subscribe. */
export interface RealtimeEngine {
  /**
   * Who is calling, from a header object (handshake or `start`). IAM needs what was signed:
   * `POST <graphqlPath>/connect` with body `{}` for the handshake, `POST <graphqlPath>` with
   * body = `payload.data` for a start. May answer asynchronously (e.g. a Lambda authorizer).
   */
  authenticate(headers: Record<string, unknown>, signed: { path: string; body: string }, sourceIp: string[]): AuthVerdict | Promise<AuthVerdict>;
  /** Field auth for the caller, then the subscription resolver (if any): refusal or filters. */
  startSubscription(start: SubscriptionStartRequest): Promise<SubscriptionStartVerdict>;
}

export interface RealtimeServerOptions {
  /** The AppSync schema incl. `@aws_subscribe` / `@aws_*` directives. */
  schema: GraphQLSchema;
  engine: RealtimeEngine;
  /** e.g. `/graphql`: IAM signs `${graphqlPath}/connect` (handshake) and `${graphqlPath}` (start). */
  graphqlPath: string;
  /** Default 60 000; a `ka` right after `connection_ack`, then every keepAliveMs. */
  keepAliveMs?: number;
  /** Sent in `connection_ack`; default 300 000. */
  connectionTimeoutMs?: number;
  /** Default 24 h. */
  maxConnectionLifetimeMs?: number;
  /** Default 100. */
  maxSubscriptionsPerConnection?: number;
  /** Default 240 KB (240 × 1024 bytes); larger payloads are dropped and logged. */
  maxPayloadBytes?: number;
  /** Back-pressure: how much a socket may hold unsent before frames to it are dropped. */
  slowConsumer?: SlowConsumerPolicy;
  log?(event: string, detail: Record<string, unknown>): void;
}

export interface SlowConsumerPolicy {
  /** Frames to a socket holding more than this many unsent bytes are dropped. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** A socket that stays over the cap this long is terminated, so its client reconnects. Default 10 000 ms. */
  maxLagMs?: number;
}

export interface RealtimeStats {
  connections: number;
  subscriptions: number;
  /** Fan-out groups: distinct (field, normalized selection set, filter). */
  groups: number;
  /** Frames dropped because their socket was over the back-pressure cap. */
  droppedFrames: number;
  /** Sockets terminated for lagging too long. */
  slowConsumersTerminated: number;
}

export interface RealtimeServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** A mutation root field succeeded: its value, unaliased and shaped by the mutation's selection set. */
  publish(mutationField: string, value: unknown): void;
  /** `extensions.invalidateSubscriptions` from a mutation's response handler. */
  invalidate(subscriptionField: string, payload: Record<string, unknown>): void;
  stats(): RealtimeStats;
  /**
   * A new schema (hot reload): connections stay open; each subscription is checked against the
   * new schema and kept with the filters chosen at its start, or ended with an error frame.
   */
  replaceSchema(schema: GraphQLSchema): void;
  close(): Promise<void>;
}
