import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppSyncClient, type AppSyncClient } from '../../sdk/appsync-client.ts';
import { createDemoFeed, demoEvent } from '../../client/demo/demo-feed.ts';
import { runDemoFeed, type DemoFeedRunner } from '../../client/demo/run-demo-feed.ts';
import { buildWeb } from '../../web/build.ts';
import { startTestRuntime } from '../integration/test-runtime.ts';
import { launchChromium, trustCaIn } from './chromium.ts';

/**
 * A person's first run in a real browser, certificate errors never ignored: Chromium on Linux
 * trusts the authorities in $HOME/.pki/nssdb, so each profile runs with its own HOME. One home
 * got the runtime's CA from `npm run trust-ca` (its NSS step, HOME pointed there); the other is
 * fresh, as on a machine where nobody ran it.
 */

let dir: string;
let runtime: Awaited<ReturnType<typeof startTestRuntime>> | undefined;
let partner: AppSyncClient | undefined;
let feed: DemoFeedRunner | undefined;
const contexts: BrowserContext[] = [];
const caPath = join(process.env.PRICESTREAM_TEST_TLS_DIR ?? '', 'ca.pem');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pricestream-tls-'));
  const webRoot = join(dir, 'web');
  await buildWeb(webRoot);
  runtime = await startTestRuntime({ webRoot });
  const api = runtime.apis[0]!;
  const key = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'))!;
  partner = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: key } });
  feed = await runDemoFeed({ client: partner, feed: createDemoFeed('tls-test'), intervalMs: 1000, reportEveryMs: 3_600_000, log: () => {} });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await feed?.stop();
  partner?.close();
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(home: string): Promise<Page> {
  const context = await launchChromium(home);
  contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://localhost:${runtime!.apis[0]!.port}/`);
  return page;
}

describe('the first run in a real browser', () => {
  it('npm run trust-ca imports the CA into a fresh NSS store, says so, and a second run changes nothing', () => {
    const home = join(dir, 'trusted');
    const first = trustCaIn(home, caPath);
    expect(first).toMatch(new RegExp(`added +Chrome/Chromium NSS store: ${join(home, '.pki', 'nssdb')}`));
    expect(existsSync(join(home, '.pki', 'nssdb', 'cert9.db'))).toBe(true);
    const again = trustCaIn(home, caPath);
    expect(again).toMatch(/already +Chrome\/Chromium NSS store/);
    expect(again).not.toMatch(/\badded\b/);
  });

  it('a profile whose home trusts the CA gets live prices over wss://', async () => {
    const page = await open(join(dir, 'trusted'));
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    const card = page.locator(`.market[data-market-id="${demoEvent.markets[0]!.id}"]`);
    const first = Number(await card.getAttribute('data-price-version'));
    // Prices move through the subscription, and the page never offered the certificate help.
    await expect.poll(async () => Number(await card.getAttribute('data-price-version')), { timeout: 20_000 }).toBeGreaterThan(first);
    expect(await page.locator('#link-help').isHidden()).toBe(true);
    expect(await card.getAttribute('data-freshness')).toBe('live');
  });

  it('a fresh profile is told that the certificate is not trusted, with the command and the manual import', async () => {
    const page = await open(join(dir, 'fresh'));
    const help = page.locator('#link-help[data-problem="untrusted"]');
    await help.waitFor({ timeout: 30_000 });
    expect(await page.locator('#connection').textContent()).toBe('Certificate not trusted');
    expect(await help.locator('code.command').textContent()).toBe('npm run trust-ca');
    const text = await help.textContent();
    expect(text).toContain('.local/tls/ca.pem');
    // This browser's own import path first.
    expect(await help.locator('dt').first().textContent()).toBe('Chrome, Chromium, Edge');
    expect(text).toContain('Manage certificates');
    // The board is not frozen: without wss:// the page reads the prices over http:// every second.
    const card = page.locator(`.market[data-market-id="${demoEvent.markets[0]!.id}"]`);
    await card.waitFor({ timeout: 20_000 });
    const first = Number(await card.getAttribute('data-price-version'));
    await expect.poll(async () => Number(await card.getAttribute('data-price-version')), { timeout: 20_000 }).toBeGreaterThan(first);
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('untrusted');
  });
});
