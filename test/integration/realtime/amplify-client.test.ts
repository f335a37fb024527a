import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, GRAPHQL_PATH, startHarness, type Harness } from '../../unit/realtime/harness.ts';

/**
 * An unmodified aws-amplify v6 client against the realtime server mounted on the dual-protocol
 * server: Amplify turns `http://localhost:<port>/graphql` into `wss://…/graphql/realtime`, so
 * this goes over TLS with the test CA (trusted through NODE_EXTRA_CA_CERTS by the global setup).
 */

type Observable = { subscribe(o: { next(v: { data: Record<string, any> }): void; error(e: unknown): void }): { unsubscribe(): void } };

let harness: Harness;
const openedUrls: string[] = [];
const NativeWebSocket = globalThis.WebSocket;

beforeAll(async () => {
  harness = await startHarness();
  globalThis.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      openedUrls.push(String(url));
      super(url, protocols);
    }
  } as typeof WebSocket;
});
afterAll(async () => {
  globalThis.WebSocket = NativeWebSocket;
  await harness?.close();
});

function configure(apiKey: string) {
  Amplify.configure({ API: { GraphQL: { endpoint: `http://localhost:${harness.port}${GRAPHQL_PATH}`, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey } } });
}

/** Clients of one endpoint share Amplify's single WebSocket, as in an app. */
function subscribeWith(query: string, variables: Record<string, unknown> = {}) {
  const received: Record<string, any>[] = [];
  const errors: unknown[] = [];
  const observable = generateClient({ authMode: 'apiKey' }).graphql({ query, variables }) as unknown as Observable;
  const subscription = observable.subscribe({ next: ({ data }) => received.push(data), error: (e) => errors.push(e) });
  return { received, errors, unsubscribe: () => subscription.unsubscribe() };
}

describe('aws-amplify v6 against the realtime server', () => {
  it('subscribes over wss:// with the header- sub-protocol, receives filtered data, and unsubscribes with stop', async () => {
    configure(API_KEY);
    const mine = subscribeWith('subscription ($id: ID) { onPutItem(id: $id) { id name __typename } }', { id: '1' });
    const other = subscribeWith('subscription ($id: ID) { onPutItem(id: $id) { id } }', { id: '2' });
    await expect.poll(() => harness.server.stats().subscriptions, { timeout: 10_000 }).toBe(2);

    harness.server.publish('putItem', { id: '1', name: 'one', owner: 'o' });
    await expect.poll(() => mine.received, { timeout: 10_000 }).toEqual([{ onPutItem: { id: '1', name: 'one', __typename: 'Item' } }]);
    expect(other.received).toEqual([]);
    expect(openedUrls.at(-1)).toBe(`wss://localhost:${harness.port}${GRAPHQL_PATH}/realtime`);

    mine.unsubscribe();
    other.unsubscribe();
    await expect.poll(() => harness.server.stats().subscriptions, { timeout: 10_000 }).toBe(0);
    expect([...mine.errors, ...other.errors]).toEqual([]);
  });

  it('surfaces a refused start (field auth) to the observer as Amplify does: "Connection failed: …"', async () => {
    configure(API_KEY);
    const secret = subscribeWith('subscription { onSecret { id } }');
    await expect.poll(() => secret.errors.length, { timeout: 10_000 }).toBe(1);
    expect(JSON.stringify(secret.errors[0])).toContain('Not Authorized to access onSecret on type Subscription');
    secret.unsubscribe();
  });

  it('stops delivering to a subscription that was invalidated (Amplify ignores the complete frame)', async () => {
    configure(API_KEY);
    const filter = JSON.stringify({ filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'o' }] }] });
    const invalidation = JSON.stringify({ filterGroup: [{ filters: [{ fieldName: 'group', operator: 'eq', value: 'g1' }] }] });
    const watched = subscribeWith('subscription ($f: AWSJSON, $i: AWSJSON) { onFilteredItem(filter: $f, invalidation: $i) { id } }', { f: filter, i: invalidation });
    const control = subscribeWith('subscription { onItemChange { id } }');
    await expect.poll(() => harness.server.stats().subscriptions, { timeout: 10_000 }).toBe(2);

    harness.server.publish('putItem', { id: 'before', owner: 'o' });
    await expect.poll(() => watched.received.length, { timeout: 10_000 }).toBe(1);
    harness.server.invalidate('onFilteredItem', { group: 'g1' });
    harness.server.publish('putItem', { id: 'after', owner: 'o' });
    await expect.poll(() => control.received.length, { timeout: 10_000 }).toBe(2);
    expect(watched.received).toEqual([{ onFilteredItem: { id: 'before' } }]);
    expect(watched.errors).toEqual([]);
    watched.unsubscribe();
    control.unsubscribe();
  });

  it('fails the subscription at once on a refused handshake (connection_error 401 is non-retryable for Amplify)', async () => {
    configure('da2-not-the-key');
    const refused = subscribeWith('subscription { onItemChange { id } }');
    await expect.poll(() => refused.errors.length, { timeout: 10_000 }).toBe(1);
    expect(JSON.stringify(refused.errors[0])).toContain('UnauthorizedException');
    refused.unsubscribe();
  });
});
