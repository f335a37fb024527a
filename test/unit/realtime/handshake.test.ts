import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRealtime } from '../../support/realtime-client.ts';
import { API_KEY, apiKeyHeader, GRAPHQL_PATH, openRaw, startHarness, subprotocolFor, subscribe, type Harness } from './harness.ts';

const REFUSED = { type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }] } };

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

/** A header object whose standard base64 contains `+` (and `/`), as Amplify 6.0–6.5 puts it raw into the URL. */
function headerWithPlus(port: number): { header: Record<string, unknown>; base64: string } {
  for (let i = 0; ; i++) {
    const header = { ...apiKeyHeader(port), 'x-pad': `~~~>${'?'.repeat(i)}` };
    const base64 = Buffer.from(JSON.stringify(header)).toString('base64');
    if (base64.includes('+') && base64.includes('/')) return { header, base64 };
  }
}

describe.each([
  { transport: 'ws://', secure: false },
  { transport: 'wss://', secure: true },
])('handshake over $transport', ({ secure }) => {
  it('takes the auth header from a header-<base64url> sub-protocol (Amplify ≥ 6.6), selects graphql-ws, acks then sends ka at once', async () => {
    const before = harness.engine.calls.length;
    const client = await openRaw(harness.url(secure), { protocols: subprotocolFor(apiKeyHeader(harness.port)) });
    expect(client.socket.protocol).toBe('graphql-ws');
    client.send({ type: 'connection_init' });
    await client.next((f) => f.type === 'ka');
    expect(client.frames.slice(0, 2)).toEqual([{ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } }, { type: 'ka' }]);
    const call = harness.engine.calls.slice(before).find((c) => c.kind === 'authenticate')!;
    expect(call.headers).toMatchObject({ 'x-api-key': API_KEY, host: `localhost:${harness.port}` });
    // IAM signs POST <graphql path>/connect with body {} for the handshake.
    expect(call.signed).toEqual({ path: `${GRAPHQL_PATH}/connect`, body: '{}' });
    expect(call.sourceIp).toEqual(['127.0.0.1']);
    client.close();
  });

  it('takes it from a raw ?header=<base64> query parameter with + and / kept literally (Amplify 6.0–6.5), payload=e30= ignored', async () => {
    const { header, base64 } = headerWithPlus(harness.port);
    const before = harness.engine.calls.length;
    const client = await openRaw(harness.url(secure, `?header=${base64}&payload=e30=`), { protocols: ['graphql-ws'] });
    client.send({ type: 'connection_init' });
    expect((await client.next((f) => f.type.startsWith('connection_'))).type).toBe('connection_ack');
    expect(harness.engine.calls.slice(before).find((c) => c.kind === 'authenticate')!.headers).toEqual(header);
    client.close();
  });

  it('takes it from a base64url, unpadded query parameter too', async () => {
    const encoded = Buffer.from(JSON.stringify(apiKeyHeader(harness.port))).toString('base64url');
    const client = await openRaw(harness.url(secure, `?header=${encoded}&payload=e30`), { protocols: ['graphql-ws'] });
    client.send({ type: 'connection_init' });
    expect((await client.next((f) => f.type.startsWith('connection_'))).type).toBe('connection_ack');
    client.close();
  });

  it('takes it from plain HTTP headers on the upgrade request', async () => {
    const client = await openRaw(harness.url(secure), { protocols: ['graphql-ws'], headers: { 'x-api-key': API_KEY } });
    client.send({ type: 'connection_init' });
    expect((await client.next((f) => f.type.startsWith('connection_'))).type).toBe('connection_ack');
    client.close();
  });

  // The frame is AppSync's observed one; the close code that follows it is UNVERIFIED.
  it('refuses bad credentials with connection_error 401 after accepting the upgrade, then closes', async () => {
    for (const protocols of [subprotocolFor({ ...apiKeyHeader(harness.port), 'x-api-key': 'da2-wrong' }), ['graphql-ws', 'header-'], ['graphql-ws']]) {
      const client = await openRaw(harness.url(secure), { protocols });
      client.send({ type: 'connection_init' });
      expect(await client.next((f) => f.type.startsWith('connection_'))).toEqual(REFUSED);
      expect((await client.closed).code).toBe(1000);
    }
  });

  it('is accepted by the platform WebSocket (undici), which fails a connection whose offered sub-protocol is not selected', async () => {
    for (const style of ['subprotocol', 'query'] as const) {
      const connection = await connectRealtime(harness.url(secure), apiKeyHeader(harness.port), style);
      connection.send({ type: 'connection_init' });
      expect((await connection.next((f) => f.type === 'connection_ack' || f.type === 'connection_error')).type).toBe('connection_ack');
      connection.close();
    }
  });
});

describe('headers for subscription resolvers', () => {
  it('passes extra query parameters (form-decoded) and the start authorization to the engine as request headers', async () => {
    const client = await openRaw(harness.url(false, '?x-tenant=acme+co&x-trace=a%2Fb'), { protocols: subprotocolFor(apiKeyHeader(harness.port)) });
    client.send({ type: 'connection_init' });
    await client.next((f) => f.type === 'connection_ack');
    expect((await subscribe(client, 'h1', 'subscription { onItemChange { id } }')).type).toBe('start_ack');
    const start = harness.engine.calls.findLast((c) => c.kind === 'startSubscription')!;
    expect(start.headers).toMatchObject({ 'x-tenant': 'acme co', 'x-trace': 'a/b', 'x-api-key': API_KEY, host: 'localhost' });
    expect(start.headers).not.toHaveProperty('sec-websocket-key');
    expect(start.headers).not.toHaveProperty('header');
    client.close();
  });
});

// DOC-RT calls connection_init optional; what AppSync does with a start on a connection that never
// sent it is UNVERIFIED: like every message before the ack, it is ignored.
describe('before the ack', () => {
  it('ignores every message sent before connection_ack, malformed ones included', async () => {
    const client = await openRaw(harness.url(false), { protocols: subprotocolFor(apiKeyHeader(harness.port)) });
    client.send({ id: 'early', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { onItemChange { id } }' }), extensions: { authorization: { 'x-api-key': API_KEY } } } });
    client.send('not json');
    client.send({ type: 'stop', id: 'nothing' });
    client.send({ type: 'connection_init' });
    await client.next((f) => f.type === 'connection_ack');
    // A later round trip proves the early frames were read and left unanswered.
    expect((await subscribe(client, 'late', 'subscription { onItemChange { id } }')).type).toBe('start_ack');
    expect(client.frames.map((f) => f.type)).toEqual(['connection_ack', 'ka', 'start_ack']);
    expect(harness.server.stats().subscriptions).toBeGreaterThanOrEqual(1);
    client.close();
  });
});
