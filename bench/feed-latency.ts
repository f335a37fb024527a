/**
 * Feed message → subscriber latency and sustained feed throughput, end to end on the local
 * runtime: a partner's signed `ingestFeed` → ingest-feed Lambda → MarketsTable stream →
 * price-engine Lambda → signed `publishPriceUpdate` → the real-time endpoint → a subscriber.
 *
 * Latency: one PROBABILITIES message at a time (paced), from the moment the ingestFeed request
 * is sent to the moment the subscriber reads the PriceUpdate carrying those probabilities.
 * Throughput: batches of 25 messages sent back to back by 4 partners at once for a fixed time;
 * messages accepted per second and price updates delivered per second.
 *
 * Run: `npx node bench/feed-latency.ts` — writes bench/results/feed-latency.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoFeed, demoEvent } from '../client/demo/demo-feed.ts';
import type { FeedMessageInput, IngestFeedMutation } from '../client/generated/operations.ts';
import { INGEST_FEED } from '../client/operations/documents.ts';
import { createAppSyncClient } from '../sdk/appsync-client.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { machineTable, quantile } from './report.ts';

const PACED_MESSAGES = 200;
const PACE_MS = 100;
const THROUGHPUT_SECONDS = 20;
const PARTNERS = 4;
const BATCH = 25;

const loadBefore = loadavg()[0]!;
const root = mkdtempSync(join(tmpdir(), 'bench-feed-'));
const runtime = await startLocalRuntime({ stateDir: root, persistent: false, log: () => {}, functionLog: () => {} });
const api = runtime.apis[0]!;
const partnerKey = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'))!;
const partner = () => createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: partnerKey } });

// The subscriber: a raw real-time connection with the API key, on every market of the event.
const key = api.model.apiKeys[0]!.value;
const header = Buffer.from(JSON.stringify({ host: new URL(api.graphqlUrl).host, 'x-api-key': key })).toString('base64url');
const socket = new WebSocket(`ws://localhost:${api.port}/graphql/realtime`, ['graphql-ws', `header-${header}`]);
const arrivals = new Map<string, number>();
let delivered = 0;
let lastArrival = 0;
await new Promise<void>((ready) => {
  socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(String(event.data)) as { type: string; payload?: { data?: { onPriceUpdate?: { selections: { probability: number }[] } } } };
    if (frame.type === 'connection_ack') {
      const data = JSON.stringify({ query: `subscription { onPriceUpdate(eventId: "${demoEvent.id}") { marketId selections { probability } } }` });
      socket.send(JSON.stringify({ id: 'bench', type: 'start', payload: { data, extensions: { authorization: { host: new URL(api.graphqlUrl).host, 'x-api-key': key } } } }));
    } else if (frame.type === 'start_ack') {
      ready();
    } else if (frame.type === 'data') {
      delivered += 1;
      lastArrival = performance.now();
      const update = frame.payload!.data!.onPriceUpdate!;
      arrivals.set(fingerprint(update.selections.map((s) => s.probability)), performance.now());
    }
  });
});

function fingerprint(probabilities: number[]): string {
  return probabilities.join(',');
}

const opener = partner();
const feed = createDemoFeed('bench-feed');
await opener.request<IngestFeedMutation>(INGEST_FEED, { messages: feed.opening() });

// Paced: one message at a time, one market, waiting for its price update before the next.
const latencies: number[] = [];
let lost = 0;
for (let i = 0; i < PACED_MESSAGES; i++) {
  const message = feed.tick()[i % demoEvent.markets.length]!;
  const key = fingerprint(message.probabilities!.selections.map((s) => s.probability));
  const sent = performance.now();
  await opener.request<IngestFeedMutation>(INGEST_FEED, { messages: [message] });
  const deadline = sent + 10_000;
  while (!arrivals.has(key) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  if (arrivals.has(key)) latencies.push(arrivals.get(key)! - sent);
  else lost += 1;
  await new Promise((r) => setTimeout(r, PACE_MS));
}
latencies.sort((a, b) => a - b);

// Throughput: several partners sending batches back to back.
const before = delivered;
let accepted = 0;
const started = performance.now();
const until = started + THROUGHPUT_SECONDS * 1000;
await Promise.all(
  Array.from({ length: PARTNERS }, async (_, p) => {
    const client = partner();
    const own = createDemoFeed(`bench-throughput-${p}`);
    while (performance.now() < until) {
      const messages: FeedMessageInput[] = [];
      while (messages.length < BATCH) messages.push(...own.tick());
      const { ingestFeed } = await client.request<IngestFeedMutation>(INGEST_FEED, { messages: messages.slice(0, BATCH) });
      accepted += ingestFeed.accepted;
    }
    client.close();
  }),
);
const sendSeconds = (performance.now() - started) / 1000;
// Let the pipeline drain what was accepted before counting deliveries.
let last = -1;
while (last !== delivered) {
  last = delivered;
  await new Promise((r) => setTimeout(r, 2000));
}
const drainSeconds = (lastArrival - started) / 1000;
const updates = delivered - before;

socket.close();
opener.close();
await runtime.stop();

const ms = (v: number) => v.toFixed(1);
const report = `# Feed → subscriber benchmark

${machineTable('npx node bench/feed-latency.ts', loadBefore)}

The whole local system, in one process with its Lambda workers, DynamoDB Local (JVM) and
cognito-local: partner \`ingestFeed\` (SigV4) → ingest-feed → MarketsTable stream (polled every
50 ms) → price-engine → \`publishPriceUpdate\` (SigV4) → real-time endpoint → one raw WebSocket
subscriber on \`onPriceUpdate(eventId)\`.

## Latency (one message at a time, every ${PACE_MS} ms)

| messages | p50 ms | p90 ms | p99 ms | max ms | lost |
|---|---|---|---|---|---|
| ${latencies.length + lost} | ${ms(quantile(latencies, 0.5))} | ${ms(quantile(latencies, 0.9))} | ${ms(quantile(latencies, 0.99))} | ${ms(latencies.at(-1) ?? Number.NaN)} | ${lost} |

From sending the \`ingestFeed\` request to the subscriber reading the price update computed from
that message.

## Sustained throughput (${PARTNERS} partners, batches of ${BATCH}, ${THROUGHPUT_SECONDS} s)

| messages accepted | accepted msg/s | price updates delivered | delivered updates/s (first send to last delivery) |
|---|---|---|---|
| ${accepted} | ${(accepted / sendSeconds).toFixed(0)} | ${updates} | ${(updates / drainSeconds).toFixed(0)} |

Every accepted message changes one market, so each is one stream record; price-engine
conflates each market's changes to at most one publication per PRICE_CONFLATION_WINDOW_MS
(250 ms; bench/results/conflation.md), so updates delivered can be fewer than messages.
`;
writeFileSync(new URL('./results/feed-latency.md', import.meta.url), report);
console.log(report);
