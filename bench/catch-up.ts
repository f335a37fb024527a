/**
 * Catch-up time of the live market state (sdk/live-markets) after network drops of several
 * lengths, on real parts: the local runtime with the demo feed publishing each market every
 * second, aws-amplify v6 in this process over wss:// through the chaos proxy
 * (test/support/chaos-proxy.ts). A drop is `offline` (connections reset, new ones refused) or a
 * `black-hole` (nothing moves, nothing closes). Catch-up time: from the network's return to the
 * library saying live again — connection and every market — which it says only once it has
 * resubscribed, read the snapshot and applied what it missed from priceHistory.
 *
 * Run: `npm run bench -- catch-up` (or `npx node bench/catch-up.ts`) — writes bench/results/catch-up.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Amplify } from 'aws-amplify';
import { createDemoFeed, demoEvent } from '../client/demo/demo-feed.ts';
import { runDemoFeed } from '../client/demo/run-demo-feed.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { ensureLocalTls } from '../local/tls/local-ca.ts';
import { createAppSyncClient } from '../sdk/appsync-client.ts';
import { liveMarkets, type LiveMarketsChange } from '../sdk/live-markets/index.ts';
import { startChaosProxy, type ChaosMode } from '../test/support/chaos-proxy.ts';
import { machineTable, quantile } from './report.ts';

const DROPS: { mode: ChaosMode['kind']; seconds: number; times: number }[] = [
  { mode: 'offline', seconds: 1, times: 6 },
  { mode: 'offline', seconds: 5, times: 4 },
  { mode: 'offline', seconds: 15, times: 2 },
  { mode: 'black-hole', seconds: 10, times: 2 },
];
const SETTLE_MS = 2_000;

// Amplify opens wss:// with Node's trust store, which reads NODE_EXTRA_CA_CERTS at start only:
// make the local CA first, then run again with it trusted.
if (!process.env.CATCH_UP_BENCH_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-catch-up-'));
  const tls = ensureLocalTls(join(dir, 'tls'));
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, CATCH_UP_BENCH_DIR: dir, NODE_EXTRA_CA_CERTS: tls.caCertPath } });
  process.exit(run.status ?? 1);
}

const loadBefore = loadavg()[0]!;
const dir = process.env.CATCH_UP_BENCH_DIR;
const runtime = await startLocalRuntime({ stateDir: join(dir, 'state'), tlsDir: join(dir, 'tls'), persistent: false, port: 0, log: () => {}, functionLog: () => {} });
const api = runtime.apis[0]!;
const partnerKey = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'))!;
const partner = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: partnerKey } });
const feed = await runDemoFeed({ client: partner, feed: createDemoFeed(`bench-catch-up-${Date.now()}`), intervalMs: 1_000, reportEveryMs: 3_600_000, log: () => {} });

const proxy = await startChaosProxy({ targetPort: api.port });
const outputs = JSON.parse(readFileSync(runtime.outputsPath, 'utf8'));
outputs.data.url = proxy.proxied(outputs.data.url);
Amplify.configure(outputs);
const live = liveMarkets({ authMode: 'apiKey' });
const changes: { at: number; change: LiveMarketsChange }[] = [];
live.subscribe((change) => changes.push({ at: performance.now(), change }));

const allLive = () => live.connection().kind === 'live' && demoEvent.markets.every((m) => live.market(m.id)?.liveness.kind === 'live');
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`catch-up bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await until('the first live state', allLive, 60_000);
await sleep(SETTLE_MS);

interface Result {
  label: string;
  catchUps: number[];
  caughtUpVersions: number[];
}
const results: Result[] = [];
for (const drop of DROPS) {
  const result: Result = { label: `${drop.mode} ${drop.seconds} s`, catchUps: [], caughtUpVersions: [] };
  for (let i = 0; i < drop.times; i++) {
    proxy.setMode({ kind: drop.mode } as ChaosMode);
    await sleep(drop.seconds * 1_000);
    const back = performance.now();
    proxy.setMode({ kind: 'pass' });
    // Every drop is noticed before the network returns (a reset at once, a black hole within 8 s), so live again means after `back`.
    await until('the state to be live again', () => allLive() && changes.some(({ at, change }) => at >= back && change.type === 'connection' && change.status.kind === 'live'), 30_000);
    const liveAt = changes.filter(({ at, change }) => at >= back && change.type === 'connection' && change.status.kind === 'live').at(-1)?.at ?? back;
    result.catchUps.push(liveAt - back);
    result.caughtUpVersions.push(changes.filter(({ at, change }) => at >= back && change.type === 'applied' && change.via === 'catch-up').length);
    console.log(`${result.label} #${i + 1}: live again ${(liveAt - back).toFixed(0)} ms after the network returned`);
    await sleep(SETTLE_MS);
  }
  results.push(result);
}
const skipped = changes.filter(({ change }) => change.type === 'applied' && change.skipped).length;

await live.stop();
await proxy.close();
await feed.stop();
partner.close();
await runtime.stop();

const ms = (v: number) => `${v.toFixed(0)} ms`;
const rows = results.map((r) => {
  const sorted = [...r.catchUps].sort((a, b) => a - b);
  const versions = [...r.caughtUpVersions].sort((a, b) => a - b);
  return `| ${r.label} | ${r.catchUps.length} | ${ms(quantile(sorted, 0.5))} | ${ms(quantile(sorted, 0.99))} | ${ms(sorted.at(-1)!)} | ${quantile(versions, 0.5)} |`;
});
const all = results.flatMap((r) => r.catchUps).sort((a, b) => a - b);
const report = `# Live market state: catch-up after network drops

${machineTable('npm run bench -- catch-up', loadBefore)}

The demo feed publishes each of 3 markets every second. aws-amplify v6 in Node talks to the local
runtime through a TCP proxy that drops the network: \`offline\` resets every connection and
refuses new ones; \`black-hole\` forwards nothing and closes nothing (noticed by the missing
heartbeats within the 8 s bound). Catch-up time: from the network's return to the library
saying live again for the connection and every market — resubscribed, snapshot read, missed
publications applied from priceHistory. The library probes the API every 500 ms while it
cannot reach it, so a return is noticed within about half a second.

| drop | drops | catch-up p50 | p99 | max | versions caught up per drop (p50, all markets) |
|---|---|---|---|---|---|
${rows.join('\n')}
| all | ${all.length} | ${ms(quantile(all, 0.5))} | ${ms(quantile(all, 0.99))} | ${ms(all.at(-1)!)} | |

Versions reported skipped (history could not bridge a gap): ${skipped}.
`;
writeFileSync(new URL('./results/catch-up.md', import.meta.url), report);
console.log(report);
