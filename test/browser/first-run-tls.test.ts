import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSyncClient } from '../../sdk/appsync-client.ts';
import { roleClient } from '../support/pricestream.ts';
import { createDemoFeed, demoEvent } from '../../client/demo/demo-feed.ts';
import { runDemoFeed, type DemoFeedRunner } from '../../client/demo/run-demo-feed.ts';
import { buildWeb } from '../../web/build.ts';
import { startChaosProxy, type ChaosProxy } from '../support/chaos-proxy.ts';
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
let proxy: ChaosProxy | undefined;
const contexts: BrowserContext[] = [];
const caPath = join(process.env.PRICESTREAM_TEST_TLS_DIR ?? '', 'ca.pem');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pricestream-tls-'));
  const webRoot = join(dir, 'web');
  await buildWeb(webRoot);
  runtime = await startTestRuntime({ webRoot });
  partner = roleClient(runtime, 'PartnerFeedRole');
  feed = await runDemoFeed({ client: partner, feed: createDemoFeed('tls-test'), intervalMs: 1000, reportEveryMs: 3_600_000, log: () => {} });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await proxy?.close();
  await feed?.stop();
  partner?.close();
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(home: string, port = runtime!.apis[0]!.port): Promise<Page> {
  const context = await launchChromium(home);
  contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://localhost:${port}/`);
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
    // No price on the page claims to be live.
    expect(await page.locator('.market[data-freshness="live"]').count()).toBe(0);
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('untrusted');
  });

  it('installs as an app: the service worker caches the app shell only, and the shell opens without the network', async () => {
    // The page comes through a proxy that can take the network away (its GraphQL goes to the runtime).
    proxy = await startChaosProxy({ targetPort: runtime!.apis[0]!.port });
    trustCaIn(join(dir, 'installed'), caPath);
    const page = await open(join(dir, 'installed'), proxy.port);
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!;
      const response = await fetch(link.href);
      return { type: response.headers.get('content-type'), body: (await response.json()) as { icons: { src: string }[] } };
    });
    expect(manifest.type).toBe('application/manifest+json');
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return { names, urls: urls.sort(), controlled: navigator.serviceWorker.controller !== null };
    });
    expect(cached.names).toEqual([expect.stringMatching(/^pricestream-shell-[0-9a-f-]{36}$/)]);
    expect(cached.urls).toEqual(['/', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-maskable-512.png', '/index.html', '/main.js', '/manifest.webmanifest', '/styles.css']);
    // Prices never come from a cache: no GraphQL, outputs or real-time address was stored.
    expect(cached.urls.some((url) => url.includes('graphql') || url.includes('amplify_outputs'))).toBe(false);

    proxy.setMode({ kind: 'offline' });
    await page.reload();
    await page.locator('#link-help[data-problem="unreachable"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('h1').textContent()).toBe('Pricestream');
    expect(await page.locator('#connection').textContent()).toBe('Server unreachable');
    proxy.setMode({ kind: 'pass' });
  });
});
