/**
 * Feed ingest against issue 11's target: "accepted feed messages/s at least half of what the
 * same DynamoDB Local sustains for the ledger's own write pattern alone in the same run, and
 * feed → subscriber p99 ≤ 150 ms at half that rate". One run, one local runtime, its own
 * DynamoDB Local (`runtime.dynamodbEndpoint`) and its physical tables:
 *
 * 1. the ceiling: the ingest-feed Lambda's own code (ingestFeedBatch over createFeedStore) run
 *    by the partners' process straight against the tables — no AppSync, no Lambda;
 * 2. end to end: the same partners and batches as signed `ingestFeed` calls;
 * 3. latency at half the ceiling's rate: paced partners on many markets, feed → subscriber,
 *    with price-engine's conflation window at its default (250 ms) and then at 0 (off), the
 *    app re-synthesized with the CDK context `priceConflationWindowMs` and reloaded in place.
 *
 * The partners run in a process of their own (bench/feed-ingest/partners.ts); the runtime and
 * the subscriber run here.
 *
 * Run: `npm run bench -- feed-ingest` (about 3 minutes) — writes bench/results/feed-ingest.md.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../local/assembly/synth.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { coverage, type Coverage } from './feed-ingest/coverage.ts';
import { processCpuMs } from './feed-ingest/cpu.ts';
import { partnerEventId } from './feed-ingest/partner-feed.ts';
import type { Connection, PartnersRequest, PartnersResult } from './feed-ingest/partners.ts';
import { subscribe } from './feed-ingest/subscriber.ts';
import { machineTable, quantile } from './report.ts';

const PARTNERS = 4;
const BATCH = 25;
const WARM_UP_SECONDS = 5;
/** Rounds of each throughput phase, taking turns, and each round's length. */
const ROUNDS = 3;
const ROUND_SECONDS = 6;
/** Markets per partner in the throughput phases: a batch of 25 touches each market once. */
const THROUGHPUT_MARKETS = 25;
const LATENCY_SECONDS = 20;
/** Average messages/s per market in the latency phases: a busy in-play market. */
const PER_MARKET_RATE = 1;
const TICK_MS = 100;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 150;
const DEFAULT_WINDOW_MS = 250;
/** Issue 9: with conflation, feed → subscriber p99 is at most the window plus this. */
const CONFLATION_SLACK_MS = 100;

const loadBefore = loadavg()[0]!;
const root = mkdtempSync(join(tmpdir(), 'bench-feed-ingest-'));
const projectDir = join(import.meta.dirname, '..');
const assemblyDir = await synthesize({ projectDir, outDir: join(root, 'cdk.out') });

let lastPriceEngineLine = 0;
let priceEngineName = '';
const runtime = await startLocalRuntime({
  assemblyDir,
  stateDir: root,
  persistent: false,
  log: () => {},
  // When price-engine last printed anything: the pipeline has drained once it stays quiet.
  functionLog: (line) => {
    if (priceEngineName !== '' && line.startsWith(`[${priceEngineName}]`)) lastPriceEngineLine = performance.now();
  },
});
const api = runtime.apis[0]!;
const functionWith = (variable: string) => {
  const fn = runtime.model.functions.find((f) => variable in f.environment);
  if (!fn) throw new Error(`no function of the assembly has ${variable} in its environment`);
  return fn;
};
priceEngineName = functionWith('PRICE_CONFLATION_WINDOW_MS').functionName;
const ingestEnv = functionWith('FEED_MESSAGES_TABLE').environment;
const partnerKey = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'));
if (!partnerKey) throw new Error(`no PartnerFeedRole among the runtime's local keys: ${runtime.credentials.map((c) => c.name).join(', ')}`);
const connection: Connection = {
  graphqlUrl: api.graphqlUrl,
  region: runtime.region,
  credentials: { accessKeyId: partnerKey.accessKeyId, secretAccessKey: partnerKey.secretAccessKey, roleArn: partnerKey.roleArn },
  dynamodbEndpoint: runtime.dynamodbEndpoint,
  tables: { events: ingestEnv.EVENTS_TABLE!, markets: ingestEnv.MARKETS_TABLE!, feedMessages: ingestEnv.FEED_MESSAGES_TABLE! },
};

const latencyTags = ['lat-window-250', 'lat-window-0'];
const subscriber = await subscribe({
  port: api.port,
  graphqlUrl: api.graphqlUrl,
  apiKey: api.model.apiKeys[0]!.value,
  eventIdGroups: latencyTags.map((tag) => Array.from({ length: PARTNERS }, (_, p) => partnerEventId(tag, p))),
});

interface Measured {
  result: PartnersResult;
  /** CPU ms over the timed part: this process (the runtime's threads, the subscriber), DynamoDB Local's JVM, the partners' process. */
  cpu: { runtime: number; dynamodb: number; partners: number };
}

/** One run of the partners' process, with the CPU each process used while it was timed. */
function partners(request: PartnersRequest): Promise<Measured> {
  const child = fork(join(import.meta.dirname, 'feed-ingest', 'partners.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const jvm = runtime.supervisors.dynamodb.current().pid;
  let before = { runtime: process.cpuUsage(), dynamodb: processCpuMs(jvm) };
  return new Promise((resolve, reject) => {
    child.on('message', (message: PartnersResult | { type: 'partners-started' }) => {
      if (message.type === 'partners-started') {
        before = { runtime: process.cpuUsage(), dynamodb: processCpuMs(jvm) };
        return;
      }
      const runtimeCpu = process.cpuUsage(before.runtime);
      resolve({ result: message, cpu: { runtime: (runtimeCpu.user + runtimeCpu.system) / 1000, dynamodb: processCpuMs(jvm) - before.dynamodb, partners: message.cpuMs } });
    });
    child.once('exit', (code) => reject(new Error(`bench/feed-ingest/partners.ts (${request.via}, ${request.kind}, ${request.tag}) exited (${code}) without a result`)));
    child.send(request);
  });
}

/** Waits until price-engine has printed nothing for 1.5 s (at most 60 s): the stream backlog is published. */
async function drained(): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() - lastPriceEngineLine < 1_500 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

const closed = async (via: PartnersRequest['via'], tag: string, seconds: number) => {
  const run = await partners({ kind: 'closed', via, tag, partners: PARTNERS, marketsPerPartner: THROUGHPUT_MARKETS, batch: BATCH, seconds, connection });
  await drained();
  return run;
};

// A short end-to-end run first warms the Lambda workers and DynamoDB Local's JIT; not reported.
await closed('appsync', 'warm-up', WARM_UP_SECONDS);
// The two phases take turns, so that a change in the machine's load falls on both alike.
const rounds: { ledger: Measured; appsync: Measured }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  rounds.push({ ledger: await closed('ledger', `ceiling-${round}`, ROUND_SECONDS), appsync: await closed('appsync', `end-to-end-${round}`, ROUND_SECONDS) });
}

interface Phase {
  accepted: number;
  notAccepted: number;
  firstProblem?: string;
  seconds: number;
  calls: number;
  cpu: Measured['cpu'];
  /** Accepted msg/s of each round. */
  roundRates: number[];
}

function phase(runs: Measured[]): Phase {
  const sum = (f: (m: Measured) => number) => runs.reduce((total, m) => total + f(m), 0);
  const firstProblem = runs.find((m) => m.result.firstProblem)?.result.firstProblem;
  return {
    accepted: sum((m) => m.result.accepted),
    notAccepted: sum((m) => m.result.notAccepted),
    ...(firstProblem && { firstProblem }),
    seconds: sum((m) => m.result.seconds),
    calls: sum((m) => m.result.calls),
    cpu: { runtime: sum((m) => m.cpu.runtime), dynamodb: sum((m) => m.cpu.dynamodb), partners: sum((m) => m.cpu.partners) },
    roundRates: runs.map((m) => m.result.accepted / m.result.seconds),
  };
}
const ceiling = phase(rounds.map((r) => r.ledger));
const endToEnd = phase(rounds.map((r) => r.appsync));
const rate = (p: Phase) => p.accepted / p.seconds;

const pacedRate = Math.round(rate(ceiling) * TARGET_RATIO);
const marketsPerPartner = Math.max(1, Math.ceil(pacedRate / PER_MARKET_RATE / PARTNERS));

interface LatencyRow {
  windowMs: number;
  run: Measured;
  coverage: Coverage;
}

async function latencyPhase(tag: string, windowMs: number): Promise<LatencyRow> {
  const run = await partners({ kind: 'paced', via: 'appsync', tag, partners: PARTNERS, marketsPerPartner, rate: pacedRate, tickMs: TICK_MS, seed: 11, seconds: LATENCY_SECONDS, connection });
  if (run.result.notAccepted > 0) throw new Error(`latency phase ${tag}: ${run.result.notAccepted} messages not accepted, first: ${run.result.firstProblem}`);
  const { sent } = run.result;
  const phaseStart = Math.min(...sent.map((m) => m.sentAt));
  const measure = () => coverage(sent, subscriber.arrivals.filter((a) => a.at >= phaseStart));
  const settle = performance.now() + 10_000;
  let covered = measure();
  while (covered.lost.length > 0 && performance.now() < settle) {
    await new Promise((r) => setTimeout(r, 250));
    covered = measure();
  }
  await drained();
  return { windowMs, run, coverage: covered };
}

const windowOf = () => functionWith('PRICE_CONFLATION_WINDOW_MS').environment.PRICE_CONFLATION_WINDOW_MS;
if (windowOf() !== String(DEFAULT_WINDOW_MS)) throw new Error(`price-engine's PRICE_CONFLATION_WINDOW_MS is ${windowOf()}, expected the default ${DEFAULT_WINDOW_MS}`);
const latency: LatencyRow[] = [await latencyPhase(latencyTags[0]!, DEFAULT_WINDOW_MS)];

// Conflation off: the same app synthesized with the context value, swapped in over the same tables.
await synthesize({ projectDir, outDir: assemblyDir, context: { priceConflationWindowMs: 0 } });
const reload = await runtime.reload();
if (!reload.ok) throw new Error(`reloading with priceConflationWindowMs=0 failed: ${reload.message}`);
if (windowOf() !== '0' || !reload.replacedFunctions.includes(priceEngineName)) {
  throw new Error(`after the reload price-engine's PRICE_CONFLATION_WINDOW_MS is ${windowOf()} (replaced: ${reload.replacedFunctions.join(', ')})`);
}
// The reload retired price-engine's warm workers: a short run starts new ones before measuring.
await closed('appsync', 'warm-up-window-0', 2);
latency.push(await latencyPhase(latencyTags[1]!, 0));

subscriber.close();
await runtime.stop();
rmSync(root, { recursive: true, force: true });

// ---------------------------------------------------------------- report

const f0 = (v: number) => v.toFixed(0);
const f1 = (v: number) => v.toFixed(1);
const met = (ok: boolean) => (ok ? 'met' : '**not met**');
const ratio = rate(endToEnd) / rate(ceiling);
const p99Of = (row: LatencyRow) => quantile(row.coverage.latencies, 0.99);
const windowName = (windowMs: number) => (windowMs === 0 ? '0 (off)' : `${windowMs} ms (default)`);
const perMessage = (cpuMs: number, messages: number) => f1(cpuMs / messages);
const throughputRow = (name: string, p: Phase) =>
  `| ${name} | ${p.accepted} | ${p.notAccepted} | ${f1(p.seconds)} | **${f0(rate(p))}** | ${p.roundRates.map(f0).join(', ')} | ${f0((p.seconds * 1000 * PARTNERS) / p.calls)} |`;
const cpuRow = (name: string, p: Phase) =>
  `| ${name} | ${perMessage(p.cpu.runtime, p.accepted)} | ${perMessage(p.cpu.dynamodb, p.accepted)} | ${perMessage(p.cpu.partners, p.accepted)} | ${perMessage(p.cpu.runtime + p.cpu.dynamodb + p.cpu.partners, p.accepted)} |`;
const latencyRow = (row: LatencyRow) => {
  const l = row.coverage.latencies;
  const r = row.run.result;
  const busy = (row.run.cpu.runtime + row.run.cpu.dynamodb + row.run.cpu.partners) / (r.seconds * 1000);
  const after = row.coverage.afterAnswer;
  return `| ${windowName(row.windowMs)} | ${r.sent.length} | ${f0(r.sent.length / r.seconds)} | ${row.coverage.publications} | ${f0(quantile(l, 0.5))} | ${f0(quantile(l, 0.9))} | **${f0(quantile(l, 0.99))}** | ${f0(l.at(-1) ?? Number.NaN)} | ${row.coverage.lost.length} | ${f0(r.callP50)} / ${f0(r.callP99)} | ${f0(quantile(after, 0.5))} / ${f0(quantile(after, 0.99))} | ${f1(busy)} |`;
};
const markets = PARTNERS * marketsPerPartner;

const report = `# Feed ingest benchmark (issue 11)

${machineTable('npm run bench -- feed-ingest', loadBefore)}

One local runtime (this process: AppSync endpoint, Lambda worker threads, stream pollers, the
subscriber; DynamoDB Local's JVM and cognito-local beside it) and the partners in a process of
their own. All phases use the runtime's own DynamoDB Local and physical tables (the ingest-feed
Lambda's EVENTS_TABLE, MARKETS_TABLE, FEED_MESSAGES_TABLE), each on fresh feeds, events and
markets, so every message is new to the ledger and ACCEPTED. Markets are two-way (yes/no);
every message of a market carries distinct probabilities.

## Against the target of issue 11

| target | measured | |
|---|---|---|
| end-to-end accepted msg/s ≥ ${TARGET_RATIO} × the ledger pattern alone | ${f0(rate(endToEnd))} vs ${f0(rate(ceiling))} msg/s = ${ratio.toFixed(2)}× | ${met(ratio >= TARGET_RATIO && endToEnd.notAccepted === 0)} |
${latency.map((row) => `| feed → subscriber p99 ≤ ${TARGET_P99_MS} ms at ${pacedRate} msg/s (half the ceiling), conflation window ${windowName(row.windowMs)} | ${f0(p99Of(row))} ms, ${row.coverage.lost.length} lost | ${met(p99Of(row) <= TARGET_P99_MS && row.coverage.lost.length === 0)} |`).join('\n')}
${latency.filter((row) => row.windowMs > 0).map((row) => `| … issue 9's bound for conflation: p99 ≤ the window + ${CONFLATION_SLACK_MS} ms = ${row.windowMs + CONFLATION_SLACK_MS} ms | ${f0(p99Of(row))} ms | ${met(p99Of(row) <= row.windowMs + CONFLATION_SLACK_MS && row.coverage.lost.length === 0)} |`).join('\n')}

## Throughput: ${PARTNERS} partners, batches of ${BATCH}

Each partner is one feed with its own event and ${THROUGHPUT_MARKETS} markets, sending its next
batch as soon as the last one is answered; a batch gives each of its markets new probabilities.
The two phases take turns, ${ROUNDS} rounds of ${ROUND_SECONDS} s each (after a ${WARM_UP_SECONDS} s end-to-end warm-up), so
that the machine's load falls on both alike; between rounds the pipeline drains.

| phase | accepted | not accepted | s | accepted msg/s | per round | ms per call |
|---|---|---|---|---|---|---|
${throughputRow('1. ledger pattern alone (ingestFeedBatch + createFeedStore → DynamoDB Local)', ceiling)}
${throughputRow('2. end to end (signed `ingestFeed` → resolver → ingest-feed Lambda)', endToEnd)}

Phase 1 is the ingest-feed Lambda's own code and DynamoDB calls (per PROBABILITIES message two
consistent GetItems side by side — market and event — then one TransactWriteItems of the ledger
entry and the market), run in the partners' process with one SDK client per partner. Phase 2
adds SigV4 verification, the IAM policy, the resolver, the Lambda invoke (worker thread) and the
response. The MarketsTable stream and price-engine run behind both phases alike.

Where the time goes, CPU ms per accepted message (user + system, from \`process.cpuUsage\` and
\`/proc\`; on a machine shared with other work CPU time is steadier than wall time):

| phase | runtime process (AppSync, Lambda workers, stream pollers, price-engine) | DynamoDB Local JVM | partners' process | total |
|---|---|---|---|---|
${cpuRow('1. ledger pattern alone', ceiling)}
${cpuRow('2. end to end', endToEnd)}

## Latency at half the ceiling: ${pacedRate} msg/s for ${LATENCY_SECONDS} s

${PARTNERS} partners of ${marketsPerPartner} markets each (${markets} markets): on average
${f1(pacedRate / markets)} messages/s per market (target ${PER_MARKET_RATE}), each message on a market
drawn at random (so a market's messages come unevenly spaced, some close together). Each
partner sends every ${TICK_MS} ms one \`ingestFeed\` call with the messages that fell due, one
call in flight per feed. One raw WebSocket subscriber on \`onPriceUpdate(eventIds)\`.

Latency: from sending the \`ingestFeed\` call that carried a message to the arrival of the first
publication of its market carrying that message's probabilities **or a later state** of the
market — under conflation a publication stands for every change of its market before it
(docs/live-state.md), so a message merged into a later publication counts as delivered then.
Lost: never covered within 10 s after the phase. Where it goes: the \`ingestFeed\` call (send →
answer: SigV4, resolver, ingest-feed's two reads and one transaction per message), then answer →
subscriber (the MarketsTable stream, polled every 50 ms while it has records; price-engine's read of the last
publication, its two writes, the signed \`publishPriceUpdate\`; delivery). Cores busy: CPU of
the runtime, DynamoDB Local and the partners over the phase's wall time (the machine has
${availableParallelism()}). At half the ceiling's rate the machine is far from half idle: each call here
carries the one or two messages that fell due (a throughput call carries 25, which spreads the
cost of the call, the Lambda invoke and the stream batch), and each message is priced and published.

| conflation window | messages | sent msg/s | publications | p50 ms | p90 ms | p99 ms | max ms | lost | ingestFeed call p50 / p99 ms | answer → subscriber p50 / p99 ms | cores busy |
|---|---|---|---|---|---|---|---|---|---|---|---|
${latency.map(latencyRow).join('\n')}

With the default window a market that published less than 250 ms ago waits out the rest of
the window before its next publication, and price-engine waits inside the invocation, so the
next batch of that market's lane waits with it; the other nine lanes of the shard
(ParallelizationFactor 10) go on (docs/live-state.md). A
message that follows its market's previous one closely is therefore delivered up to a window
later: conflation's promise (at most one publication per market per window, never more than
one window behind), not a delay of the pipeline. The window-0 row is the pipeline alone. The
window is set with the CDK context value \`priceConflationWindowMs\` (here: the app synthesized
again with it and reloaded in place, over the same DynamoDB Local).
`;
writeFileSync(new URL('./results/feed-ingest.md', import.meta.url), report);
console.log(report);
