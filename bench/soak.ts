/**
 * Soak: does the runtime give its memory back after a storm of good and bad traffic?
 *
 * The runtime (this project's assembly, synthesized, with DynamoDB Local and cognito-local) runs
 * in a child process that can force a full GC before its RSS is read (a hook of this benchmark
 * only); the load comes from this process, over loopback only. After a warm-up, the runtime's RSS is
 * the baseline; then 100,000 mixed HTTP requests (valid queries, malformed bodies, oversize
 * bodies, auth failures, wrong methods, clients that hang up mid-body, bodies that stall) and
 * 10,000 WebSocket connections opened and dropped (some mid-handshake, some after subscribing);
 * then, once the runtime reports no connection left, a GC and its RSS again. It fails (exit 1)
 * unless that RSS is within 50 MB of the baseline, and unless every request that was not cut
 * off on purpose got an HTTP answer.
 *
 * Run: `npx node bench/soak.ts` (or `npm run bench -- soak`); a few minutes. Writes
 * bench/results/soak.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { signAppSyncRequest } from '../sdk/appsync-client.ts';
import { machineTable } from './report.ts';

const REQUESTS = 100_000;
const WARMUP_REQUESTS = 5_000;
const WARMUP_CONNECTIONS = 500;
const CONNECTIONS = 10_000;
const IN_FLIGHT = 32;
const CONNECTIONS_IN_FLIGHT = 50;
const STALLED_BODIES = 20;
const RSS_BUDGET_MB = 50;
/** The whole run gives up after this, whatever is left. */
const DEADLINE_MS = 15 * 60_000;

type ToChild = { type: 'measure'; gc: boolean } | { type: 'exit' };
type Memory = { rss: number; heapUsed: number; external: number; arrayBuffers: number };
type FromChild =
  | { type: 'ready'; graphqlUrl: string; port: number; apiKey: string; region: string; credentials: { name: string; accessKeyId: string; secretAccessKey: string }[]; memory: Memory }
  | { type: 'measured'; memory: Memory; peakRss: number; connections: number; subscriptions: number };

if (process.argv[2] === '--serve') await serve();
else await soak();

/** The child: the runtime, and a measuring hook for the parent (this benchmark only). */
async function serve(): Promise<void> {
  const { startLocalRuntime } = await import('../local/runtime.ts');
  const users = (JSON.parse(readFileSync(new URL('../client/demo/users.json', import.meta.url), 'utf8')) as { users: { username: string; password: string; groups?: string[] }[] }).users;
  const runtime = await startLocalRuntime({ stateDir: mkdtempSync(join(tmpdir(), 'bench-soak-')), persistent: false, users, log: () => {}, functionLog: () => {} });
  const api = runtime.apis[0]!;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250);
  const memory = (): Memory => {
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    return { rss, heapUsed, external, arrayBuffers };
  };
  process.on('message', async (message: ToChild) => {
    if (message.type === 'exit') {
      clearInterval(sampler);
      await runtime.stop();
      process.exit(0);
    }
    if (message.gc) {
      const gc = exposedGc();
      // Several passes with turns of the event loop between them, so that finalizers and weak references settle.
      for (let i = 0; i < 4; i++) {
        gc();
        await new Promise((resume) => setTimeout(resume, 250));
      }
    }
    const { connections, subscriptions } = api.realtime.stats();
    process.send!({ type: 'measured', memory: memory(), peakRss, connections, subscriptions } satisfies FromChild);
  });
  process.send!({
    type: 'ready',
    graphqlUrl: api.graphqlUrl,
    port: api.port,
    apiKey: api.model.apiKeys[0]!.value,
    region: runtime.region,
    credentials: runtime.credentials.map(({ name, accessKeyId, secretAccessKey }) => ({ name, accessKeyId, secretAccessKey })),
    memory: memory(),
  } satisfies FromChild);
}

/**
 * `gc()` without `--expose-gc` on the whole process: that flag would put a `gc` global into every
 * resolver sandbox context, which the sandbox refuses. The flag is on only while one throwaway
 * context is made to take the function from.
 */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/** The parent: the load, the measurements, the report. */
async function soak(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await nextMessage(child, 'ready');
  const { graphqlUrl, apiKey, region } = ready;
  const url = new URL(graphqlUrl);
  const target = { host: '127.0.0.1', port: Number(url.port), path: url.pathname };
  const publisher = ready.credentials.find((c) => c.name.startsWith('PricePublisherRole'))!;
  const measure = async (gc: boolean) => {
    child.send({ type: 'measure', gc } satisfies ToChild);
    return nextMessage(child, 'measured');
  };

  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const kinds = requestKinds({ apiKey, region, publisher, url });
  const tally = new Map<string, Map<string, number>>();
  const count = (kind: string, outcome: string) => {
    const byOutcome = tally.get(kind) ?? new Map<string, number>();
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
    tally.set(kind, byOutcome);
  };

  const runRequests = async (total: number, record: boolean) => {
    let next = 0;
    const worker = async () => {
      while (next < total && Date.now() - started < DEADLINE_MS) {
        const kind = kinds[next++ % kinds.length]!;
        const outcome = await kind.send(agent, target);
        if (record) count(kind.name, outcome);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  };

  const realtimeUrl = `ws://127.0.0.1:${url.port}/graphql/realtime`;
  const connectionKinds = connectionKindsFor({ realtimeUrl, host: url.host, apiKey, target });
  const runConnections = async (total: number, record: boolean) => {
    let opened = 0;
    const worker = async () => {
      while (opened < total && Date.now() - started < DEADLINE_MS) {
        const kind = connectionKinds[opened++ % connectionKinds.length]!;
        const outcome = await kind.run();
        if (record) count(kind.name, outcome);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS_IN_FLIGHT }, worker));
    return Math.min(opened, total);
  };

  console.log(`runtime ready (RSS ${mb(ready.memory.rss)} MB); warming up with ${WARMUP_REQUESTS} requests and ${WARMUP_CONNECTIONS} connections`);
  await runRequests(WARMUP_REQUESTS, false);
  await runConnections(WARMUP_CONNECTIONS, false);
  const baseline = await measure(true);
  console.log(`baseline after warm-up and GC: RSS ${mb(baseline.memory.rss)} MB, heap ${mb(baseline.memory.heapUsed)} MB`);

  const loadStarted = Date.now();
  const stalled = Array.from({ length: STALLED_BODIES }, () => stalledBody(target).then((outcome) => count('stalled body (slowloris)', outcome)));
  await runRequests(REQUESTS, true);
  await Promise.all(stalled);
  const requestSeconds = (Date.now() - loadStarted) / 1000;
  console.log(`${REQUESTS} requests in ${requestSeconds.toFixed(0)} s`);

  const wsStarted = Date.now();
  const opened = await runConnections(CONNECTIONS, true);
  const wsSeconds = (Date.now() - wsStarted) / 1000;
  console.log(`${opened} connections in ${wsSeconds.toFixed(0)} s`);
  agent.destroy();

  // Settle: the runtime notices every dropped socket, then GC.
  let settled = await measure(false);
  const settleDeadline = Date.now() + 60_000;
  while ((settled.connections > 0 || settled.subscriptions > 0) && Date.now() < settleDeadline) {
    await new Promise((resume) => setTimeout(resume, 500));
    settled = await measure(false);
  }
  const after = await measure(true);
  const growth = (after.memory.rss - baseline.memory.rss) / 2 ** 20;
  child.send({ type: 'exit' } satisfies ToChild);
  await new Promise((done) => child.once('exit', done));

  const unanswered = [...tally.entries()].flatMap(([kind, outcomes]) => [...outcomes.entries()].filter(([outcome]) => outcome.startsWith('error')).map(([outcome, n]) => ({ kind, outcome, n })));
  const expectedErrors = new Set(['client hangs up mid-body', 'WebSocket dropped mid-handshake (raw TCP)']);
  const unexpected = unanswered.filter((u) => !expectedErrors.has(u.kind));
  const passed = growth <= RSS_BUDGET_MB && unexpected.length === 0 && after.connections === 0;

  const rows = [...tally.entries()].map(([kind, outcomes]) => `| ${kind} | ${[...outcomes.values()].reduce((a, b) => a + b, 0)} | ${[...outcomes.entries()].map(([o, n]) => `${o}: ${n}`).join(', ')} |`);
  writeFileSync(
    new URL('./results/soak.md', import.meta.url),
    `# Soak: memory after a storm of good and bad traffic

${machineTable('npx node bench/soak.ts', loadBefore)}

The runtime of this project's assembly (with DynamoDB Local and cognito-local) in a child process
able to force a full GC (\`v8.setFlagsFromString('--expose-gc')\` for one throwaway context); the load from the parent, over loopback, ${IN_FLIGHT} HTTP requests in
flight on keep-alive connections and ${CONNECTIONS_IN_FLIGHT} WebSocket connections at a time. RSS is
the runtime process's own (its Lambda workers are threads of it; the JVM and cognito-local are
not counted), read after ${'`'}gc()${'`'} ×4.

## Result: ${passed ? 'passed' : 'FAILED'}

| | RSS MB | heap used MB |
|---|---|---|
| runtime started | ${mb(ready.memory.rss)} | ${mb(ready.memory.heapUsed)} |
| baseline: after ${WARMUP_REQUESTS} warm-up requests and ${WARMUP_CONNECTIONS} connections, GC | ${mb(baseline.memory.rss)} | ${mb(baseline.memory.heapUsed)} |
| peak during the run (sampled every 250 ms) | ${mb(after.peakRss)} | |
| after the run, no connection left, GC | ${mb(after.memory.rss)} | ${mb(after.memory.heapUsed)} |
| **growth over baseline** | **${growth.toFixed(1)}** (budget ${RSS_BUDGET_MB}) | ${((after.memory.heapUsed - baseline.memory.heapUsed) / 2 ** 20).toFixed(1)} |

${REQUESTS.toLocaleString('en')} HTTP requests in ${requestSeconds.toFixed(0)} s (plus ${STALLED_BODIES} stalled bodies alongside);
${opened.toLocaleString('en')} WebSocket connections in ${wsSeconds.toFixed(0)} s; ${((Date.now() - started) / 1000).toFixed(0)} s in all.
Connections the runtime still held after the run: ${after.connections}; subscriptions: ${after.subscriptions}.
Requests without an HTTP answer other than those cut off on purpose: ${unexpected.length === 0 ? 'none' : unexpected.map((u) => `${u.kind} ${u.outcome} ×${u.n}`).join('; ')}.

## What was sent, and what came back

| kind | count | outcomes |
|---|---|---|
${rows.join('\n')}
`,
  );
  console.log(`RSS ${mb(baseline.memory.rss)} → ${mb(after.memory.rss)} MB (growth ${growth.toFixed(1)} MB, peak ${mb(after.peakRss)} MB); ${passed ? 'passed' : 'FAILED'}; wrote bench/results/soak.md`);
  if (!passed) process.exit(1);
}

interface Target {
  host: string;
  port: number;
  path: string;
}

interface RequestKind {
  name: string;
  send(agent: Agent, target: Target): Promise<string>;
}

/** The mix, in the order it repeats: each entry is one request of that kind. */
function requestKinds(context: { apiKey: string; region: string; publisher: { accessKeyId: string; secretAccessKey: string }; url: URL }): RequestKind[] {
  const { apiKey, region, publisher, url } = context;
  const json = { 'content-type': 'application/json' };
  const body = (query: string) => JSON.stringify({ query, variables: {} });
  const oversize = JSON.stringify({ query: '{ __typename }', variables: { blob: 'x'.repeat(1024 * 1024 + 1) } });
  const fixed = (name: string, method: string, headers: Record<string, string>, payload: string): RequestKind => ({ name, send: (agent, target) => exchange(agent, target, method, headers, payload) });
  const forgedJwt = `${Buffer.from('{"alg":"RS256","kid":"CognitoLocal"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'nobody', exp: 4_000_000_000 })).toString('base64url')}.c2lnbmF0dXJl`;
  const kinds: [number, RequestKind][] = [
    [30, fixed('valid query, no data source', 'POST', { ...json, 'x-api-key': apiKey }, body('{ __typename }'))],
    [10, fixed('valid query, DynamoDB GetItem', 'POST', { ...json, 'x-api-key': apiKey }, body('{ market(id: "soak-none") { id } }'))],
    [8, fixed('malformed JSON', 'POST', { ...json, 'x-api-key': apiKey }, '{"query": "{ __typ')],
    [4, fixed('batch (JSON array)', 'POST', { ...json, 'x-api-key': apiKey }, `[${body('{ __typename }')}]`)],
    [8, fixed('GraphQL that does not validate', 'POST', { ...json, 'x-api-key': apiKey }, body('{ noSuchField { id } }'))],
    [4, fixed('GraphQL syntax error', 'POST', { ...json, 'x-api-key': apiKey }, body('{ market(id: '))],
    [8, fixed('wrong API key', 'POST', { ...json, 'x-api-key': 'da2-not-a-key' }, body('{ __typename }'))],
    [6, fixed('forged JWT', 'POST', { ...json, authorization: forgedJwt }, body('{ __typename }'))],
    [4, fixed('no credential', 'POST', json, body('{ __typename }'))],
    [4, fixed('GET with a query string', 'GET', { 'x-api-key': apiKey }, '')],
    [1, fixed('oversize body (1 MB + 1)', 'POST', { ...json, 'x-api-key': apiKey }, oversize)],
    [1, { name: 'client hangs up mid-body', send: (_agent, target) => hangUp(target) }],
    [
      6,
      {
        name: 'SigV4, wrong secret',
        send: async (agent, target) => {
          const payload = body('{ __typename }');
          const headers = await signAppSyncRequest({ url, region, credentials: { ...publisher, secretAccessKey: 'not-the-secret' }, headers: { host: url.host, ...json }, body: payload });
          return exchange(agent, target, 'POST', headers, payload);
        },
      },
    ],
    [
      0.5,
      {
        name: 'SigV4, valid (publisher role)',
        send: async (agent, target) => {
          const payload = body('{ market(id: "soak-none") { id } }');
          const headers = await signAppSyncRequest({ url, region, credentials: publisher, headers: { host: url.host, ...json }, body: payload });
          return exchange(agent, target, 'POST', headers, payload);
        },
      },
    ],
  ];
  // Each kind's share of a cycle of about 190 requests, spread through it.
  const cycle: RequestKind[] = [];
  for (const [share, kind] of kinds) for (let i = 0; i < share * 2; i++) cycle.push(kind);
  return interleave(cycle);
}

function interleave<T>(items: T[]): T[] {
  // A fixed stride through the list (coprime with its length) mixes the kinds without randomness.
  const stride = [7, 11, 13, 17, 19].find((s) => items.length % s !== 0)!;
  return items.map((_, i) => items[(i * stride) % items.length]!);
}

/** One request; the outcome is `HTTP <status>` or `error <code>`. */
function exchange(agent: Agent, target: Target, method: string, headers: Record<string, string>, body: string): Promise<string> {
  return new Promise((done) => {
    const path = method === 'GET' ? `${target.path}?query=${encodeURIComponent('{ __typename }')}` : target.path;
    const req = request({ host: target.host, port: target.port, path, method, agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => done(`HTTP ${res.statusCode}`));
      res.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code ?? error.message}`));
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('no answer in 30 s'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code ?? error.message}`));
    req.end(body);
  });
}

/** Announces a body, sends part of it and hangs up (no agent: the socket is thrown away). */
function hangUp(target: Target): Promise<string> {
  return new Promise((done) => {
    const req = request({ host: target.host, port: target.port, path: target.path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '5000' } });
    req.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code ?? error.message}`));
    req.on('close', () => done('error hung up (on purpose)'));
    req.write('{"query": "{ __typ', () => req.destroy());
  });
}

/** Sends half a body and waits: the runtime must answer 408 and close. */
function stalledBody(target: Target): Promise<string> {
  return new Promise((done) => {
    const req = request({ host: target.host, port: target.port, path: target.path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '100' } }, (res) => {
      res.resume();
      res.on('end', () => done(`HTTP ${res.statusCode}`));
    });
    req.setTimeout(60_000, () => req.destroy(Object.assign(new Error('no answer in 60 s'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code ?? error.message}`));
    req.write('{"query": "{ __ty');
  });
}

interface ConnectionKind {
  name: string;
  run(): Promise<string>;
}

function connectionKindsFor(context: { realtimeUrl: string; host: string; apiKey: string; target: Target }): ConnectionKind[] {
  const { realtimeUrl, host, apiKey, target } = context;
  const header = (key: string) => `header-${Buffer.from(JSON.stringify({ host, 'x-api-key': key })).toString('base64url')}`;
  const subscribed: ConnectionKind = {
    name: 'WebSocket subscribed, then dropped',
    run: () =>
      realtime(realtimeUrl, header(apiKey), (socket, frame) => {
        if (frame.type === 'connection_ack') {
          const data = JSON.stringify({ query: 'subscription { onPriceUpdate(marketId: "soak") { marketId } }', variables: {} });
          socket.send(JSON.stringify({ id: 's1', type: 'start', payload: { data, extensions: { authorization: { host, 'x-api-key': apiKey } } } }));
          return undefined;
        }
        return frame.type === 'start_ack' || frame.type === 'error' ? `dropped after ${frame.type}` : undefined;
      }),
  };
  const acked: ConnectionKind = { name: 'WebSocket acknowledged, then dropped', run: () => realtime(realtimeUrl, header(apiKey), (_socket, frame) => (frame.type === 'connection_ack' ? 'dropped after connection_ack' : undefined)) };
  const refused: ConnectionKind = {
    name: 'WebSocket with a wrong API key',
    run: () => realtime(realtimeUrl, header('da2-not-a-key'), (_socket, frame) => (frame.type === 'connection_error' ? 'connection_error' : frame.type === 'connection_ack' ? 'ACCEPTED (wrong)' : undefined)),
  };
  const openOnly: ConnectionKind = { name: 'WebSocket opened, dropped before connection_init', run: () => realtime(realtimeUrl, header(apiKey), () => 'dropped after open', false) };
  const midHandshake: ConnectionKind = { name: 'WebSocket dropped mid-handshake (raw TCP)', run: () => halfUpgrade(target) };
  return interleave([subscribed, subscribed, subscribed, subscribed, acked, acked, refused, openOnly, openOnly, midHandshake]);
}

/** Opens a real-time connection and drops it (terminate, no close frame) once `until` returns an outcome. */
function realtime(url: string, header: string, until: (socket: WebSocket, frame: { type: string }) => string | undefined, init = true): Promise<string> {
  return new Promise((done) => {
    const socket = new WebSocket(url, ['graphql-ws', header]);
    const timer = setTimeout(() => finish('error no answer in 30 s'), 30_000);
    const finish = (outcome: string) => {
      clearTimeout(timer);
      socket.terminate();
      done(outcome);
    };
    socket.on('open', () => {
      if (!init) return finish(until(socket, { type: 'open' }) ?? 'dropped after open');
      socket.send(JSON.stringify({ type: 'connection_init' }));
    });
    socket.on('message', (data) => {
      const outcome = until(socket, JSON.parse(String(data)) as { type: string });
      if (outcome) finish(outcome);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(`error ${error.code ?? error.message}`));
  });
}

/** Starts a WebSocket upgrade request and hangs up halfway through its headers. */
function halfUpgrade(target: Target): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code ?? error.message}`));
    socket.on('connect', () => {
      socket.write(`GET ${target.path}/realtime HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Ve`, () => {
        socket.destroy();
        done('error hung up (on purpose)');
      });
    });
  });
}

function nextMessage<T extends FromChild['type']>(child: ChildProcess, type: T): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((done, fail) => {
    const onMessage = (message: FromChild) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      done(message as Extract<FromChild, { type: T }>);
    };
    const onExit = (code: number | null) => fail(new Error(`the runtime process exited (${code}) while waiting for '${type}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
