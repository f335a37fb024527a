import { readFileSync } from 'node:fs';
import { Amplify } from 'aws-amplify';
import { CONNECTION_STATE_CHANGE, ConnectionState, generateClient } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEvent } from '../../client/demo/demo-feed.ts';
import { PUBLISH_PRICE_UPDATE } from '../../client/operations/documents.ts';
import { priceUpdateInput, roleClient } from '../support/pricestream.ts';
import { eventually, startTestRuntime, type TestRuntime } from './test-runtime.ts';

/**
 * The server drops the socket (here: the connection's lifetime, AppSync's 24 h, shortened) and
 * an unmodified aws-amplify v6 client reconnects by itself, re-sends its `start`, and receives
 * what is published afterwards — nothing from the gap is replayed (priceHistory is the catch-up).
 */

type Observable<T> = { subscribe(o: { next(v: { data: T }): void; error(e: unknown): void }): { unsubscribe(): void } };
const market = demoEvent.markets[0]!;
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime({ realtime: { maxConnectionLifetimeMs: 4_000 } });
  Amplify.configure(JSON.parse(readFileSync(runtime.outputsPath, 'utf8')));
});
afterAll(() => runtime?.stop());

function publish(version: number) {
  return roleClient(runtime, 'PricePublisherRole').request(PUBLISH_PRICE_UPDATE, { input: priceUpdateInput(market.id, version) });
}

describe('aws-amplify v6 after the server drops the socket', () => {
  it('reconnects, re-subscribes and receives the next update', async () => {
    const states: string[] = [];
    const stopListening = Hub.listen('api', ({ payload }) => {
      if (payload.event === CONNECTION_STATE_CHANGE) states.push((payload.data as { connectionState: string }).connectionState);
    });
    const received: number[] = [];
    const errors: unknown[] = [];
    const client = generateClient({ authMode: 'apiKey' });
    const subscription = (client.graphql({ query: 'subscription ($id: ID) { onPriceUpdate(marketId: $id) { version } }', variables: { id: market.id } }) as unknown as Observable<{
      onPriceUpdate: { version: number };
    }>).subscribe({ next: ({ data }) => received.push(data.onPriceUpdate.version), error: (e) => errors.push(e) });

    await eventually('the first start_ack', () => (states.includes(ConnectionState.Connected) ? true : undefined));
    await publish(1);
    await eventually('the update before the drop', () => (received.includes(1) ? true : undefined));

    await eventually('the server to drop the connection', () => (states.includes(ConnectionState.ConnectionDisrupted) ? true : undefined), 10_000);
    await eventually('Amplify to reconnect and re-subscribe', () => (states.lastIndexOf(ConnectionState.Connected) > states.indexOf(ConnectionState.ConnectionDisrupted) ? true : undefined), 20_000);
    await publish(2);
    await eventually('the update after the reconnect', () => (received.includes(2) ? true : undefined));
    expect(errors).toEqual([]);
    subscription.unsubscribe();
    stopListening();
  }, 60_000);
});
