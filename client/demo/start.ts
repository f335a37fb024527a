import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { functionLogTo, onShutdown, parseRuntimeArgs, RUNTIME_USAGE, runtimeSummary, startLocalRuntime, trustStatus, type LocalRuntime, type SeedUser } from 'appsync-local-runtime';
import { buildWeb } from '../../web/build.ts';
import { createAppSyncClient } from '../../sdk/appsync-client.ts';
import { createDemoFeed, demoEvent } from './demo-feed.ts';
import { runDemoFeed, type DemoFeedRunner } from './run-demo-feed.ts';

/**
 * `npm start`: Pricestream on this machine — the CDK app synthesized and run by the local
 * runtime, demo users, the web console, and a demo partner feed that reprices markets every
 * second. With `--assembly <dir>` it runs that cloud assembly alone, without any demo.
 */
let parsed;
try {
  parsed = parseRuntimeArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (parsed.help) {
  console.log(`Starts Pricestream locally with a demo feed.\n\nUsage: npm start -- [options]\n\n${RUNTIME_USAGE}`);
  process.exit(0);
}

const started = Date.now();
const log = (line: string) => console.log(`[local] ${line}`);
const withDemo = parsed.options.assemblyDir === undefined;
const { users } = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8')) as { users: SeedUser[] };

let runtime: LocalRuntime | undefined;
let feed: DemoFeedRunner | undefined;
onShutdown(async () => {
  await feed?.stop();
  await runtime?.stop();
});

try {
  const stateDir = parsed.options.stateDir ?? '.local';
  const webRoot = withDemo ? await buildWebConsole(join(stateDir, 'web')) : undefined;
  const functionLogFile = join(stateDir, 'logs', 'functions.log');
  // Edits to the app are swapped in while it runs, unless --no-watch.
  const watch = parsed.options.watch ?? true;
  runtime = await startLocalRuntime({ ...parsed.options, watch, ...(withDemo && { users }), ...(webRoot && { webRoot }), log, functionLog: functionLogTo(functionLogFile, log) });
  if (withDemo) feed = await startDemoFeed(runtime);
  console.log(`\n${runtimeSummary(runtime)}`);
  console.log(`function logs    ${functionLogFile}   (errors and warnings are shown here too)\n`);
  if (withDemo) {
    const api = runtime.apis[0]!;
    console.log(`web console      http://localhost:${api.port}/   (live prices; sign in as trader to change margins and run jobs)`);
    // Live prices use wss://: a browser that does not trust the local CA cannot get them.
    const trusted = trustStatus(runtime.caCertPath);
    if (trusted.nss === false || trusted.system === false) console.log(`  browsers       the local CA is not trusted yet: npm run trust-ca${parsed.options.stateDir ? ` -- --state-dir ${parsed.options.stateDir}` : ''}   (system and browser stores; --uninstall undoes it)`);
    console.log(`demo             event ${demoEvent.id}, markets ${demoEvent.markets.map((m) => m.id).join(', ')}: a partner feed reprices them every second`);
    console.log(`  try            subscription { onPriceUpdate(eventId: "${demoEvent.id}") { marketId version selections { name price { decimal fractional } } } }`);
  }
  console.log(`\nready in ${((Date.now() - started) / 1000).toFixed(1)} s — Ctrl-C stops everything`);
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  await feed?.stop();
  await runtime?.stop();
  process.exit(1);
}

/** The demo feed comes from the partner role's local credentials, through `ingestFeed`. */
async function startDemoFeed(runtime: LocalRuntime): Promise<DemoFeedRunner> {
  const partner = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'));
  const api = runtime.apis[0];
  if (!partner || !api) throw new Error('the demo needs the PartnerFeedRole and an AppSync API in the assembly; run without --assembly, or start it with `npm run local`');
  const client = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: partner } });
  return runDemoFeed({ client, feed: createDemoFeed(`demo-${Date.now()}`), intervalMs: 1000, log: (line) => console.log(`[demo] ${line}`) });
}

async function buildWebConsole(outDir: string): Promise<string> {
  await buildWeb(outDir);
  return outDir;
}
