/**
 * The feed-ingest benchmark's subscriber: one raw real-time connection with the API key, an
 * `onPriceUpdate(eventIds)` per group of events (at most 5 each, the schema's limit) of the
 * latency phases, recording each publication's
 * market, the state index its "yes" probability encodes, and its arrival time.
 */
import type { Arrival } from './coverage.ts';
import { stateIndexOf } from './partner-feed.ts';

interface DataFrame {
  type: string;
  payload?: { data?: { onPriceUpdate?: { marketId: string; selections: { selectionId: string; probability: number }[] } } };
}

export interface Subscriber {
  arrivals: Arrival[];
  close(): void;
}

export async function subscribe(options: { port: number; graphqlUrl: string; apiKey: string; eventIdGroups: string[][] }): Promise<Subscriber> {
  const auth = { host: new URL(options.graphqlUrl).host, 'x-api-key': options.apiKey };
  const socket = new WebSocket(`ws://localhost:${options.port}/graphql/realtime`, ['graphql-ws', `header-${Buffer.from(JSON.stringify(auth)).toString('base64url')}`]);
  const arrivals: Arrival[] = [];
  let acknowledged = 0;
  await new Promise<void>((ready, fail) => {
    socket.addEventListener('error', () => fail(new Error(`the subscriber could not connect to ws://localhost:${options.port}/graphql/realtime`)));
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.addEventListener('message', (event) => {
      const frame = JSON.parse(String(event.data)) as DataFrame;
      if (frame.type === 'connection_ack') {
        options.eventIdGroups.forEach((eventIds, i) => {
          const data = JSON.stringify({
            query: 'subscription ($eventIds: [ID!]) { onPriceUpdate(eventIds: $eventIds) { marketId selections { selectionId probability } } }',
            variables: { eventIds },
          });
          socket.send(JSON.stringify({ id: `bench-${i}`, type: 'start', payload: { data, extensions: { authorization: auth } } }));
        });
      } else if (frame.type === 'start_ack') {
        if ((acknowledged += 1) === options.eventIdGroups.length) ready();
      } else if (frame.type === 'error' || frame.type === 'connection_error') {
        fail(new Error(`the subscription was refused: ${JSON.stringify(frame)}`));
      } else if (frame.type === 'data') {
        const at = performance.timeOrigin + performance.now();
        const update = frame.payload!.data!.onPriceUpdate!;
        const yes = update.selections.find((s) => s.selectionId === 'yes');
        if (yes) arrivals.push({ marketId: update.marketId, stateIndex: stateIndexOf(yes.probability), at });
      }
    });
  });
  return { arrivals, close: () => socket.close() };
}
