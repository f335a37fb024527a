import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { createDemoFeed } from '../../client/demo/demo-feed.ts';
import { runDemoFeed } from '../../client/demo/run-demo-feed.ts';
import { replayFeed } from '../../client/feed-replay.ts';
import { synthesize } from '../../local/assembly/synth.ts';
import { startLocalRuntime } from '../../local/runtime.ts';
import { ensureLocalTls } from '../../local/tls/local-ca.ts';
import { createAppSyncClient } from '../../sdk/appsync-client.ts';
import { buildWeb } from '../../web/build.ts';
import { startChaosProxy } from '../support/chaos-proxy.ts';
import { demoUsers, passwordOf } from '../support/pricestream.ts';
import { DESKTOP, launchChromium, PHONE, trustCaIn } from './chromium.ts';

/**
 * The README's screenshots: `npx node test/browser/take-screenshots.ts docs/screenshots`. Starts
 * the runtime in memory with the demo feed and the sample feed, opens the console in Chromium
 * (a home that trusts the CA) through the chaos proxy, and shoots the board at 1440 px with the
 * trader signed in and a chart open, and a phone live and after the link went silent.
 */
const outDir = resolve(process.argv[2] ?? 'docs/screenshots');
mkdirSync(outDir, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'pricestream-shots-'));
const tls = ensureLocalTls(join(dir, 'tls'));
const assemblyDir = await synthesize({ projectDir: process.cwd(), outDir: join(dir, 'cdk.out') });
await buildWeb(join(dir, 'web'));
const runtime = await startLocalRuntime({ assemblyDir, tlsDir: join(dir, 'tls'), stateDir: join(dir, 'state'), persistent: false, port: 0, users: demoUsers, webRoot: join(dir, 'web'), log: () => {} });
const api = runtime.apis[0]!;
const partner = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'))! } });
const feed = await runDemoFeed({ client: partner, feed: createDemoFeed('screenshots'), intervalMs: 1000, reportEveryMs: 3_600_000, log: () => {} });
await replayFeed({ client: partner, messages: JSON.parse(readFileSync('client/feeds/sample-feed.json', 'utf8')) as unknown[], ratePerSecond: 100 });
const proxy = await startChaosProxy({ targetPort: api.port });

async function open(options: typeof PHONE, profile: string): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await launchChromium(join(dir, profile), { ...options, serviceWorkers: 'block' });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.route(
    (url) => url.protocol === 'http:' && url.pathname === '/amplify_outputs.json',
    async (route) => {
      const response = await route.fetch();
      const outputs = (await response.json()) as { data: { url: string } };
      outputs.data.url = proxy.proxied(outputs.data.url);
      await route.fulfill({ response, json: outputs });
    },
  );
  await page.goto(`http://localhost:${proxy.port}/`);
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: 60_000 });
  return { page, close: () => context.close() };
}

try {
  trustCaIn(join(dir, 'desktop'), tls.caCertPath);
  trustCaIn(join(dir, 'phone'), tls.caCertPath);
  // Some price history first, so the charts have a shape.
  await new Promise((r) => setTimeout(r, 30_000));
  const desktop = await open(DESKTOP, 'desktop');
  await desktop.page.getByLabel('Username').fill('trader');
  await desktop.page.getByLabel('Password').fill(passwordOf('trader'));
  await desktop.page.getByRole('button', { name: 'Sign in' }).click();
  await desktop.page.locator('.session').waitFor();
  await desktop.page.locator('.market[data-market-id="mkt-demo-1-match-odds"] .spark-button').nth(1).click();
  await new Promise((r) => setTimeout(r, 3_000));
  await desktop.page.screenshot({ path: join(outDir, 'board-1440.png') });
  await desktop.close();

  const phone = await open(PHONE, 'phone');
  await new Promise((r) => setTimeout(r, 3_000));
  await phone.page.screenshot({ path: join(outDir, 'phone-live.png') });
  proxy.setMode({ kind: 'black-hole' });
  await phone.page.locator('.market[data-freshness="stale"]').first().waitFor({ timeout: 30_000 });
  await new Promise((r) => setTimeout(r, 1_000));
  await phone.page.screenshot({ path: join(outDir, 'phone-stale.png') });
  proxy.setMode({ kind: 'pass' });
  await phone.close();

  // A browser that does not trust the CA (a home where trust-ca never ran).
  const fresh = await launchChromium(join(dir, 'fresh'), DESKTOP);
  const untrusted = fresh.pages()[0] ?? (await fresh.newPage());
  await untrusted.goto(`http://localhost:${api.port}/`);
  await untrusted.locator('#link-help[data-problem="untrusted"]').waitFor({ timeout: 30_000 });
  await untrusted.locator('#link-help details').evaluate((details) => ((details as HTMLDetailsElement).open = true));
  await untrusted.screenshot({ path: join(outDir, 'first-run-untrusted.png') });
  await fresh.close();
  console.log(`screenshots in ${outDir}`);
} finally {
  await proxy.close();
  await feed.stop();
  partner.close();
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
}
