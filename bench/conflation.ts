/**
 * Conflation at the publisher (issue 9, docs/live-state.md), end to end on the local runtime: a
 * burst of 500 changes/s on one market for 10 s, read by one raw WebSocket subscriber on
 * `onPriceUpdate(marketId)`, with price-engine at PRICE_CONFLATION_WINDOW_MS = 250 (the default).
 * Phase A sends the burst as a partner does (signed `ingestFeed`); phase B writes it straight
 * into MarketsTable as ingest-feed would, so the publisher sees 500/s whatever ingest achieves.
 *
 * Each phase records: publications and the smallest gap between them (at the price engine, from
 * its log lines, and at the subscriber); whether the last publication is the final state; whether
 * the previousVersion chain holds; feed → subscriber latency of every change (to the first
 * publication covering it; p99 must be at most the window + 100 ms); and the lag behind the
 * market (from the change's acknowledgement to that publication; at most one window + 100 ms).
 *
 * Run: `npm run bench -- conflation` (about a minute) — writes bench/results/conflation.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppSyncClient } from '../sdk/appsync-client.ts';
import { createDemoFeed, demoEvent } from '../client/demo/demo-feed.ts';
import type { FeedMessageInput, IngestFeedMutation } from '../client/generated/operations.ts';
import { INGEST_FEED } from '../client/operations/documents.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { machineTable, quantile } from './report.ts';

const WINDOW_MS = 250;
const RATE = 500;
const BURST_SECONDS = 10;
const BATCH = 25;
const MARKET = demoEvent.markets.find((m) => m.id.endsWith('btts'))!;

const loadBefore = loadavg()[0]!;
const root = mkdtempSync(join(tmpdir(), 'bench-conflation-'));
const publishedAt: { version: number; at: number }[] = [];
const runtime = await startLocalRuntime({
  stateDir: root,
  persistent: false,
  log: () => {},
  // The price engine's own record of when it published each version of the market.
  functionLog: (line) => {
    const json = line.slice(line.indexOf('{'));
    if (!json.includes('"service":"price-engine"') || !json.includes(`published market ${MARKET.id} `)) return;
    const entry = JSON.parse(json) as { version: number; deliveredAt: string };
    publishedAt.push({ version: entry.version, at: Date.parse(entry.deliveredAt) });
  },
});
const api = runtime.apis[0]!;
const partnerKey = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'))!;
const partner = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: partnerKey } });
const reader = createAppSyncClient({ endpoint: api.graphqlUrl, auth: { type: 'API_KEY', apiKey: api.model.apiKeys[0]!.value } });

type Update = { version: number; previousVersion: number | null; selections: { probability: number }[] };
const arrivals: { update: Update; at: number }[] = [];
const key = api.model.apiKeys[0]!.value;
const auth = { host: new URL(api.graphqlUrl).host, 'x-api-key': key };
const socket = new WebSocket(`ws://localhost:${api.port}/graphql/realtime`, ['graphql-ws', `header-${Buffer.from(JSON.stringify(auth)).toString('base64url')}`]);
await new Promise<void>((ready) => {
  socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(String(event.data)) as { type: string; payload?: { data?: { onPriceUpdate?: Update } } };
    if (frame.type === 'connection_ack') {
      const data = JSON.stringify({ query: `subscription { onPriceUpdate(marketId: "${MARKET.id}") { version previousVersion selections { probability } } }` });
      socket.send(JSON.stringify({ id: 'bench', type: 'start', payload: { data, extensions: { authorization: auth } } }));
    } else if (frame.type === 'start_ack') {
      ready();
    } else if (frame.type === 'data') {
      arrivals.push({ update: frame.payload!.data!.onPriceUpdate!, at: performance.timeOrigin + performance.now() });
    }
  });
});

await partner.request<IngestFeedMutation>(INGEST_FEED, { messages: createDemoFeed('bench-conflation-opening').opening() });
await new Promise((r) => setTimeout(r, 2_000));

interface Sent {
  sentAt: number;
  committedAt: number;
  /** The market version the message produced, when known (direct writes). */
  version?: number;
  /** The "yes" probability it carries. */
  yes: number;
}

/** "yes" probability of message i of a phase: unique, so a publication names the message it reflects. */
const yesOf = (i: number) => Math.round((0.1 + i / 10_000) * 10_000) / 10_000;
const selectionsOf = (yes: number) => [{ selectionId: 'yes', probability: yes }, { selectionId: 'no', probability: Math.round((1 - yes) * 10_000) / 10_000 }];

/** Phase A: one partner's signed ingestFeed batches, in order, at the target rate or as fast as ingest allows, for BURST_SECONDS. */
async function burstThroughIngest(total: number): Promise<Sent[]> {
  const sent: Sent[] = [];
  let sequence = 0;
  const start = Date.now();
  for (let first = 0; first < total && Date.now() - start < BURST_SECONDS * 1000; first += BATCH) {
    const due = start + (first / RATE) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const messages: FeedMessageInput[] = [];
    for (let i = first; i < Math.min(total, first + BATCH); i++) {
      messages.push({ feedId: 'bench-conflation', sequence: (sequence += 1), type: 'PROBABILITIES', probabilities: { marketId: MARKET.id, selections: selectionsOf(yesOf(i)) } });
    }
    const sentAt = Date.now();
    const { ingestFeed } = await partner.request<IngestFeedMutation>(INGEST_FEED, { messages });
    if (ingestFeed.accepted !== messages.length) throw new Error(`burst batch at message ${first} not accepted: ${JSON.stringify(ingestFeed.results.filter((r) => r.outcome !== 'ACCEPTED'))}`);
    const committedAt = Date.now();
    for (let i = first; i < first + messages.length; i++) sent.push({ sentAt, committedAt, yes: yesOf(i) });
  }
  return sent;
}

/**
 * Phase B: the market item changed 500 times a second directly in MarketsTable, as ingest-feed
 * writes it (new probabilities, version + 1, lastChange, updatedAt), up to 8 writes in flight:
 * the stream and the publisher see the rate whatever the ingest path achieves.
 */
async function burstIntoTable(total: number): Promise<Sent[]> {
  const table = runtime.model.tables.find((t) => t.logicalId.startsWith('MarketsTable'))!.tableName;
  const dynamo = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const sent: Sent[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i / RATE) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    while (inFlight.size >= 8) await Promise.race(inFlight);
    const yes = yesOf(i);
    const sentAt = Date.now();
    const now = new Date().toISOString();
    const write = dynamo
      .send(
        new UpdateItemCommand({
          TableName: table,
          Key: marshall({ id: MARKET.id }),
          UpdateExpression: 'SET selections = :selections, updatedAt = :now, lastChange = :change ADD version :one',
          ExpressionAttributeValues: marshall({
            ':selections': MARKET.selections.map((s, k) => ({ id: s.id, name: s.name, probability: selectionsOf(yes)[k]!.probability })),
            ':now': now,
            ':change': { source: 'FEED', by: 'bench/conflation.ts', at: now },
            ':one': 1,
          }),
          ReturnValues: 'UPDATED_NEW',
        }),
      )
      .then((out) => {
        sent[i] = { sentAt, committedAt: Date.now(), version: Number(out.Attributes!.version!.N), yes };
      });
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write));
  }
  await Promise.all(inFlight);
  dynamo.destroy();
  return sent;
}

interface PhaseResult {
  name: string;
  seconds: number;
  sent: Sent[];
  burst: { update: Update; at: number }[];
  publisherGaps: number[];
  arrivalGaps: number[];
  lastEqualsFinal: boolean;
  finalVersion: number;
  chainHolds: boolean;
  latency: number[];
  lag: number[];
}

async function phase(name: string, run: (total: number) => Promise<Sent[]>): Promise<PhaseResult> {
  const firstArrival = arrivals.length;
  const firstPublished = publishedAt.length;
  const start = Date.now();
  const total = RATE * BURST_SECONDS;
  const sent = await run(total);
  const seconds = (Date.now() - start) / 1000;
  const { market } = await reader.request<{ market: { version: number; selections: { id: string; probability: number }[] } }>('query ($id: ID!) { market(id: $id) { version selections { id probability } } }', { id: MARKET.id });
  const deadline = Date.now() + 15_000;
  while (arrivals.at(-1)?.update.version !== market.version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, WINDOW_MS * 2)); // nothing more may follow
  const burst = arrivals.slice(firstArrival);
  const published = publishedAt.slice(firstPublished);
  const last = burst.at(-1)!;
  // The first arrival covering each message: one reflecting it or a later state.
  const covers = (a: { update: Update }, m: Sent, index: number) =>
    m.version !== undefined ? a.update.version >= m.version : Math.round((a.update.selections[0]!.probability - 0.1) * 10_000) >= index;
  const latency: number[] = [];
  const lag: number[] = [];
  sent.forEach((m, index) => {
    const covering = burst.find((a) => covers(a, m, index));
    if (!covering) throw new Error(`${name}: message ${index} was never covered by a publication`);
    latency.push(covering.at - m.sentAt);
    lag.push(covering.at - m.committedAt);
  });
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  return {
    name,
    seconds,
    sent,
    burst,
    publisherGaps: sorted(published.slice(1).map((p, i) => p.at - published[i]!.at)),
    arrivalGaps: sorted(burst.slice(1).map((a, i) => a.at - burst[i]!.at)),
    lastEqualsFinal: last.update.version === market.version && last.update.selections[0]!.probability === market.selections.find((s) => s.id === 'yes')!.probability,
    finalVersion: market.version,
    chainHolds: burst.every((a, i) => i === 0 || a.update.previousVersion === burst[i - 1]!.update.version),
    latency: sorted(latency),
    lag: sorted(lag),
  };
}

const results = [await phase('A. through ingestFeed (one partner, batches of 25)', burstThroughIngest), await phase('B. 500 changes/s written into MarketsTable', burstIntoTable)];

socket.close();
partner.close();
reader.close();
await runtime.stop();

const ms = (v: number) => v.toFixed(0);
const ok = (b: boolean) => (b ? 'yes' : '**NO**');
const section = (r: PhaseResult) => `## ${r.name}

| | |
|---|---|
| market changes (achieved rate) | ${r.sent.length} in ${r.seconds.toFixed(1)} s (${(r.sent.length / r.seconds).toFixed(0)} per s; target ${RATE}) |
| market versions published / skipped | ${r.burst.length} / ${r.sent.length - r.burst.length} |
| publications of the market | ${r.burst.length} (one per ${WINDOW_MS} ms window allows ${Math.ceil((r.seconds * 1000) / WINDOW_MS) + 2}) |
| smallest gap between publications, at the price engine (delivered) | ${ms(r.publisherGaps[0] ?? Number.NaN)} ms (p50 ${ms(quantile(r.publisherGaps, 0.5))} ms) |
| smallest gap between arrivals, at the subscriber | ${ms(r.arrivalGaps[0] ?? Number.NaN)} ms (p50 ${ms(quantile(r.arrivalGaps, 0.5))} ms) |
| at most one publication per window (at the price engine) | ${ok((r.publisherGaps[0] ?? Infinity) >= WINDOW_MS)} |
| last publication = final state (version ${r.finalVersion}, probabilities) | ${ok(r.lastEqualsFinal)} |
| every previousVersion = the version received before it | ${ok(r.chainHolds)} |

| ms | p50 | p90 | p99 | max | bound | within |
|---|---|---|---|---|---|---|
| feed → subscriber (from sending the change) | ${ms(quantile(r.latency, 0.5))} | ${ms(quantile(r.latency, 0.9))} | ${ms(quantile(r.latency, 0.99))} | ${ms(r.latency.at(-1)!)} | p99 ≤ window + 100 = ${WINDOW_MS + 100} | ${ok(quantile(r.latency, 0.99) <= WINDOW_MS + 100)} |
| lag behind the market (from the change's acknowledgement) | ${ms(quantile(r.lag, 0.5))} | ${ms(quantile(r.lag, 0.9))} | ${ms(quantile(r.lag, 0.99))} | ${ms(r.lag.at(-1)!)} | max ≤ window + 100 = ${WINDOW_MS + 100} | ${ok(r.lag.at(-1)! <= WINDOW_MS + 100)} |
`;
const report = `# Conflation benchmark

${machineTable('npm run bench -- conflation', loadBefore)}

A burst on one market (\`${MARKET.id}\`) at a target ${RATE} changes/s for ${BURST_SECONDS} s, through the whole
local system: MarketsTable stream (polled every 50 ms) → price-engine with
PRICE_CONFLATION_WINDOW_MS=${WINDOW_MS} → signed \`publishPriceUpdate\` → one raw WebSocket subscriber
on \`onPriceUpdate(marketId)\`. Phase A sends the changes as a partner does (signed \`ingestFeed\`
→ ingest-feed), so its rate is what that path achieves; phase B writes them into MarketsTable as
ingest-feed would, so the publisher sees the issue's rate. Every change has distinct
probabilities, so each publication names the newest change it reflects.

"Covering" a change: the first publication reflecting it or a later state. Latency counts from
sending the change (phase A: its ingestFeed request, 25 messages applied one after another;
phase B: its UpdateItem); lag counts from its acknowledgement (the version exists; in phase A
the request's response, after the whole batch, so there it is a lower bound and the latency an
upper bound). The 100 ms
over the window is the pipeline itself (stream polling every 50 ms, price-engine's reads and
writes, the signed publish, delivery; bench/results/feed-ingest.md).

${results.map(section).join('\n')}`;
writeFileSync(new URL('./results/conflation.md', import.meta.url), report);
console.log(report);
