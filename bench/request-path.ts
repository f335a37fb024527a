/**
 * The request path, side by side: `npm run bench -- request-path`
 *
 * One API shape (bench/request-path/shape.ts) on three servers, each in a process of its own,
 * each operation measured on the three in turn within each round, with the load generator and the
 * subscribers in processes of their own, all on loopback with the API key:
 *
 * - Pricestream's local runtime, serving the shape as a synthesized CDK app (APPSYNC_JS);
 * - the Amplify AppSync simulator 2.16 (`amplify mock api`'s engine) with the VTL twins of the
 *   same resolvers, against the same DynamoDB Local table — installed on demand into
 *   bench/simulator/, since it needs graphql 15;
 * - a protocol-only floor: HTTP and AppSync's real-time frames with no GraphQL at all.
 *
 * It measures a NONE JS resolver query, a DynamoDB GetItem query (and the AWS SDK's GetItem
 * alone against the same DynamoDB Local), a 3-function pipeline, a publish mutation and its
 * twin as a query (`tick`: the same arguments, handler and selection), and
 * publish → subscriber latency with 1,000 and 10,000 subscribers (100 per connection).
 * Results go to bench/results/request-path.md with the targets of issue 11.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineTable } from './report.ts';
import { synthRequestPathApp } from './request-path/app.ts';
import { forkChild, load, next, RUNTIME_NODE_FLAGS } from './request-path/children.ts';
import type { LoadRequest, Operation } from './request-path/load.ts';
import type { LoadResult, ServerReady } from './request-path/protocol.ts';
import type { SubscribersReport, SubscribersRequest } from './request-path/subscribers.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const CONCURRENCY = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 2;
/**
 * Each server's queries are measured in rounds, every operation once per round, and a cell is
 * the round with the median throughput. A VM's CPU can slow by a third for tens of seconds (seen
 * on a 2-vCPU AMD EPYC VM: ping 14,290 and 7,081 req/s in one run), so one run per operation,
 * one after the other, compared operations measured at different speeds of the machine; ratios
 * are taken within a round.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FANOUT = [
  { subscribers: 1_000, connections: 10, rate: 50, seconds: 10 },
  { subscribers: 10_000, connections: 100, rate: 10, seconds: 10 },
];
const QUERIES: Operation[] = ['ping', 'market', 'pipeline', 'tick', 'publish'];
/** The order of the operations within a round (see measureRounds). */
const ROUND_ORDER: Operation[] = ['ping', 'publish', 'tick', 'pipeline', 'market'];

type ServerName = 'runtime' | 'simulator' | 'floor';
/** A server's operations, and with the runtime GetItem alone against its DynamoDB Local. */
type Measured = Operation | 'sdk' | 'wire';
/** A measurement beside a server's operations, run right after `group`'s, which it is compared with. */
type Extra = { name: Exclude<Measured, Operation>; group: Operation; label: string; request: LoadRequest };
interface ServerResults {
  /** The median round of each operation. */
  closed: Partial<Record<Measured, LoadResult>>;
  /** Every round, in order. */
  rounds: Partial<Record<Measured, LoadResult>>[];
  fanout: (Extract<SubscribersReport, { type: 'measured' }> & { subscribers: number; rate: number; publishErrors: number })[];
}

interface Server {
  name: ServerName;
  ready: ServerReady;
  loads: { name: Measured; group: Operation; label: string; request: LoadRequest }[];
  results: ServerResults;
}

function serverUnderTest(name: ServerName, ready: ServerReady, extras: Extra[] = []): Server {
  const loads = [
    ...QUERIES.map((operation) => ({ name: operation as Measured, group: operation, label: operation as string, request: { kind: 'closed', url: ready.graphqlUrl, apiKey: ready.apiKey, operation, concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS } as LoadRequest })),
    ...extras,
  ];
  return { name, ready, loads, results: { closed: {}, rounds: [], fanout: [] } };
}

/**
 * Every round measures every operation on the three servers back to back, in an order that
 * rotates with the round and the operation, so that a ratio between servers compares runs
 * seconds apart rather than minutes: the machine's speed drifts over minutes, and a round of one
 * server's five operations took over half a minute. The runtime's extras (GetItem alone) follow
 * its `market`, which they are compared with. `publish` sits between `ping` and `tick`, the two
 * queries it is compared with.
 */
async function measureRounds(servers: Server[]): Promise<void> {
  for (let round = 1; round <= ROUNDS; round++) {
    const measured = servers.map(() => ({}) as Partial<Record<Measured, LoadResult>>);
    for (const [g, group] of ROUND_ORDER.entries()) {
      const order = servers.map((_, i) => (i + round + g - 1) % servers.length);
      for (const s of order) {
        const server = servers[s]!;
        for (const { name: key, label, request } of server.loads.filter((l) => l.group === group)) {
          process.stdout.write(`  round ${round}/${ROUNDS} ${server.name} ${label}: ${CONCURRENCY} in flight for ${SECONDS} s … `);
          const result = await load(request);
          measured[s]![key] = result;
          console.log(`${rps(result)} req/s, p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms${result.errors ? `, ${result.errors} errors (${result.firstError})` : ''}`);
        }
      }
    }
    servers.forEach((server, s) => server.results.rounds.push(measured[s]!));
  }
  for (const { loads, results } of servers) for (const { name: key } of loads) results.closed[key] = medianBy(results.rounds.map((r) => r[key]!), rps);
}

async function measureFanout({ name, ready, results }: Server): Promise<void> {
  for (const scenario of FANOUT) {
    process.stdout.write(`  ${name} fan-out: ${scenario.subscribers} subscribers, ${scenario.rate} publishes/s for ${scenario.seconds} s … `);
    const subscribers = forkChild('request-path/subscribers.ts');
    const connected = next<Extract<SubscribersReport, { type: 'connected' }>>(subscribers, 'connected');
    subscribers.send({ type: 'connect', realtimeUrl: ready.realtimeUrl, apiKey: ready.apiKey, connections: scenario.connections, perConnection: scenario.subscribers / scenario.connections } satisfies SubscribersRequest);
    await connected;
    const publishes = scenario.rate * scenario.seconds;
    const measured = next<Extract<SubscribersReport, { type: 'measured' }>>(subscribers, 'measured');
    subscribers.send({ type: 'measure', expected: publishes * scenario.subscribers, timeoutMs: (scenario.seconds + 30) * 1000 } satisfies SubscribersRequest);
    const published = await load({ kind: 'paced', url: ready.graphqlUrl, apiKey: ready.apiKey, operation: 'publish', rate: scenario.rate, seconds: scenario.seconds });
    const report = await measured;
    subscribers.disconnect();
    results.fanout.push({ ...report, subscribers: scenario.subscribers, rate: scenario.rate, publishErrors: published.errors });
    console.log(`${report.received}/${report.expected} delivered, p50 ${ms(report.p50)} ms, p99 ${ms(report.p99)} ms${published.errors ? `, ${published.errors} publish errors (${published.firstError})` : ''}`);
  }
}

function ensureSimulatorInstalled(): void {
  const folder = join(here, 'simulator');
  if (existsSync(join(folder, 'node_modules/@aws-amplify/amplify-appsync-simulator'))) return;
  console.log('installing the Amplify AppSync simulator into bench/simulator/ (once; about a minute)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', folder], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  ensureSimulatorInstalled();
  console.log('synthesizing the benchmark app');
  const assemblyDir = synthRequestPathApp(join(mkdtempSync(join(tmpdir(), 'bench-request-path-')), 'cdk.out'));
  console.log('starting the three servers: Pricestream local runtime, Amplify AppSync simulator, protocol-only floor');
  const runtime = forkChild('request-path/serve-runtime.ts', [assemblyDir], process.env, RUNTIME_NODE_FLAGS);
  const dynamodbReady = next<{ type: 'dynamodb'; endpoint: string; region: string; tableName: string }>(runtime, 'dynamodb');
  const runtimeReady = await next<ServerReady>(runtime, 'ready');
  const dynamodb = await dynamodbReady;
  const simulator = forkChild('simulator/serve.ts', [dynamodb.endpoint, dynamodb.region, dynamodb.tableName]);
  const floor = forkChild('request-path/serve-floor.ts');
  const getItem = { endpoint: dynamodb.endpoint, region: dynamodb.region, tableName: dynamodb.tableName, concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS };
  const servers = [
    // GetItem alone runs in the runtime's rounds, so that market(id) is compared with it at the same speed of the machine.
    serverUnderTest('runtime', runtimeReady, [
      { name: 'sdk', group: 'market', label: 'AWS SDK GetItem alone, same DynamoDB Local', request: { kind: 'sdk-getitem', ...getItem } },
      { name: 'wire', group: 'market', label: "the runtime's own DynamoDB client alone, same DynamoDB Local", request: { kind: 'wire-getitem', ...getItem } },
    ]),
    serverUnderTest('simulator', await next<ServerReady>(simulator, 'ready')),
    serverUnderTest('floor', await next<ServerReady>(floor, 'ready')),
  ];
  await measureRounds(servers);
  // Each server stops once its fan-out is measured: the simulator goes on delivering its backlog
  // long after (its 10k p99 is tens of seconds), which slowed whatever was measured beside it.
  // The runtime goes first and stops last: the simulator reads from its DynamoDB Local.
  const [runtimeUnderTest, simulatorUnderTest, floorUnderTest] = servers as [Server, Server, Server];
  await measureFanout(runtimeUnderTest);
  await measureFanout(floorUnderTest);
  floor.kill();
  await measureFanout(simulatorUnderTest);
  simulator.kill();
  runtime.disconnect();
  const all = Object.fromEntries(servers.map((server) => [server.name, server.results])) as Record<ServerName, ServerResults>;

  const out = join(here, 'results/request-path.md');
  writeFileSync(out, report(all, loadBefore));
  console.log(`\nwrote ${out}`);
}

const rps = (r: LoadResult | undefined) => (r ? Math.round(r.requests / r.seconds) : Number.NaN);
/** The item whose key is the median (the lower middle one of an even count). */
function medianBy<T>(items: T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)]!;
}
type Spread = { median: number; min: number; max: number };
const spreadOf = (values: number[]): Spread => ({ median: medianBy(values, (x) => x), min: Math.min(...values), max: Math.max(...values) });
/** `a`'s throughput against `b`'s, round by round. */
const ratioOf = (rounds: ServerResults['rounds'], a: Measured, b: Measured): Spread => spreadOf(rounds.map((r) => rps(r[a]) / rps(r[b])));
const showRatio = (r: Spread) => `${r.median.toFixed(2)}× (rounds ${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
/** NaN (no successful request) crosses IPC as null. */
const ms = (n: number | null) => (n !== null && Number.isFinite(n) ? n.toFixed(1) : '—');
const mark = (ok: boolean) => (ok ? 'met' : '**not met**');

function report(all: Record<ServerName, ServerResults>, loadBefore: number): string {
  const names: [ServerName, string][] = [
    ['runtime', "Pricestream's runtime (APPSYNC_JS)"],
    ['simulator', 'Amplify AppSync simulator 2.16 (VTL)'],
    ['floor', 'protocol-only floor (no GraphQL)'],
  ];
  const row = (name: ServerName, label: string) => {
    const { closed, fanout } = all[name];
    const cell = (op: Operation) => `${rps(closed[op])} / ${ms(closed[op]?.p50 ?? NaN)} / ${ms(closed[op]?.p99 ?? NaN)}`;
    const fan = fanout.map((f) => `${ms(f.p99)}${f.received < f.expected ? ` (${((100 * f.received) / f.expected).toFixed(0)}% delivered)` : ''}`);
    return `| ${label} | ${cell('ping')} | ${cell('market')} | ${cell('pipeline')} | ${cell('tick')} | ${cell('publish')} | ${fan.join(' | ')} |`;
  };
  const rt = all.runtime;
  const sim = all.simulator;
  const ping = rt.closed.ping!;
  const sdk = rt.closed.sdk!;
  const wire = rt.closed.wire!;
  const pipelineCost = spreadOf(rt.rounds.map((r) => r.pipeline!.p50 / r.ping!.p50));
  const getItemShare = ratioOf(rt.rounds, 'market', 'sdk');
  const publishVsTick = ratioOf(rt.rounds, 'publish', 'tick');
  const publishVsPing = ratioOf(rt.rounds, 'publish', 'ping');
  const againstSimulator = spreadOf(rt.rounds.map((r, i) => rps(r.ping) / rps(sim.rounds[i]!.ping)));
  const roundRows = rt.rounds.map((r, i) => `| ${i + 1} | ${([...QUERIES, 'sdk', 'wire'] as Measured[]).map((m) => rps(r[m])).join(' | ')} | ${rps(sim.rounds[i]!.ping)} | ${rps(all.floor.rounds[i]!.ping)} |`);
  const errors = names.flatMap(([name]) => Object.entries(all[name].closed).filter(([, r]) => r.errors > 0).map(([op, r]) => `- ${name} ${op}: ${r.errors} errors, first: \`${r.firstError}\``));
  return `# Request path: runtime vs. Amplify simulator vs. floor

${machineTable('npm run bench -- request-path', loadBefore)}

Each server in its own process, all three up at once. A round runs ${ROUND_ORDER.map((q) => `\`${q}\``).join(', ')}, each on the three
servers back to back in an order that rotates, so that servers are compared on runs seconds apart, not minutes (the
machine's speed drifts over minutes). The load generator and the subscribers run in processes of their own; loopback, API key. The load generator
keeps each request in flight on a keep-alive connection of its own through a lean HTTP client
(\`bench/request-path/raw-http.ts\`): node:http's client took about 90% of a core at 9,000 req/s,
CPU the server under test then lacked on two cores. The runtime runs with \`${RUNTIME_NODE_FLAGS.join(' ')}\`, as \`npm start\` runs it, on graphql 17.1 with
\`patches/graphql+17.1.0.patch\` (applied by \`npm ci\`: no DOMException per execution, and no AbortController unless a resolver asks; see the patch's test,
\`test/unit/appsync/graphql-abort-patch.test.ts\`). Queries: a closed loop of ${CONCURRENCY} requests in flight for
${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, every operation once in each of ${ROUNDS} rounds; a cell is the
round with the median throughput, and ratios, between servers too, are taken within a round (the
median, with the range over the rounds). Cells are **req/s / p50 ms / p99 ms**. Fan-out: publish → delivery
p99 (ms) for ${FANOUT.map((f) => `${f.subscribers.toLocaleString('en')} subscribers at ${f.rate} publishes/s`).join(' and ')}, 100 subscriptions per connection,
for ${FANOUT[0]!.seconds} s each.

| server | \`ping\` (NONE) | \`market(id)\` (GetItem) | \`pipeline\` (3 functions) | \`tick\` (query) | \`publishTick\` (mutation) | fan-out ${FANOUT.map((f) => `${f.subscribers / 1000}k`).join(' | fan-out ')} |
|---|---|---|---|---|---|---|---|
${names.map(([name, label]) => row(name, label)).join('\n')}

GetItem alone against the same DynamoDB Local, ${CONCURRENCY} in flight, no GraphQL:

| client | req/s | p50 ms | p99 ms |
|---|---|---|---|
| the AWS SDK v3 (\`GetItemCommand\`) | ${rps(sdk)} | ${ms(sdk.p50)} | ${ms(sdk.p99)} |
| the runtime's own data-source client (\`local/dynamodb/wire-client.ts\`) | ${rps(wire)} | ${ms(wire.p50)} | ${ms(wire.p99)} |

The runtime's \`market(id)\` resolver reaches ${showRatio(ratioOf(rt.rounds, 'market', 'wire'))} of its own client alone: what GraphQL, auth and the resolver cost on this path.

The runtime's rounds, req/s, with the other servers' \`ping\` of the same round (the machine's speed moves between rounds; a round took about three minutes):

| round | ${QUERIES.map((q) => `\`${q}\``).join(' | ')} | SDK GetItem | own client GetItem | simulator \`ping\` | floor \`ping\` |
|---|${QUERIES.map(() => '---|').join('')}---|---|---|---|
${roundRows.join('\n')}

## Against the targets of issue 11 (2-core machine)

| target | measured | |
|---|---|---|
| NONE JS query ≥ 10,000 req/s, p99 ≤ 10 ms at ${CONCURRENCY} in flight | ${rps(ping)} req/s, p99 ${ms(ping.p99)} ms | ${mark(rps(ping) >= 10_000 && ping.p99 <= 10)} |
| … and ≥ 4× the simulator (\`ping\`, within a round) | ${showRatio(againstSimulator)} | ${mark(againstSimulator.median >= 4)} |
| GetItem resolver ≥ 0.8× the SDK alone | ${showRatio(getItemShare)} | ${mark(getItemShare.median >= 0.8)} |
| 3-function pipeline ≤ 2× a unit resolver (p50) | ${showRatio(pipelineCost)} | ${mark(pipelineCost.median <= 2)} |
| publish mutations as fast as queries: \`publishTick\` against its query twin \`tick\` (same arguments, handler, selection) | ${showRatio(publishVsTick)} | ${mark(publishVsTick.median >= 0.9)} |
| … and against \`ping\`, which returns one scalar | ${showRatio(publishVsPing)} | ${mark(publishVsPing.median >= 0.9)} |
| fan-out 1k subscribers p99 ≤ 20 ms at 50 publishes/s | ${ms(rt.fanout[0]!.p99)} ms | ${mark(rt.fanout[0]!.p99 <= 20 && rt.fanout[0]!.received === rt.fanout[0]!.expected)} |
| fan-out 10k subscribers p99 ≤ 100 ms | ${ms(rt.fanout[1]!.p99)} ms | ${mark(rt.fanout[1]!.p99 <= 100 && rt.fanout[1]!.received === rt.fanout[1]!.expected)} |

\`publishTick\` against \`ping\` depends on the machine more than any other ratio here. On a
2-vCPU Intel Xeon VM (2026-12-04, before the changes below) it was 0.80×: CPU profiles
(\`--cpu-prof\`, \`perf record -g\`) showed \`publishTick\` spending about 4 µs more per request in
JavaScript (three variables to coerce, a three-field selection set, the object's JSON copies into
and out of the handler) and about 10 µs more in the one \`writev\` of its response, where loopback
delivery wakes the load generator; there every µs of JavaScript cost about 2.5 µs of throughput.
Since then plain data crosses into and out of handlers by a direct copy instead of a JSON round
trip (\`local/appsync/js/json.ts\`, 3–5× faster), handlers are called without entering their vm
context each time (\`local/appsync/js/sandbox/compiled-code.ts\`), and graphql makes an execution's
AbortController only when a resolver asks for its signal (\`patches/graphql+17.1.0.patch\`). Later
that day, answers carry a Content-Length instead of chunked framing (one write per answer; the
floor's answers too), and a document's operations and fragments are found once, not per request.
Then the answers finished in one turn of the event loop are written together at its end
(\`local/http/answer-batch.ts\`; the floor's too), which cut the share of the runtime's CPU spent in
the response write from 21–30% to about 10%. The query twin \`tick\` pays what \`publishTick\` pays: the cost is the operation's shape, not publishing.
${errors.length > 0 ? `\nErrors seen:\n${errors.join('\n')}\n` : ''}`;
}

await main();
