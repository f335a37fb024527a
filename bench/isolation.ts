/**
 * One heavy caller never stalls the rest: `npm run bench -- isolation`
 *
 * The request-path benchmark's API on Pricestream's runtime (its own process). One client sends
 * a query with 1,000 aliased `market(id)` GetItem fields back to back; meanwhile another client
 * sends a `ping` query 20 times a second and a WebSocket holds a real-time connection whose
 * keep-alive interval is set to 1 s. Measured: the pings' p50/p99 alone and beside the heavy
 * caller, and how late keep-alives came. Results go to bench/results/isolation.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { machineTable } from './report.ts';
import { synthRequestPathApp } from './request-path/app.ts';
import { forkChild, load, next, RUNTIME_NODE_FLAGS } from './request-path/children.ts';
import type { LoadResult, ServerReady } from './request-path/protocol.ts';

const KEEP_ALIVE_MS = 1000;
const PING_RATE = 20;
const SECONDS = 15;

/** Arrival times of `ka` frames on one real-time connection. */
function watchKeepAlives(server: ServerReady): { socket: WebSocket; arrivals: number[] } {
  const header = Buffer.from(JSON.stringify({ host: new URL(server.graphqlUrl).host, 'x-api-key': server.apiKey })).toString('base64');
  const socket = new WebSocket(`${server.realtimeUrl}?header=${encodeURIComponent(header)}&payload=e30=`, ['graphql-ws']);
  const arrivals: number[] = [];
  socket.on('open', () => socket.send('{"type":"connection_init"}'));
  socket.on('message', (raw) => {
    if (String(raw).includes('"type":"ka"')) arrivals.push(performance.now());
  });
  return { socket, arrivals };
}

const lateness = (arrivals: number[], from: number, to: number) => {
  const inWindow = arrivals.filter((t) => t >= from && t <= to);
  const gaps = inWindow.slice(1).map((t, i) => t - inWindow[i]! - KEEP_ALIVE_MS);
  return { count: inWindow.length, maxLateMs: gaps.length > 0 ? Math.max(...gaps) : Number.NaN };
};

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const assemblyDir = synthRequestPathApp(join(mkdtempSync(join(tmpdir(), 'bench-isolation-')), 'cdk.out'));
  const runtime = forkChild('request-path/serve-runtime.ts', [assemblyDir], { ...process.env, BENCH_KEEPALIVE_MS: String(KEEP_ALIVE_MS) }, RUNTIME_NODE_FLAGS);
  const server = await next<ServerReady>(runtime, 'ready');
  const { socket, arrivals } = watchKeepAlives(server);
  const pings = () => load({ kind: 'paced', url: server.graphqlUrl, apiKey: server.apiKey, operation: 'ping', rate: PING_RATE, seconds: SECONDS });

  console.log(`pings alone: ${PING_RATE}/s for ${SECONDS} s`);
  let from = performance.now();
  const alone = await pings();
  const kaAlone = lateness(arrivals, from, performance.now());

  console.log(`pings beside a client sending 1,000-field queries back to back, for ${SECONDS} s`);
  from = performance.now();
  const [beside, heavy] = await Promise.all([
    pings(),
    load({ kind: 'closed', url: server.graphqlUrl, apiKey: server.apiKey, operation: 'heavy', concurrency: 1, seconds: SECONDS, warmupSeconds: 1 }),
  ]);
  const kaBeside = lateness(arrivals, from, performance.now());
  socket.terminate();
  runtime.disconnect();

  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
  const row = (label: string, r: LoadResult, ka: ReturnType<typeof lateness>) =>
    `| ${label} | ${r.requests} | ${r.errors} | ${ms(r.p50)} | ${ms(r.p99)} | ${ka.count} | ${ms(ka.maxLateMs)} |`;
  const report = `# Isolation: one heavy caller beside the rest

${machineTable('npm run bench -- isolation', loadBefore)}

Pricestream's runtime serving the request-path benchmark's API (bench/request-path/), in a
process of its own. A second client sends \`{ ping }\` ${PING_RATE} times a second for ${SECONDS} s, first alone,
then while a third sends a query of 1,000 aliased \`market(id)\` DynamoDB GetItem fields back to
back (${heavy.requests} of them, p50 ${ms(heavy.p50)} ms each${heavy.errors ? `, ${heavy.errors} failed: ${heavy.firstError}` : ''}). A real-time connection's keep-alive interval is
set to ${KEEP_ALIVE_MS} ms; "late" is how much longer than that the longest gap between two \`ka\` frames was.

| pings | answered | errors | p50 ms | p99 ms | keep-alives seen | latest keep-alive, ms late |
|---|---|---|---|---|---|---|
${row('alone', alone, kaAlone)}
${row('beside the heavy caller', beside, kaBeside)}

Target (issue 11): p99 ≤ 50 ms beside the heavy caller, and keep-alives on time: ${beside.p99 <= 50 ? 'met' : '**not met**'}.
A request runs at most 16 of its resolvers at once, each queued one in a macrotask of its own
(local/appsync/graphql/request-gate.ts), so other clients' work interleaves with it.
`;
  writeFileSync(new URL('./results/isolation.md', import.meta.url), report);
  console.log(report);
}

await main();
