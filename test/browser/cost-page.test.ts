import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimate } from '../../cost/model/estimate.ts';
import { usd } from '../../cost/model/format.ts';
import { parseProfile } from '../../cost/model/profile.ts';
import type { Calibration, PriceBook } from '../../cost/model/types.ts';
import { createStaticFiles } from '../../local/http/static-files.ts';
import { buildWeb } from '../../web/build.ts';
import { CHROMIUM_PATH } from './chromium.ts';

/**
 * The cost page (web/cost.html) in Debian's Chromium: the built web console served over plain
 * HTTP on loopback (no certificate involved), its charts checked against the model run here in
 * Node on the same inputs. COST_PAGE_SCREENSHOT=<file.png> saves a picture of the page.
 */

const read = (path: string) => JSON.parse(readFileSync(new URL(`../../cost/${path}`, import.meta.url), 'utf8'));
const prices = read('prices.us-east-1.json') as PriceBook;
const calibration = read('calibration.json') as Calibration;
const reportFor = (file: string) => estimate({ app: calibration.app, profile: parseProfile(read(`profiles/${file}`)), prices, calibration });

let dir: string;
let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it: apt-get install -y chromium`);
  dir = mkdtempSync(join(tmpdir(), 'pricestream-cost-page-'));
  await buildWeb(join(dir, 'web'));
  const serve = createStaticFiles(join(dir, 'web'));
  server = createServer((req, res) => {
    if (!serve(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/cost.html`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((closed) => server?.close(closed));
  rmSync(dir, { recursive: true, force: true });
});

describe('the cost page', () => {
  it('is linked from the console', () => {
    expect(readFileSync(join(dir, 'web', 'index.html'), 'utf8')).toContain('<a class="top-link" href="cost.html">What it costs</a>');
  });

  it('shows the 50,000-phones profile: the total, the cost per million and the first limit, as the model computes them', async () => {
    const report = reportFor('50k-phones.json');
    await page.locator('#total').waitFor();
    expect(await page.locator('#total').textContent()).toBe(usd(report.monthlyUsd.total));
    expect(await page.locator('#per-million').textContent()).toBe(usd(report.perMillionDeliveredUsd));
    expect(await page.locator('#first-limit').textContent()).toBe(`${report.firstLimit!.name} at load ×${report.firstLimit!.breaksAtMultiple.toFixed(1)}`);
    expect(pageErrors).toEqual([]);
  });

  it('draws one bar per service, labelled with its dollars, longest for the largest', async () => {
    const report = reportFor('50k-phones.json');
    const bars = page.locator('[data-chart="services"] g[data-service]');
    expect(await bars.count()).toBe(7);
    const drawn = await bars.evaluateAll((groups) =>
      groups.map((g) => ({ service: g.getAttribute('data-service')!, usd: Number(g.getAttribute('data-usd')), label: g.querySelector('.chart-value')!.textContent, width: Number(g.querySelector('rect')!.getAttribute('width')) })),
    );
    for (const bar of drawn) {
      const expected = report.monthlyUsd[bar.service as keyof typeof report.monthlyUsd];
      expect(bar.usd, bar.service).toBeCloseTo(expected, 2);
      expect(bar.label, bar.service).toBe(usd(expected));
    }
    const widest = drawn.reduce((a, b) => (b.width > a.width ? b : a));
    expect(widest.usd).toBe(Math.max(...drawn.map((b) => b.usd)));
    const [first, second] = [...drawn].sort((a, b) => b.usd - a.usd);
    expect(second!.width / first!.width).toBeCloseTo(second!.usd / first!.usd, 2);
  });

  it('charts the monthly cost at load ×1…×16 and marks where the first limit breaks', async () => {
    const report = reportFor('50k-phones.json');
    const columns = await page.locator('[data-chart="load"] g[data-multiple]').evaluateAll((groups) => groups.map((g) => ({ multiple: Number(g.getAttribute('data-multiple')), usd: Number(g.getAttribute('data-usd')) })));
    expect(columns).toEqual(report.curve.map((c) => ({ multiple: c.multiple, usd: Number(c.monthlyUsd.total.toFixed(2)) })));
    const limit = page.locator('[data-chart="load"] g.limit');
    expect(await limit.getAttribute('data-breaks-at')).toBe(report.firstLimit!.breaksAtMultiple.toFixed(2));
    expect(await limit.getAttribute('data-label')).toBe(`${report.firstLimit!.name} breaks at ×${report.firstLimit!.breaksAtMultiple.toFixed(1)}`);
    expect(await limit.locator('tspan').allTextContents()).toEqual([report.firstLimit!.name, `breaks at ×${report.firstLimit!.breaksAtMultiple.toFixed(1)}`]);
    // The line rises: each point above (a smaller y than) the one before.
    const ys = await page.locator('[data-chart="load"] circle.point').evaluateAll((points) => points.map((p) => Number(p.getAttribute('cy'))));
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThan(ys[i - 1]!);
  });

  it('lists the four push paths and says which numbers were measured', async () => {
    const rows = await page.locator('#alternatives tbody tr td:first-child').allTextContents();
    expect(rows).toEqual(['AppSync GraphQL subscriptions (this app)', 'API Gateway WebSocket + Lambda fan-out', 'IoT Core MQTT over WebSocket', 'AppSync Events']);
    expect(await page.locator('#assumptions li[data-source="measured"]').count()).toBeGreaterThan(5);
    expect(await page.locator('#assumptions li[data-source="assumed"]').count()).toBeGreaterThan(0);
    if (process.env.COST_PAGE_SCREENSHOT) await page.screenshot({ path: process.env.COST_PAGE_SCREENSHOT, fullPage: true });
  });

  it('prices the demo profile when it is chosen', async () => {
    await page.locator('#profile').selectOption('demo');
    await expect.poll(() => page.locator('#total').textContent()).toBe(usd(reportFor('demo.json').monthlyUsd.total));
  });

  it('names the field of an edited profile that is wrong, and keeps the last good charts', async () => {
    const before = await page.locator('#total').textContent();
    await page.locator('details summary').click();
    const edited = { ...read('profiles/demo.json'), feed: { ...read('profiles/demo.json').feed, messagesPerBatch: 0 } };
    await page.locator('#profile-json').fill(JSON.stringify(edited));
    await page.locator('#apply').click();
    await expect.poll(() => page.locator('#profile-errors').textContent()).toBe('edited profile: feed.messagesPerBatch must be an integer ≥ 1 (messages in one ingestFeed call); got 0');
    expect(await page.locator('#total').textContent()).toBe(before);
  });
});
