import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createAppSyncClient, type AppSyncClient } from '../../sdk/appsync-client.ts';
import { createDemoFeed, demoEvent, type DemoFeed } from '../../client/demo/demo-feed.ts';
import { runDemoFeed, type DemoFeedRunner } from '../../client/demo/run-demo-feed.ts';
import { INGEST_FEED } from '../../client/operations/documents.ts';
import { replayFeed } from '../../client/feed-replay.ts';
import { buildWeb } from '../../web/build.ts';
import { eventually, startTestRuntime } from '../integration/test-runtime.ts';
import { launchChromium, trustCaIn } from './chromium.ts';
import { routeRealtime, type RealtimeSwitch } from './realtime-switch.ts';

/**
 * The web console in Debian's Chromium against the local runtime: the runtime serves the built
 * page (webRoot) and /amplify_outputs.json on the API's port, the demo partner feed reprices the
 * demo event through ingestFeed every second, and the page is driven as a user would. The tests
 * are steps of one session on one page and run in order.
 */

const { users } = JSON.parse(readFileSync(new URL('../../client/demo/users.json', import.meta.url), 'utf8')) as {
  users: { username: string; password: string; groups: string[] }[];
};
const trader = users.find((u) => u.username === 'trader')!;
const viewer = users.find((u) => u.username === 'viewer')!;
const market = demoEvent.markets[0]!;
const startedAt = new Date().toISOString();

let dir: string;
let runtime: Awaited<ReturnType<typeof startTestRuntime>> | undefined;
let context: BrowserContext | undefined;
let page: Page;
let realtime: RealtimeSwitch;
let partner: AppSyncClient;
let reader: AppSyncClient;
let dynamo: DynamoDBClient;
let feed: DemoFeed;
let feedRunner: DemoFeedRunner | undefined;
let failed = false;
const pageLog: string[] = [];

/** On failure: a screenshot into the test's temp folder (kept), and what the page logged. */
function screenshotOnFailure(name: string): void {
  onTestFailed(async () => {
    failed = true;
    const path = join(dir, `${name}.png`);
    await page.screenshot({ path, fullPage: true }).catch((error: Error) => pageLog.push(`screenshot failed: ${error.message}`));
    console.error(
      `web console test "${name}" failed; screenshot ${path}\n--- page and feed log (last 40 lines) ---\n${pageLog.slice(-40).join('\n')}` +
        `\n--- runtime log, functions included (last 60 lines) ---\n${(runtime?.logs ?? []).slice(-60).join('\n')}`,
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pricestream-browser-'));
  // The browser first: without Chromium the test fails at once, saying how to install it. Its
  // home trusts the runtime's CA as `npm run trust-ca` leaves it: certificate errors count.
  const home = join(dir, 'home');
  trustCaIn(home, join(process.env.PRICESTREAM_TEST_TLS_DIR!, 'ca.pem'));
  context = await launchChromium(home);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => pageLog.push(`[console.${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => pageLog.push(`[pageerror] ${error.stack ?? error.message}`));
  const webRoot = join(dir, 'web');
  await buildWeb(webRoot);
  runtime = await startTestRuntime({ users, webRoot });
  const api = runtime.apis[0]!;
  const partnerKey = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'));
  if (!partnerKey) throw new Error(`no local credential for PartnerFeedRole; have ${runtime.credentials.map((c) => c.name).join(', ')}`);
  partner = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: partnerKey } });
  reader = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'API_KEY', apiKey: api.model.apiKeys[0]!.value } });
  dynamo = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  feed = createDemoFeed('browser-test');
  feedRunner = await runDemoFeed({ client: partner, feed, intervalMs: 1000, reportEveryMs: 3_600_000, log: (line) => pageLog.push(`[feed] ${line}`) });

  realtime = await routeRealtime(page, /\/graphql\/realtime/);
  await page.goto(`http://localhost:${api.port}/`);
});

afterAll(async () => {
  await feedRunner?.stop();
  await context?.close();
  partner?.close();
  reader?.close();
  dynamo?.destroy();
  await runtime?.stop();
  if (!failed) rmSync(dir, { recursive: true, force: true });
});

/** The highest version in the market's price history since the test started. */
async function publishedVersion(marketId: string): Promise<number> {
  let version = 0;
  let nextToken: string | null = null;
  do {
    const page: { priceHistory: { items: { version: number }[]; nextToken: string | null } } = await reader.request(
      'query ($marketId: ID!, $since: AWSDateTime, $nextToken: String) { priceHistory(marketId: $marketId, since: $since, limit: 1000, nextToken: $nextToken) { items { version } nextToken } }',
      { marketId, since: startedAt, nextToken },
    );
    for (const item of page.priceHistory.items) version = Math.max(version, item.version);
    nextToken = page.priceHistory.nextToken;
  } while (nextToken);
  return version;
}

/** A job's status as JobsTable holds it: what the server knows, whatever reached the page. */
async function storedJobStatus(jobId: string): Promise<string | undefined> {
  const table = runtime!.model.tables.find((t) => t.logicalId.startsWith('JobsTable'));
  if (!table) throw new Error(`the assembly has no JobsTable; tables: ${runtime!.model.tables.map((t) => t.logicalId).join(', ')}`);
  const { Item } = await dynamo.send(new GetItemCommand({ TableName: table.tableName, Key: { id: { S: jobId } }, ConsistentRead: true }));
  return Item?.status?.S;
}

async function priceVersionShown(card: Locator): Promise<number> {
  return Number(await card.getAttribute('data-price-version'));
}

function cardOf(marketId: string): Locator {
  return page.locator(`.market[data-market-id="${marketId}"]`);
}

describe('the web price board and trader console in Chromium', () => {
  it('shows the demo markets with prices in three forms, and prices move live', async () => {
    screenshotOnFailure('board');
    for (const demoMarket of demoEvent.markets) {
      const card = cardOf(demoMarket.id);
      await card.waitFor({ timeout: 20_000 });
      expect(await card.locator('h4').textContent()).toBe(demoMarket.name);
      // A market listed before its first price has no rows until that price arrives (web/src/board/live-board.ts).
      await expect.poll(() => card.locator('tbody tr th').allTextContents(), { timeout: 20_000 }).toEqual(demoMarket.selections.map((s) => s.name));
    }
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('#connection').textContent()).toBe('Live');

    const decimals = () => page.locator('.market td.decimal').allTextContents();
    const before = await decimals();
    await page.waitForFunction(() => document.querySelector('.market tr.flash-up, .market tr.flash-down') !== null, undefined, { timeout: 30_000 });
    await expect.poll(decimals, { timeout: 30_000 }).not.toEqual(before);

    const row = cardOf(market.id).locator('tbody tr').first();
    expect(await row.locator('.decimal').textContent()).toMatch(/^\d+\.\d{2}$/);
    expect(await row.locator('.fractional').textContent()).toMatch(/^\d+\/\d+$/);
    expect(await row.locator('.american').textContent()).toMatch(/^[+-]\d+$/);
  });

  it('after a dropped connection, shows the prices as not live, then catches up with what was published meanwhile', async () => {
    screenshotOnFailure('catch-up');
    // The feed stops, so that after the reconnection nothing arrives live: only a catch-up can
    // bring the board to the newest version.
    await feedRunner!.stop();
    feedRunner = undefined;
    const card = cardOf(market.id);
    const settled = await eventually(
      'the board to show the newest published version',
      async () => {
        const published = await publishedVersion(market.id);
        return published > 0 && (await priceVersionShown(card)) === published ? published : undefined;
      },
      20_000,
    );

    await realtime.drop();
    await page.locator('#connection:not([data-state="live"])').waitFor({ timeout: 10_000 });
    for (let i = 0; i < 2; i++) await partner.request(INGEST_FEED, { messages: feed.tick() });
    const { market: ticked } = await reader.request<{ market: { version: number } }>('query ($id: ID!) { market(id: $id) { version } }', { id: market.id });
    expect(ticked.version).toBeGreaterThanOrEqual(settled + 2);
    // New connections are held until the updates are in the price history, so none of them can
    // reach the page live; meanwhile the card does not claim to be live.
    await eventually(`the price engine to publish version ${ticked.version}`, async () => ((await publishedVersion(market.id)) >= ticked.version ? true : undefined), 12_000);
    expect(await priceVersionShown(card)).toBe(settled);
    await expect.poll(() => card.getAttribute('data-freshness'), { timeout: 15_000 }).not.toBe('live');

    realtime.release();
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => priceVersionShown(card), { timeout: 15_000 }).toBe(ticked.version);
    expect(await card.getAttribute('data-freshness')).toBe('live');
    expect(realtime.opened()).toBeGreaterThanOrEqual(2);
  });

  it('shows an event the feed creates while the page is open, without a reload, below the live one', async () => {
    screenshotOnFailure('new-event');
    const sample = JSON.parse(readFileSync(new URL('../../client/feeds/sample-feed.json', import.meta.url), 'utf8')) as unknown[];
    await replayFeed({ client: partner, messages: sample, ratePerSecond: 200 });
    const event = page.locator('.event[data-event-id="evt-reds-blues"]');
    await expect.poll(() => event.getAttribute('data-event-status'), { timeout: 20_000 }).toBe('FINISHED');
    await expect.poll(() => event.locator('.market').count(), { timeout: 20_000 }).toBe(3);
    // The live event first; the finished one below it.
    expect(await page.locator('.event').evaluateAll((events) => events.map((e) => (e as HTMLElement).dataset.eventId))).toEqual([demoEvent.id, 'evt-reds-blues']);
    // The sample settles its "Both teams to score": final, and it looks it.
    const settled = event.locator('.market[data-status="SETTLED"]');
    await expect.poll(() => settled.count(), { timeout: 20_000 }).toBe(1);
    expect(await settled.getAttribute('data-bettable')).toBe('false');
    expect(await settled.locator('.notice').textContent()).toBe('Settled — result final');
  });

  it('signs the trader in; a margin change that meets a newer version offers a retry, and the board shows the repriced market', async () => {
    screenshotOnFailure('margin');
    await page.getByLabel('Username').fill(trader.username);
    await page.getByLabel('Password').fill(trader.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`.session[data-username="${trader.username}"]`).waitFor({ timeout: 20_000 });
    expect(await page.locator('.session').textContent()).toContain('(traders)');
    // Markets are listed under their events (two events each have a "Match result"), live event first.
    expect(await page.locator('.control-event').evaluateAll((events) => events.map((e) => (e as HTMLElement).dataset.eventId))).toEqual([demoEvent.id, 'evt-reds-blues']);
    expect(await page.locator(`.control[data-market-id="mkt-reds-blues-result"]`).getAttribute('aria-label')).toBe('Reds v Blues — Match result');
    // A settled market's status reads SETTLED (not the select's first option), and cannot be changed.
    const settledControl = page.locator('.control[data-status="SETTLED"]');
    expect(await settledControl.getByLabel(/^Status\b/).inputValue()).toBe('SETTLED');
    expect(await settledControl.getByLabel(/^Status\b/).isDisabled()).toBe(true);
    // The job form starts on the live event; markets name their event.
    const jobs = page.locator('.jobs-panel');
    expect(await jobs.getByLabel(/^Event\b/).inputValue()).toBe(demoEvent.id);
    expect(await jobs.locator('select[name="marketId"] option[value="mkt-reds-blues-result"]').textContent()).toBe('Match result — Reds v Blues');

    const control = page.locator(`.control[data-market-id="${market.id}"]`);
    const marginInput = control.getByLabel('Margin %');
    const target = Number(await marginInput.inputValue()) === 7.5 ? 8.5 : 7.5;
    // The first setMargin leaves one version behind the market, as if another trader had changed
    // it since this one looked; the server answers with the real conflict.
    let staled = false;
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as { query?: string; variables?: { expectedVersion?: number } } | null;
      if (!staled && body?.query?.includes('setMargin(') && body.variables?.expectedVersion !== undefined) {
        staled = true;
        body.variables.expectedVersion -= 1;
        await route.continue({ postData: JSON.stringify(body) });
      } else {
        await route.continue();
      }
    });
    const version = Number(await control.getAttribute('data-version'));
    await marginInput.fill(String(target));
    await control.getByRole('button', { name: 'Set margin' }).click();
    const outcome = control.locator('.outcome');
    await control.locator('.outcome.conflict').waitFor({ timeout: 15_000 });
    expect(await outcome.textContent()).toContain(`DynamoDB:ConditionalCheckFailedException: Mutation.setMargin: market ${market.id} is at version ${version}, not expectedVersion ${version - 1}`);
    await page.unroute('**/graphql');

    await control.getByRole('button', { name: `Retry at version ${version}` }).click();
    await control.locator('.outcome.ok').waitFor({ timeout: 15_000 });
    expect(await outcome.textContent()).toBe(`Margin set to ${target.toFixed(1)}% — market at version ${version + 1}`);

    // The price engine reprices on the change: its update carries the new version and margin, and
    // the book's overround is at least the margin (decimal prices round down the ladder).
    const card = cardOf(market.id);
    await expect.poll(() => priceVersionShown(card), { timeout: 20_000 }).toBeGreaterThanOrEqual(version + 1);
    expect(await card.locator('.margin').textContent()).toBe(`margin ${target.toFixed(1)}%`);
    expect(await card.locator('.source').textContent()).toMatch(/^TRADER /);
    const book = Number((await card.locator('.book').textContent())!.replace(/^book |%$/g, ''));
    expect(book).toBeGreaterThanOrEqual(100 + target - 0.05);
  });

  it('starts a REPRICE_EVENT job and shows its progress live until SUCCEEDED', async () => {
    screenshotOnFailure('job');
    const jobs = page.locator('.jobs-panel');
    // A label's name includes its control's value ("Job REPRICE_EVENT"): matched by how it starts.
    await jobs.getByLabel(/^Job\b/).selectOption('REPRICE_EVENT');
    await jobs.getByLabel(/^Event\b/).selectOption(demoEvent.id);
    // Every state a job row shows, recorded in the page as the rows are drawn.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as any).jobSightings = seen;
      new MutationObserver(() => {
        document.querySelectorAll<HTMLElement>('tr[data-job-id]').forEach((row) => seen.push(`${row.dataset.jobStatus} ${row.querySelector('.progress-value')?.textContent}`));
      }).observe(document.querySelector('.jobs tbody')!, { childList: true, subtree: true });
    });
    await jobs.getByRole('button', { name: 'Start job' }).click();

    const row = jobs.locator('tr[data-job-status="SUCCEEDED"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('.progress-value').textContent()).toBe('100%');
    expect(await row.textContent()).toContain(`done after ${demoEvent.markets.length + 1} step(s)`);
    const sightings = (await page.evaluate(() => (window as any).jobSightings)) as string[];
    expect(sightings[0]).toBe('QUEUED 0%');
    expect(sightings.some((s) => s.startsWith('RUNNING ') && s !== 'RUNNING 100%')).toBe(true);
  });

  it('suspends a market with setMarketStatus, and the board shows the repriced, suspended market', async () => {
    screenshotOnFailure('status');
    const suspended = demoEvent.markets[1]!;
    const control = page.locator(`.control[data-market-id="${suspended.id}"]`);
    const version = Number(await control.getAttribute('data-version'));
    await control.getByLabel(/^Status\b/).selectOption('SUSPENDED');
    await control.getByRole('button', { name: 'Set status' }).click();
    await control.locator('.outcome.ok').waitFor({ timeout: 15_000 });
    expect(await control.locator('.outcome').textContent()).toBe(`Status set to SUSPENDED — market at version ${version + 1}`);
    const card = cardOf(suspended.id);
    await expect.poll(() => priceVersionShown(card), { timeout: 20_000 }).toBeGreaterThanOrEqual(version + 1);
    expect(await card.getAttribute('data-status')).toBe('SUSPENDED');
    expect(await card.locator('.badge').textContent()).toBe('SUSPENDED');
    // It cannot be bet on, and looks it: a label, greyed and struck prices, no flashing.
    expect(await card.getAttribute('data-bettable')).toBe('false');
    expect(await card.locator('.notice').textContent()).toBe('Suspended — betting paused');
    const look = await card.locator('tbody td.decimal').first().evaluate((cell) => ({ line: getComputedStyle(cell).textDecorationLine, opacity: getComputedStyle(cell.closest('tbody')!).opacity }));
    expect(look).toEqual({ line: 'line-through', opacity: '0.5' });
    // New prices for it (the feed's next ticks) change the numbers but flash nothing. The page
    // watches the card before the tick is sent: a watch that began after the update was drawn
    // would wait for a second one that never comes (the feed is stopped).
    const before = await priceVersionShown(card);
    await card.evaluate((element) => {
      const watch = { flashes: 0 };
      (window as any).suspendedWatch = watch;
      new MutationObserver(() => (watch.flashes += element.querySelectorAll('tr.flash-up, tr.flash-down').length)).observe(element, { subtree: true, childList: true, attributes: true });
    });
    const { ingestFeed } = await partner.request<{ ingestFeed: { accepted: number } }>(INGEST_FEED, { messages: feed.tick() });
    expect(ingestFeed.accepted).toBe(demoEvent.markets.length);
    await expect.poll(() => priceVersionShown(card), { timeout: 20_000 }).toBeGreaterThan(before);
    expect(await page.evaluate(() => (window as any).suspendedWatch.flashes)).toBe(0);
  });

  it('exports a price history (a CSV to download) and settles a market with jobs', async () => {
    screenshotOnFailure('export-and-settle');
    const jobs = page.locator('.jobs-panel');
    const rows = jobs.locator('tr[data-job-id]');
    const newest = rows.first();
    async function runJob(start: () => Promise<void>): Promise<void> {
      const before = await rows.count();
      await start();
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(before + 1);
      await expect.poll(() => newest.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('SUCCEEDED');
    }

    await runJob(async () => {
      await jobs.getByLabel(/^Job\b/).selectOption('EXPORT_PRICE_HISTORY');
      await jobs.getByLabel(/^Market\b/).selectOption(market.id);
      await jobs.getByRole('button', { name: 'Start job' }).click();
    });
    const href = (await newest.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!;
    expect(href.startsWith('data:text/csv;charset=utf-8,')).toBe(true);
    const csv = decodeURIComponent(href.slice('data:text/csv;charset=utf-8,'.length)).trim().split(/\r?\n/);
    expect(csv[0]).toBe('publishedAt,version,status,margin,source,selectionId,selectionName,probability,decimal,fractional,american,impliedProbability');
    expect(csv.length - 1).toBeGreaterThanOrEqual(market.selections.length * 3);

    const settled = demoEvent.markets[2]!;
    const winner = settled.selections[0]!;
    await runJob(async () => {
      await jobs.getByLabel(/^Job\b/).selectOption('SETTLE_MARKET');
      await jobs.getByLabel(/^Market\b/).selectOption(settled.id);
      await jobs.getByRole('checkbox', { name: winner.name, exact: true }).check();
      await jobs.getByRole('button', { name: 'Start job' }).click();
    });
    expect(JSON.parse((await newest.locator('.result pre').textContent())!)).toMatchObject({ marketId: settled.id, winningSelectionIds: [winner.id] });
    await expect.poll(() => cardOf(settled.id).getAttribute('data-status'), { timeout: 20_000 }).toBe('SETTLED');
    // A settled market is final: the console no longer offers to change it.
    await expect.poll(() => page.locator(`.control[data-market-id="${settled.id}"]`).getByRole('button', { name: 'Set margin' }).isDisabled()).toBe(true);
  });

  it('re-reads the jobs after a dropped connection; cancelling a job that finished meanwhile shows the refusal', async () => {
    screenshotOnFailure('jobs-catch-up');
    const jobs = page.locator('.jobs-panel');
    const rows = jobs.locator('tr[data-job-id]');
    const before = await rows.count();
    await realtime.drop();
    await page.locator('#connection:not([data-state="live"])').waitFor({ timeout: 10_000 });

    await jobs.getByLabel(/^Job\b/).selectOption('REPRICE_EVENT');
    await jobs.getByRole('button', { name: 'Start job' }).click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(before + 1);
    const row = rows.first();
    const jobId = (await row.getAttribute('data-job-id'))!;
    // The job runs to the end while no update can reach the page.
    await eventually(`job ${jobId} to succeed`, async () => ((await storedJobStatus(jobId)) === 'SUCCEEDED' ? true : undefined), 12_000);
    expect(await row.getAttribute('data-job-status')).toBe('QUEUED');

    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => jobs.locator('.errors').textContent(), { timeout: 15_000 }).toBe(
      `InvalidState: Mutation.cancelJob: job ${jobId} already SUCCEEDED; only a QUEUED or RUNNING job can be cancelled`,
    );

    realtime.release();
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => jobs.locator(`tr[data-job-id="${jobId}"]`).getAttribute('data-job-status'), { timeout: 15_000 }).toBe('SUCCEEDED');
  });

  it('shows the API refusing a user outside traders, with its errorType', async () => {
    screenshotOnFailure('refusal');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill(viewer.username);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`.session[data-username="${viewer.username}"]`).waitFor({ timeout: 20_000 });

    const control = page.locator(`.control[data-market-id="${market.id}"]`);
    await control.getByRole('button', { name: 'Set margin' }).click();
    await control.locator('.outcome.failed').waitFor({ timeout: 15_000 });
    expect(await control.locator('.outcome').textContent()).toBe('Unauthorized: Not Authorized to access setMargin on type Mutation');
  });

  it('shows an HTTP refusal of a forged token (401) with its errorType', async () => {
    screenshotOnFailure('forged-token');
    // Amplify reads its tokens from localStorage on every request: the signature is replaced.
    const forged = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('CognitoIdentityServiceProvider.') && k.endsWith('.accessToken'));
      if (!key) return false;
      const [header, payload] = localStorage.getItem(key)!.split('.');
      localStorage.setItem(key, `${header}.${payload}.${'A'.repeat(342)}`);
      return true;
    });
    expect(forged).toBe(true);
    const control = page.locator(`.control[data-market-id="${market.id}"]`);
    await control.getByRole('button', { name: 'Set margin' }).click();
    await expect.poll(() => control.locator('.outcome').textContent(), { timeout: 15_000 }).toBe('UnauthorizedException: You are not authorized to make this call.');
  });
});
