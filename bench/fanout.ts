/**
 * Subscription fan-out benchmark: `npx node bench/fanout.ts`
 *
 * The realtime server runs in this process (plain ws:// on loopback, with an API-key engine
 * standing in for the runtime's); the subscribers run in a child process, so they do not share
 * the server's event loop. For 1,000 subscribers on 10 connections and 10,000 subscribers on
 * 100 connections (100 subscriptions per connection, the AppSync limit), it measures:
 *
 * - publish-to-delivery latency: each publication carries the server's clock at `publish()`; the
 *   client subtracts it from its clock when the frame arrives (both are
 *   `performance.timeOrigin + performance.now()`, the same wall clock at sub-millisecond resolution);
 * - paced: one publication every `intervalMs`, so each fan-out completes before the next;
 * - burst: publications back to back (yielding to the event loop between them) but at most
 *   BURST_WINDOW ahead of what the subscribers have read, for sustained deliveries/s;
 * - the server's own time inside `publish()` (match, render, write to every socket).
 *
 * Subscribers use 2 selection sets × 2 filters (an argument and none), all matching, so each
 * publication is matched for 4 groups and rendered twice. Each scenario runs RUNS times, all
 * recorded. Results go to bench/results/fanout.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { machineTable } from './report.ts';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { buildAppSyncSchema } from '../local/appsync/graphql/appsync-schema.ts';
import { createRealtimeServer, type RealtimeEngine, type RealtimeServer } from '../local/appsync/realtime/index.ts';

const SDL = /* GraphQL */ `
  type SelectionPrice { id: ID!, decimal: Float!, fractional: String! }
  type Tick { market: ID!, seq: Int!, sentAt: Float!, status: String, selections: [SelectionPrice!]! }
  type Query { ping: Int }
  type Mutation { publishTick(market: ID!): Tick }
  type Subscription { onTick(market: ID): Tick @aws_subscribe(mutations: ["publishTick"]) }
`;
const QUERIES = [
  'subscription { onTick(market: "m1") { market seq sentAt selections { id decimal } } }',
  'subscription { onTick { market seq sentAt selections { id decimal } } }',
  'subscription { onTick(market: "m1") { __typename market seq sentAt status selections { id decimal fractional } } }',
  'subscription { onTick { __typename market seq sentAt status selections { id decimal fractional } } }',
];
const API_KEY = 'da2-bench';
const SUBSCRIPTIONS_PER_CONNECTION = 100;
/** Publications the burst may run ahead of the subscribers, so that it measures sustained delivery rather than back-pressure drops. */
const BURST_WINDOW = 8;
/** Runs of each scenario: the machine is shared, so one run can mislead. */
const RUNS = 3;

const SCENARIOS = [
  { subscribers: 1_000, connections: 10, paced: 200, intervalMs: 20, burst: 500 },
  { subscribers: 10_000, connections: 100, paced: 100, intervalMs: 100, burst: 100 },
];

const now = () => performance.timeOrigin + performance.now();

type PhaseReport = { received: number; expected: number; p50: number; p99: number; max: number; mean: number; lastAt: number };
type ToParent = { type: 'ready' } | { type: 'progress'; received: number } | ({ type: 'phase-done' } & PhaseReport);
type ToChild = { type: 'connect'; url: string; connections: number } | { type: 'phase'; expected: number; progressEvery: number; timeoutMs: number } | { type: 'exit' };

// ---------------------------------------------------------------- subscriber process

function runClients(): void {
  const sockets: WebSocket[] = [];
  let latencies = new Float64Array(0);
  let received = 0;
  let expected = 0;
  let progressEvery = 0;
  let lastAt = 0;
  let phaseTimer: NodeJS.Timeout | undefined;
  const send = (message: ToParent) => process.send!(message);

  const finishPhase = () => {
    clearTimeout(phaseTimer);
    const sorted = latencies.slice(0, received).sort();
    const pick = (q: number) => (received === 0 ? NaN : sorted[Math.min(received - 1, Math.floor(q * received))]!);
    const mean = received === 0 ? NaN : sorted.reduce((a, b) => a + b, 0) / received;
    send({ type: 'phase-done', received, expected, p50: pick(0.5), p99: pick(0.99), max: pick(1), mean, lastAt });
    expected = 0;
  };

  // The publication's timestamp, read without parsing the whole frame: the subscriber process
  // would otherwise be the bottleneck of the 2-core machine rather than the server.
  const SENT_AT = '"sentAt":';
  const onData = (text: string) => {
    if (expected === 0) return;
    const at = now();
    const start = text.indexOf(SENT_AT) + SENT_AT.length;
    latencies[received++] = at - Number.parseFloat(text.slice(start, start + 24));
    lastAt = at;
    if (received === expected) finishPhase();
    else if (received % progressEvery === 0) send({ type: 'progress', received });
  };

  async function connect(url: string, connections: number): Promise<void> {
    const header = Buffer.from(JSON.stringify({ host: 'localhost', 'x-api-key': API_KEY })).toString('base64url');
    await Promise.all(
      Array.from({ length: connections }, async (_, c) => {
        const socket = new WebSocket(url, ['graphql-ws', `header-${header}`], { perMessageDeflate: false });
        sockets.push(socket);
        await new Promise<void>((open, fail) => socket.once('open', () => open()).once('error', fail));
        let acks = 0;
        const ready = new Promise<void>((done, fail) => {
          socket.on('message', (data) => {
            const text = String(data);
            if (text.startsWith('{"type":"data"')) return onData(text);
            const frame = JSON.parse(text) as { type: string };
            if (frame.type === 'connection_ack') {
              for (let s = 0; s < SUBSCRIPTIONS_PER_CONNECTION; s++) {
                const data = JSON.stringify({ query: QUERIES[(c * SUBSCRIPTIONS_PER_CONNECTION + s) % QUERIES.length], variables: {} });
                socket.send(JSON.stringify({ id: `c${c}-s${s}`, type: 'start', payload: { data, extensions: { authorization: { host: 'localhost', 'x-api-key': API_KEY } } } }));
              }
            } else if (frame.type === 'start_ack' && ++acks === SUBSCRIPTIONS_PER_CONNECTION) done();
            else if (frame.type === 'error' || frame.type === 'connection_error') fail(new Error(`connection ${c}: ${text}`));
          });
        });
        socket.send(JSON.stringify({ type: 'connection_init' }));
        await ready;
      }),
    );
  }

  process.on('message', (message: ToChild) => {
    if (message.type === 'connect') {
      connect(message.url, message.connections).then(
        () => send({ type: 'ready' }),
        (error: Error) => {
          console.error(error);
          process.exit(1);
        },
      );
    } else if (message.type === 'phase') {
      latencies = new Float64Array(message.expected);
      received = 0;
      expected = message.expected;
      progressEvery = message.progressEvery;
      phaseTimer = setTimeout(finishPhase, message.timeoutMs);
    } else {
      for (const socket of sockets) socket.terminate();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------- server process

const engine: RealtimeEngine = {
  authenticate: (headers) =>
    headers['x-api-key'] === API_KEY ? { ok: true, caller: { authType: 'API_KEY', identity: null } } : { ok: false, errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' },
  startSubscription: async () => ({ ok: true }),
};

let seq = 0;
function tick(): Record<string, unknown> {
  return {
    market: 'm1',
    seq: ++seq,
    sentAt: now(),
    status: 'OPEN',
    selections: [
      { id: 'home', decimal: 2.1, fractional: '11/10' },
      { id: 'draw', decimal: 3.4, fractional: '12/5' },
      { id: 'away', decimal: 3.75, fractional: '11/4' },
    ],
  };
}

function waitFor<T extends ToParent['type']>(child: ChildProcess, type: T): Promise<Extract<ToParent, { type: T }>> {
  return new Promise((resolve) => {
    const listener = (message: ToParent) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message as Extract<ToParent, { type: T }>);
    };
    child.on('message', listener);
  });
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function runScenario(scenario: (typeof SCENARIOS)[number]) {
  const realtime: RealtimeServer = createRealtimeServer({ schema: buildAppSyncSchema(SDL, 'bench'), engine, graphqlPath: '/graphql' });
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => realtime.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as { port: number }).port;

  const child = fork(fileURLToPath(import.meta.url), ['--clients'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = waitFor(child, 'ready');
  child.send({ type: 'connect', url: `ws://127.0.0.1:${port}/graphql/realtime`, connections: scenario.connections } satisfies ToChild);
  await ready;
  const stats = realtime.stats();
  if (stats.subscriptions !== scenario.subscribers) throw new Error(`expected ${scenario.subscribers} subscriptions, have ${stats.subscriptions}`);

  const publishTimes: number[] = [];
  let progressed = 0;
  let progressWaiter: (() => void) | undefined;
  child.on('message', (message: ToParent) => {
    if (message.type !== 'progress') return;
    progressed = message.received;
    progressWaiter?.();
  });
  /** Publishes, pacing with `pace`, and never more than `window` publications ahead of the subscribers. */
  async function phase(publications: number, pace: () => Promise<void>, window = Infinity) {
    const expected = publications * scenario.subscribers;
    progressed = 0;
    const done = waitFor(child, 'phase-done');
    child.send({ type: 'phase', expected, progressEvery: scenario.subscribers, timeoutMs: 120_000 } satisfies ToChild);
    await sleep(50); // the phase message reaches the child before the first frame
    const startedAt = now();
    for (let i = 0; i < publications; i++) {
      while (i - Math.floor(progressed / scenario.subscribers) >= window) await new Promise<void>((r) => (progressWaiter = r));
      const before = performance.now();
      realtime.publish('publishTick', tick());
      publishTimes.push(performance.now() - before);
      await pace();
    }
    const report = await done;
    return { ...report, startedAt, seconds: (report.lastAt - startedAt) / 1000 };
  }

  await phase(20, () => sleep(scenario.intervalMs)); // warm-up
  publishTimes.length = 0;
  const paced = await phase(scenario.paced, () => sleep(scenario.intervalMs));
  const pacedPublish = [...publishTimes].sort((a, b) => a - b);
  publishTimes.length = 0;
  const burst = await phase(scenario.burst, yieldToEventLoop, BURST_WINDOW);
  const burstPublish = [...publishTimes].sort((a, b) => a - b);
  const after = realtime.stats();

  child.send({ type: 'exit' } satisfies ToChild);
  await new Promise((r) => child.once('exit', r));
  await realtime.close();
  await new Promise<void>((r) => http.close(() => r()));
  const median = (values: number[]) => values[Math.floor(values.length / 2)]!;
  return { scenario, groups: stats.groups, paced, burst, pacedPublishMs: median(pacedPublish), burstPublishMs: median(burstPublish), droppedFrames: after.droppedFrames };
}

async function main() {
  const loadBefore = loadavg()[0]!;
  const results = [];
  for (const scenario of SCENARIOS) {
    for (let run = 1; run <= RUNS; run++) {
      console.log(`${scenario.subscribers} subscribers on ${scenario.connections} connections, run ${run}/${RUNS}...`);
      const result = await runScenario(scenario);
      console.log(JSON.stringify(result, null, 2));
      results.push({ ...result, run });
    }
  }

  const ms = (v: number) => v.toFixed(2);
  const rate = (r: { received: number; seconds: number }) => Math.round(r.received / r.seconds).toLocaleString('en-US');
  const lost = (r: { received: number; expected: number }) => r.expected - r.received;
  const rows = results.map(
    (r) =>
      `| ${r.scenario.subscribers.toLocaleString('en-US')} | ${r.scenario.connections} | ${r.run} | ${r.groups} | ` +
      `${r.scenario.paced} @ ${r.scenario.intervalMs} ms | ${ms(r.paced.p50)} | ${ms(r.paced.p99)} | ${ms(r.paced.max)} | ${ms(r.pacedPublishMs)} | ` +
      `${r.scenario.burst} | ${ms(r.burst.p50)} | ${ms(r.burst.p99)} | ${rate(r.burst)} | ${ms(r.burstPublishMs)} | ${lost(r.paced) + lost(r.burst)} | ${r.droppedFrames} |`,
  );
  const report = `# Subscription fan-out benchmark

${machineTable('npx node bench/fanout.ts', loadBefore)}
| transport | ws:// on 127.0.0.1, no compression; server and subscribers in separate processes |

Each subscription is one of 2 selection sets × 2 filters (\`market: "m1"\` or none), all of which match,
so a publication is matched for 4 groups, rendered twice, and written once per subscriber. Latency
is from the \`publish()\` call to the subscriber process reading the frame, over every delivery.
*publish()* is the median time the server spends inside one \`publish()\` call (match, render and
write the frame to every socket).

| subscribers | connections | run | groups | paced publications | p50 ms | p99 ms | max ms | publish() ms | burst publications | burst p50 ms | burst p99 ms | burst deliveries/s | burst publish() ms | lost | dropped (back-pressure) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Paced: one publication every *interval*, so each fan-out completes before the next and the
latency is that of one publication reaching all subscribers. Burst: publications back to back,
yielding to the event loop between them, but never more than ${BURST_WINDOW} publications ahead of
what the subscriber process has read (an unbounded burst outruns the subscriber process, and the
server's back-pressure then drops frames by design); deliveries/s is all deliveries over the time
from the first \`publish()\` to the last frame read, and the burst latencies include queueing behind
earlier publications. The machine's 2 cores are shared by the server process and the subscriber
process, which reads each frame's timestamp with \`indexOf\` rather than parsing the JSON.
`;
  writeFileSync(new URL('./results/fanout.md', import.meta.url), report);
  console.log(report);
}

if (process.argv.includes('--clients')) runClients();
else await main();
