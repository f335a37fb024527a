import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed } from 'vitest';
import type { AppSyncClient } from '../../sdk/appsync-client.ts';
import { demoEvent } from '../../client/demo/demo-feed.ts';
import { DEFAULT_LIMITS } from '../../sdk/live-markets/index.ts';
import { startChaosProxy, type ChaosMode, type ChaosProxy } from '../support/chaos-proxy.ts';
import { chaosWorld, worldReader } from '../support/chaos-world.ts';
import { seeded } from '../support/pricestream.ts';
import { launchChromium, PHONE, trustCaIn } from './chromium.ts';

/**
 * The world of the phone tests (phone-chaos-*.test.ts, two files so that they run side by side):
 * the console on a phone (Chromium emulating a 390×844 touch screen), served by the runtime of
 * the shared world (test/support/chaos-world.ts) while its demo feed reprices every market every
 * second, with the chaos proxy between the page and the runtime: Chromium's
 * offline switch does not cut an open WebSocket, the proxy does. After each disturbance the page
 * must show the server's state within 2 s of the network returning, and throughout no price may
 * be shown as live once a newer one has been published for longer than the heartbeat bound.
 *
 * The page is sampled every 100 ms from inside (each card's data-price-version and
 * data-freshness, and the header's state); the server's truth is its price history (every
 * published version and when).
 */

/** The library's heartbeat bound: silence for longer means the link is dead. */
export const HEARTBEAT_BOUND_MS = DEFAULT_LIMITS.deadAfterMs;
/** Rendering runs on a 250 ms tick; a sample every 100 ms; the rest is the machine's load. */
export const STALE_TOLERANCE_MS = 1_000;
const RECOVERY_BOUND_MS = 2_000;
/** How often the test reads the server's newest publications while a disturbance runs. */
const SERVER_READ_EVERY_MS = 250;

interface Sample {
  t: number;
  link: string;
  cards: { id: string; version: number; freshness: string }[];
}

let dir: string;
let context: BrowserContext | undefined;
export let page: Page;
export let proxy: ChaosProxy | undefined;
let reader: AppSyncClient | undefined;
const startedAt = new Date().toISOString();
const pageLog: string[] = [];
const recoveries: Record<string, number> = {};

/**
 * Registers the file's part of the world: a chaos proxy in front of the shared runtime, and a
 * phone's Chromium on the console through it, live before the first test. `seed` fixes the
 * proxy's and the tests' random choices.
 */
export function usePhoneWorld(seed: number): { random: () => number } {
  const random = seeded(seed);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pricestream-phone-'));
    const home = join(dir, 'home');
    trustCaIn(home, join(process.env.PRICESTREAM_TEST_TLS_DIR!, 'ca.pem'));
    context = await launchChromium(home, { ...PHONE, serviceWorkers: 'block' });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => pageLog.push(`[console.${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => pageLog.push(`[pageerror] ${error.stack ?? error.message}`));

    const world = chaosWorld();
    reader = worldReader(world);

    // The page, its GraphQL requests and its WebSocket all go through the proxy: the outputs it
    // reads name the proxy's port (same host, so the certificate still matches).
    proxy = await startChaosProxy({ targetPort: world.port, random });
    await page.route(
      (url) => url.protocol === 'http:' && url.pathname === '/amplify_outputs.json',
      async (route) => {
        const response = await route.fetch();
        const outputs = (await response.json()) as { data: { url: string } };
        outputs.data.url = proxy!.proxied(outputs.data.url);
        await route.fulfill({ response, json: outputs });
      }
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
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    console.log(`phone chaos: time from the network returning to the page showing the server's state (ms): ${JSON.stringify(recoveries)}`);
    await context?.close();
    await proxy?.close();
    reader?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { random };
}

export function logOnFailure(name: string): void {
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
      const page: { priceHistory: { items: { version: number; publishedAt: string }[]; nextToken: string | null } } = await reader!.request(
        'query ($marketId: ID!, $since: AWSDateTime, $nextToken: String) { priceHistory(marketId: $marketId, since: $since, limit: 1000, nextToken: $nextToken) { items { version publishedAt } nextToken } }',
        { marketId: market.id, since: startedAt, nextToken }
      );
      list.push(...page.priceHistory.items.map((item) => ({ version: item.version, at: Date.parse(item.publishedAt) })));
      nextToken = page.priceHistory.nextToken;
    } while (nextToken);
    all.set(
      market.id,
      list.sort((a, b) => a.version - b.version)
    );
  }
  return all;
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
        // A failed read is on record for a failure message; the next one counts.
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

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a disturbance, returns the network to normal, waits for the page to settle, and checks
 * both rules over the whole window. Returns the samples of the disturbance.
 */
export async function disturb(name: string, run: () => Promise<void>): Promise<Sample[]> {
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

export async function hold(mode: ChaosMode, ms: number): Promise<void> {
  proxy!.setMode(mode);
  await pause(ms);
}
