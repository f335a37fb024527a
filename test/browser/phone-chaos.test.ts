import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createAppSyncClient, type AppSyncClient } from '../../sdk/appsync-client.ts';
import { createDemoFeed, demoEvent } from '../../client/demo/demo-feed.ts';
import { runDemoFeed, type DemoFeedRunner } from '../../client/demo/run-demo-feed.ts';
import { DEFAULT_LIMITS } from '../../sdk/live-markets/index.ts';
import { buildWeb } from '../../web/build.ts';
import { startChaosProxy, type ChaosMode, type ChaosProxy } from '../support/chaos-proxy.ts';
import { startTestRuntime } from '../integration/test-runtime.ts';
import { launchChromium, PHONE, trustCaIn } from './chromium.ts';

/**
 * The console on a phone (Chromium emulating a 390×844 touch screen) while the demo feed reprices
 * every market every second, with the chaos proxy between the page and the runtime: Chromium's
 * offline switch does not cut an open WebSocket, the proxy does. After each disturbance the page
 * must show the server's state within 2 s of the network returning, and throughout no price may
 * be shown as live once a newer one has been published for longer than the heartbeat bound.
 *
 * The page is sampled every 100 ms from inside (each card's data-price-version and
 * data-freshness, and the header's state); the server's truth is its price history (every
 * published version and when).
 */

const SEED = 20261203;
/** The library's heartbeat bound: silence for longer means the link is dead. */
const HEARTBEAT_BOUND_MS = DEFAULT_LIMITS.deadAfterMs;
/** Rendering runs on a 250 ms tick; a sample every 100 ms; the rest is the machine's load. */
const STALE_TOLERANCE_MS = 1_000;
const RECOVERY_BOUND_MS = 2_000;
/** How often the test reads the server's newest publications while a disturbance runs. */
const SERVER_READ_EVERY_MS = 250;

interface Sample {
  t: number;
  link: string;
  cards: { id: string; version: number; freshness: string }[];
}

let dir: string;
let runtime: Awaited<ReturnType<typeof startTestRuntime>> | undefined;
let context: BrowserContext | undefined;
let page: Page;
let proxy: ChaosProxy | undefined;
let partner: AppSyncClient | undefined;
let reader: AppSyncClient | undefined;
let feedRunner: DemoFeedRunner | undefined;
const startedAt = new Date().toISOString();
const pageLog: string[] = [];
const recoveries: Record<string, number> = {};

/** mulberry32: a small seeded generator, so a run's flaps and resets repeat. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(SEED);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pricestream-phone-'));
  const home = join(dir, 'home');
  trustCaIn(home, join(process.env.PRICESTREAM_TEST_TLS_DIR!, 'ca.pem'));
  context = await launchChromium(home, { ...PHONE, serviceWorkers: 'block' });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => pageLog.push(`[console.${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => pageLog.push(`[pageerror] ${error.stack ?? error.message}`));

  const webRoot = join(dir, 'web');
  await buildWeb(webRoot);
  runtime = await startTestRuntime({ webRoot });
  const api = runtime.apis[0]!;
  const partnerKey = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'))!;
  partner = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: partnerKey } });
  reader = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'API_KEY', apiKey: api.model.apiKeys[0]!.value } });
  feedRunner = await runDemoFeed({ client: partner, feed: createDemoFeed('phone-test'), intervalMs: 1000, reportEveryMs: 3_600_000, log: (line) => pageLog.push(`[feed] ${line}`) });

  // The page, its GraphQL requests and its WebSocket all go through the proxy: the outputs it
  // reads name the proxy's port (same host, so the certificate still matches).
  proxy = await startChaosProxy({ targetPort: api.port, random });
  await page.route(
    (url) => url.protocol === 'http:' && url.pathname === '/amplify_outputs.json',
    async (route) => {
      const response = await route.fetch();
      const outputs = (await response.json()) as { data: { url: string } };
      outputs.data.url = proxy!.proxied(outputs.data.url);
      await route.fulfill({ response, json: outputs });
    },
  );
  await page.addInitScript(() => {
    const samples: unknown[] = [];
    (window as unknown as { boardSamples: unknown[] }).boardSamples = samples;
    setInterval(() => {
      samples.push({
        t: Date.now(),
        link: document.getElementById('connection')?.dataset.state ?? '',
        cards: Array.from(document.querySelectorAll<HTMLElement>('.market'), (card) => ({
          id: card.dataset.marketId,
          version: Number(card.dataset.priceVersion) || Number(card.dataset.version),
          freshness: card.dataset.freshness,
        })),
      });
    }, 100);
  });
  await page.goto(`http://localhost:${proxy.port}/`);
});

afterAll(async () => {
  console.log(`phone chaos: time from the network returning to the page showing the server's state (ms): ${JSON.stringify(recoveries)}`);
  await feedRunner?.stop();
  await context?.close();
  await proxy?.close();
  partner?.close();
  reader?.close();
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function logOnFailure(name: string): void {
  onTestFailed(async () => {
    const path = join(tmpdir(), `pricestream-phone-${name}-${Date.now()}.png`);
    await page.screenshot({ path }).catch(() => {});
    console.error(`phone test "${name}" failed; screenshot ${path}\n--- page log (last 40 lines) ---\n${pageLog.slice(-40).join('\n')}`);
  });
}

/** Every published version of each demo market since the test began, with when it was published. */
async function publications(): Promise<Map<string, { version: number; at: number }[]>> {
  const all = new Map<string, { version: number; at: number }[]>();
  for (const market of demoEvent.markets) {
    const list: { version: number; at: number }[] = [];
    let nextToken: string | null = null;
    do {
      const page: { priceHistory: { items: { version: number; publishedAt: string }[]; nextToken: string | null } } = await retried(() => reader!.request(
        'query ($marketId: ID!, $since: AWSDateTime, $nextToken: String) { priceHistory(marketId: $marketId, since: $since, limit: 1000, nextToken: $nextToken) { items { version publishedAt } nextToken } }',
        { marketId: market.id, since: startedAt, nextToken },
      ));
      list.push(...page.priceHistory.items.map((item) => ({ version: item.version, at: Date.parse(item.publishedAt) })));
      nextToken = page.priceHistory.nextToken;
    } while (nextToken);
    all.set(market.id, list.sort((a, b) => a.version - b.version));
  }
  return all;
}

/** The test's reader goes straight to the runtime; a kept-alive socket the server closed fails one attempt. */
async function retried<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function samplesSince(since: number): Promise<Sample[]> {
  const samples = (await page.evaluate(() => (window as unknown as { boardSamples: Sample[] }).boardSamples)) as Sample[];
  return samples.filter((s) => s.t >= since);
}

/**
 * The samples in which a market showed as live a price that the server had replaced more than
 * the heartbeat bound before (plus the tick's tolerance).
 */
function staleShownAsLive(samples: Sample[], published: Map<string, { version: number; at: number }[]>): string[] {
  const wrong: string[] = [];
  for (const sample of samples) {
    for (const card of sample.cards) {
      if (card.freshness === 'stale') continue;
      const next = published.get(card.id)?.find((p) => p.version > card.version);
      if (next && sample.t - next.at > HEARTBEAT_BOUND_MS + STALE_TOLERANCE_MS) {
        wrong.push(`${new Date(sample.t).toISOString()} ${card.id} v${card.version} shown ${card.freshness}; v${next.version} was published ${sample.t - next.at} ms before`);
      }
    }
  }
  return wrong;
}

/** What a read of the server answered: each demo market's newest published version, and when the answer came. */
interface ServerRead {
  at: number;
  versions: Map<string, number>;
}

const NEWEST_PUBLISHED = `query ($since: AWSDateTime) { ${demoEvent.markets
  .map((market, i) => `m${i}: priceHistory(marketId: "${market.id}", since: $since, limit: 1000) { items { version } }`)
  .join(' ')} }`;

/** Reads the server's newest publications every SERVER_READ_EVERY_MS until stopped. */
function readServerContinuously(): { stop(): Promise<ServerRead[]> } {
  const reads: ServerRead[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const data = await reader!.request<Record<string, { items: { version: number }[] }>>(NEWEST_PUBLISHED, { since: new Date(Date.now() - 30_000).toISOString() });
        const versions = new Map(demoEvent.markets.map((market, i) => [market.id, Math.max(0, ...data[`m${i}`]!.items.map((item) => item.version))]));
        reads.push({ at: Date.now(), versions });
      } catch (error) {
        // The test's own reader (straight to the runtime) may meet a kept-alive socket the server
        // just closed; that read is skipped, the next one counts.
        pageLog.push(`[test] server read failed: ${(error as Error).message}`);
      }
      await pause(SERVER_READ_EVERY_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return reads;
    },
  };
}

/**
 * When, after `from`, the page first showed for every demo market (not stale) at least the
 * version that the last server read answered before that moment: the server's state.
 */
function caughtUpAt(samples: Sample[], reads: ServerRead[], from: number): number | undefined {
  for (const sample of samples) {
    if (sample.t < from) continue;
    const server = reads.filter((r) => r.at <= sample.t).at(-1);
    if (!server || server.at < from) continue;
    const all = demoEvent.markets.every((market) => {
      const card = sample.cards.find((c) => c.id === market.id);
      return card !== undefined && card.freshness !== 'stale' && card.version >= server.versions.get(market.id)!;
    });
    if (all) return sample.t;
  }
  return undefined;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a disturbance, returns the network to normal, waits for the page to settle, and checks
 * both rules over the whole window. Returns the samples of the disturbance.
 */
async function disturb(name: string, run: () => Promise<void>): Promise<Sample[]> {
  const began = Date.now();
  await run();
  const server = readServerContinuously();
  proxy!.setMode({ kind: 'pass' });
  const returned = Date.now();
  // Enough for a recovery to show, and for publications after it to be in the history.
  await pause(RECOVERY_BOUND_MS + 2_000);
  const reads = await server.stop();
  const samples = await samplesSince(began);
  const published = await publications();
  expect(staleShownAsLive(samples, published)).toEqual([]);
  const at = caughtUpAt(samples, reads, returned);
  expect(at, `${name}: the page never showed the server's state after the network returned`).toBeDefined();
  recoveries[name] = at! - returned;
  expect(at! - returned, `${name}: the server's state showed ${at! - returned} ms after the network returned`).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
  return samples;
}

async function hold(mode: ChaosMode, ms: number): Promise<void> {
  proxy!.setMode(mode);
  await pause(ms);
}

describe('the console on a phone (390×844, touch)', () => {
  it('lays the board out for the screen: no sideways scroll, the status badge whole, IMPLIED visible', async () => {
    logOnFailure('layout');
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    const layout = await page.evaluate(() => {
      const badge = document.querySelector<HTMLElement>('.market .badge')!;
      const implied = document.querySelector<HTMLElement>('.market td.implied')!;
      const rect = implied.getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        badgeWhole: badge.scrollWidth <= badge.clientWidth && badge.getBoundingClientRect().right <= window.innerWidth,
        badge: badge.textContent,
        impliedOnScreen: rect.width > 0 && rect.left >= 0 && rect.right <= window.innerWidth,
        headerState: document.getElementById('connection')!.getBoundingClientRect().right <= window.innerWidth,
      };
    });
    expect(layout).toEqual({ scrollWidth: 390, badgeWhole: true, badge: 'OPEN', impliedOnScreen: true, headerState: true });
  });

  it('gives the trader panel thumb-sized controls (at least 44 px) behind the Trade tab', async () => {
    logOnFailure('trader-panel');
    await page.getByRole('button', { name: 'Trade' }).tap();
    await page.getByLabel('Username').fill('trader');
    await page.getByLabel('Password').fill('Trader-pass-1');
    await page.getByRole('button', { name: 'Sign in' }).tap();
    await page.locator('.session[data-username="trader"]').waitFor({ timeout: 20_000 });
    const small = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('button, input:not([type="checkbox"]), select'))
        .filter((control) => control.offsetParent !== null)
        .map((control) => ({ control: `${control.tagName.toLowerCase()} ${control.textContent?.trim() || (control as HTMLInputElement).name}`, height: control.getBoundingClientRect().height }))
        .filter(({ height }) => height < 44),
    );
    expect(small).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    await page.getByRole('button', { name: 'Prices' }).tap();
  });

  it('offline for 20 s: stale shown in time, the server\'s state within 2 s of the network returning', async () => {
    logOnFailure('offline');
    const samples = await disturb('offline 20 s', () => hold({ kind: 'offline' }, 20_000));
    expect(samples.some((s) => s.cards.every((c) => c.freshness === 'stale'))).toBe(true);
  }, 120_000);

  it('flapping every 2–5 s for 60 s', async () => {
    logOnFailure('flaps');
    await disturb('flaps 60 s', async () => {
      const end = Date.now() + 60_000;
      let down = false;
      while (Date.now() < end) {
        down = !down;
        proxy!.setMode(down ? { kind: 'offline' } : { kind: 'pass' });
        await pause(Math.min(2_000 + random() * 3_000, Math.max(0, end - Date.now())));
      }
    });
  }, 180_000);

  it('a slow link (400 ms each way, 400 kbit/s) for 20 s', async () => {
    logOnFailure('slow');
    await disturb('slow link 20 s', () => hold({ kind: 'slow', latencyMs: 400, bitsPerSecond: 400_000 }, 20_000));
  }, 120_000);

  it('sockets reset at random for 20 s', async () => {
    logOnFailure('resets');
    await disturb('random resets 20 s', () => hold({ kind: 'random-resets', minMs: 1_000, maxMs: 5_000 }, 20_000));
  }, 120_000);

  it('a black hole for 20 s is detected within the heartbeat bound', async () => {
    logOnFailure('black-hole');
    let cut = 0;
    const samples = await disturb('black hole 20 s', async () => {
      cut = Date.now();
      await hold({ kind: 'black-hole' }, 20_000);
    });
    // Nothing arrives after the cut: by the bound (and the tick) the header no longer says live.
    const detected = samples.find((s) => s.t > cut && s.link !== 'live');
    expect(detected).toBeDefined();
    expect(detected!.t - cut).toBeLessThanOrEqual(HEARTBEAT_BOUND_MS + STALE_TOLERANCE_MS);
    expect(samples.some((s) => s.t > cut && s.cards.every((c) => c.freshness === 'stale'))).toBe(true);
  }, 120_000);
});
