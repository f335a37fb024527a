import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createRealtimeServer, type RealtimeEngine, type RealtimeServer, type RealtimeServerOptions, type SubscriptionStartRequest, type SubscriptionStartVerdict } from '../../../local/appsync/realtime/index.ts';
import { listenDualProtocol, type DualProtocolServer } from '../../../local/http/dual-protocol-server.ts';
import { ensureLocalTls, type LocalTls } from '../../../local/tls/local-ca.ts';
import { testSchema } from '../subscriptions/fixture.ts';

/**
 * The fixture schema, an in-test engine with API-key auth, and the realtime server mounted on
 * the runtime's dual-protocol (ws:// + wss://) server on a free port.
 */

export const API_KEY = 'da2-testkey0000000000000000';
export const GRAPHQL_PATH = '/graphql';

export interface EngineCall {
  kind: 'authenticate' | 'startSubscription';
  headers: Record<string, unknown>;
  signed?: { path: string; body: string };
  sourceIp?: string[];
  start?: SubscriptionStartRequest;
}

/**
 * API-key auth; `onSecret` is refused as field auth would; `onFilteredItem` acts like a
 * subscription resolver that sets the enhanced and invalidation filters passed as arguments.
 */
export function testEngine(overrides: { startSubscription?: (start: SubscriptionStartRequest) => Promise<SubscriptionStartVerdict> } = {}): RealtimeEngine & { calls: EngineCall[] } {
  const calls: EngineCall[] = [];
  return {
    calls,
    authenticate(headers, signed, sourceIp) {
      calls.push({ kind: 'authenticate', headers, signed, sourceIp });
      return headers['x-api-key'] === API_KEY
        ? { ok: true, caller: { authType: 'API_KEY', identity: null } }
        : { ok: false, errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' };
    },
    async startSubscription(start) {
      calls.push({ kind: 'startSubscription', headers: start.headers, start });
      if (overrides.startSubscription) return overrides.startSubscription(start);
      if (start.fieldName === 'onSecret') return { ok: false, errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onSecret on type Subscription' }] };
      if (start.fieldName === 'onFilteredItem') {
        const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : undefined);
        return { ok: true, filter: parse(start.args.filter), invalidationFilter: parse(start.args.invalidation) };
      }
      return { ok: true };
    },
  };
}

let sharedTls: LocalTls | undefined;
export function testTls(): LocalTls {
  sharedTls ??= ensureLocalTls(process.env.PRICESTREAM_TEST_TLS_DIR ?? join(mkdtempSync(join(tmpdir(), 'realtime-tls-')), 'tls'));
  return sharedTls;
}

export interface Harness {
  server: RealtimeServer;
  engine: ReturnType<typeof testEngine>;
  port: number;
  url(secure: boolean, query?: string): string;
  logs: { event: string; detail: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startHarness(options: Partial<Omit<RealtimeServerOptions, 'engine'>> & { engine?: ReturnType<typeof testEngine> } = {}): Promise<Harness> {
  const engine = options.engine ?? testEngine();
  const logs: Harness['logs'] = [];
  const server = createRealtimeServer({
    schema: testSchema(),
    graphqlPath: GRAPHQL_PATH,
    ...options,
    engine,
    log: (event, detail) => logs.push({ event, detail }),
  });
  const http: DualProtocolServer = await listenDualProtocol({
    port: 0,
    tls: testTls(),
    onRequest: (_req, res) => res.writeHead(404).end(),
    onUpgrade: (req, socket, head) => {
      if ((req.url ?? '').split('?')[0] === `${GRAPHQL_PATH}/realtime`) server.handleUpgrade(req, socket, head);
      else socket.destroy();
    },
  });
  return {
    server,
    engine,
    port: http.port,
    url: (secure, query = '') => `${secure ? 'wss' : 'ws'}://localhost:${http.port}${GRAPHQL_PATH}/realtime${query}`,
    logs,
    close: async () => {
      await server.close();
      await http.close();
    },
  };
}

export type Frame = { type: string; id?: string; payload?: any };

export interface RawClient {
  socket: WebSocket;
  frames: Frame[];
  send(frame: unknown): void;
  /** The first frame matching, among those received from index `from` on (default: all). */
  next(predicate: (frame: Frame) => boolean, timeoutMs?: number, from?: number): Promise<Frame>;
  /** Resolves with the close code once the server closes the socket. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** A raw `ws` client: sub-protocols, headers and frames exactly as a test needs them. */
export async function openRaw(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<RawClient> {
  const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {}, ca: testTls().caCert });
  const frames: Frame[] = [];
  const waiters: { predicate: (f: Frame) => boolean; resolve(f: Frame): void }[] = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(frame)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(frame);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((done) => socket.on('close', (code, reason) => done({ code, reason: reason.toString() })));
  await new Promise<void>((open, fail) => {
    socket.once('open', () => open());
    socket.once('error', fail);
  });
  return {
    socket,
    frames,
    closed,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(predicate, timeoutMs = 5_000, from = 0) {
      const seen = frames.slice(from).find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
        waiters.push({ predicate, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
    close: () => socket.close(),
  };
}

export const apiKeyHeader = (port: number) => ({ host: `localhost:${port}`, 'x-amz-date': '20250101T000000Z', 'x-api-key': API_KEY });

export const subprotocolFor = (header: Record<string, unknown>) => ['graphql-ws', `header-${Buffer.from(JSON.stringify(header)).toString('base64url')}`];

/** Opens, sends `connection_init`, waits for the ack (Amplify ≥ 6.6 style handshake). */
export async function connected(harness: Harness, secure = false): Promise<RawClient> {
  const client = await openRaw(harness.url(secure), { protocols: subprotocolFor(apiKeyHeader(harness.port)) });
  client.send({ type: 'connection_init' });
  await client.next((f) => f.type === 'connection_ack');
  return client;
}

/** A `start` as Amplify builds it: `payload.data` is the JSON string, auth in extensions. */
export function startFrame(id: string, query: string, variables?: Record<string, unknown>, authorization: Record<string, unknown> = { 'x-api-key': API_KEY, host: 'localhost' }) {
  const data = JSON.stringify(variables === undefined ? { query } : { query, variables });
  return { id, type: 'start', payload: { data, extensions: { authorization } } };
}

export async function subscribe(client: RawClient, id: string, query: string, variables?: Record<string, unknown>): Promise<Frame> {
  const from = client.frames.length;
  client.send(startFrame(id, query, variables));
  return client.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'), 5_000, from);
}
