import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import prices from '../../../cost/prices.us-east-1.json' with { type: 'json' };
import { resolveAssumptions } from '../../../cost/model/assumptions.ts';
import { estimate } from '../../../cost/model/estimate.ts';
import { parseProfile } from '../../../cost/model/profile.ts';
import { checkQuotas, firstLimit } from '../../../cost/model/quotas.ts';
import type { AppResources, PriceBook, WorkloadProfile } from '../../../cost/model/types.ts';

const book = prices as PriceBook;
const profile = parseProfile(JSON.parse(readFileSync(new URL('../../../cost/profiles/50k-phones.json', import.meta.url), 'utf8')));

/** The app's shape as the assembly reader gives it (one function and table per role). */
const app: AppResources = {
  functions: [
    { logicalId: 'IngestFeedFunction', role: 'ingest', memoryMb: 256, timeoutSeconds: 30, architecture: 'arm64', tracing: true, environment: {} },
    { logicalId: 'PriceEngineFunction', role: 'pricing', memoryMb: 256, timeoutSeconds: 30, architecture: 'arm64', tracing: true, streamBatchSize: 100, environment: { PRICE_HISTORY_TTL_DAYS: '30' } },
  ],
  tables: [
    { logicalId: 'MarketsTable', role: 'markets', onDemand: true, pointInTimeRecovery: true, stream: true, ttl: false, gsisProjectingAll: 1 },
    { logicalId: 'PricesTable', role: 'prices', onDemand: true, pointInTimeRecovery: true, stream: false, ttl: true, gsisProjectingAll: 0 },
    { logicalId: 'FeedMessagesTable', role: 'feedMessages', onDemand: true, pointInTimeRecovery: true, stream: false, ttl: true, gsisProjectingAll: 0 },
  ],
  apis: [{ name: 'api', authModes: ['AMAZON_COGNITO_USER_POOLS'], xrayEnabled: true, fieldLogLevel: 'ERROR' }],
  userPools: [{ name: 'pool', tier: 'ESSENTIALS' }],
  alarms: 5,
  logGroups: [{ name: 'logs', retentionDays: 30 }],
};

const assumptions = resolveAssumptions();
const named = (fragment: string, p: WorkloadProfile = profile) => checkQuotas(app, p, assumptions, book).find((q) => q.name.includes(fragment))!;

describe('quota headroom and the first limit to break', () => {
  it('a rate that grows with the load breaks at limit ÷ current (inbound publishes: 10,000 ÷ ~200 ≈ 50×)', () => {
    const inbound = named('inbound');
    // 200 price updates a second, plus 200 jobs × 10 progress updates a day.
    const current = 200 + (200 * 10) / 86_400;
    expect(inbound.current).toBeCloseTo(current, 9);
    expect(inbound.headroom).toBeCloseTo(10_000 / current, 9);
    expect(inbound.breaksAtMultiple).toBeCloseTo(10_000 / current, 6);
    expect(inbound.breaksAtDoubling).toBe(64);
  });

  it('deliveries grow with clients and updates together, so outbound messages break at √(limit ÷ current)', () => {
    const outbound = named('outbound');
    expect(outbound.current).toBeCloseTo(200 * 250 + (200 * 10) / 86_400, 6);
    expect(outbound.breaksAtMultiple).toBeCloseTo(Math.sqrt(1_000_000 / outbound.current), 4);
    expect(outbound.breaksAtDoubling).toBe(8);
  });

  it("one feed's ledger partition: messages of a feed × 2 WRU (transactional, ≤ 1 KB) against 1,000 WCU", () => {
    const ledger = named("one feed's ledger");
    expect(ledger.current).toBe((200 / 4) * 2);
    expect(ledger.breaksAtMultiple).toBeCloseTo(10, 6);
  });

  it('names the quota that breaks at the lowest multiple', () => {
    const checks = checkQuotas(app, profile, assumptions, book);
    const first = firstLimit(checks)!;
    expect(first.name).toBe('AppSync outbound messages (5 KB units)');
    for (const check of checks) if (check.breaksAtMultiple !== null) expect(check.breaksAtMultiple).toBeGreaterThanOrEqual(first.breaksAtMultiple!);
  });

  it('moves when the profile moves: one feed for all messages makes its ledger partition the first limit', () => {
    const oneFeed = { ...profile, feed: { ...profile.feed, feeds: 1 } };
    const first = firstLimit(checkQuotas(app, oneFeed, assumptions, book))!;
    expect(first.name).toContain("one feed's ledger");
    expect(first.breaksAtMultiple).toBeCloseTo(2.5, 6);
    expect(first.breaksAtDoubling).toBe(4);
  });

  it('reports a limit already exceeded at load ×1 as breaking below 1×', () => {
    const busy = { ...profile, feed: { ...profile.feed, feeds: 1, messagesPerSecond: 1000 } };
    const ledger = named("one feed's ledger", busy);
    expect(ledger.breaksAtDoubling).toBe(1);
    expect(ledger.breaksAtMultiple).toBeCloseTo(0.5, 6);
  });

  it('no limit breaks for a profile with nothing going on', () => {
    const idle: WorkloadProfile = {
      ...profile,
      clients: { ...profile.clients, connected: 0 },
      feed: { ...profile.feed, messagesPerSecond: 0 },
      priceUpdates: { perSecond: 0, fanout: 0, hottestMarketPerSecond: 0 },
      api: { ...profile.api, queriesPerSecond: 0, mutationsPerSecond: 0 },
      jobs: { ...profile.jobs, perDay: 0 },
    };
    expect(firstLimit(checkQuotas(app, idle, assumptions, book))).toBeNull();
  });
});

describe('estimate', () => {
  it('the total is the sum of the services, and each service the sum of its lines (to the cent)', () => {
    const report = estimate({ app, profile, prices: book });
    const { total, ...services } = report.monthlyUsd;
    expect(total).toBeCloseTo(Object.values(services).reduce((a, b) => a + b, 0), 6);
    for (const [service, usd] of Object.entries(services)) {
      expect(usd).toBeCloseTo(report.lines.filter((l) => l.service === service).reduce((a, l) => a + l.usd, 0), 2);
    }
    expect(report.perMillionDeliveredUsd).toBeCloseTo((total / report.deliveredPerMonth) * 1e6, 3);
  });

  it('the curve starts at the report itself and rises with the load', () => {
    const report = estimate({ app, profile, prices: book });
    expect(report.curve.map((c) => c.multiple)).toEqual([1, 2, 4, 8, 16]);
    expect(report.curve[0]!.monthlyUsd.total).toBe(report.monthlyUsd.total);
    for (let i = 1; i < report.curve.length; i++) expect(report.curve[i]!.monthlyUsd.total).toBeGreaterThan(report.curve[i - 1]!.monthlyUsd.total);
  });

  it('says which numbers were measured once a calibration is given', () => {
    const measured = estimate({
      app,
      profile,
      prices: book,
      calibration: {
        measuredAt: '2026-12-03T00:00:00Z', machine: 'test', command: 'test', durationSeconds: 1, feedMessages: 10,
        lambdaDurationMs: { ingest: 100 }, lambdaInvocations: {}, feedMessagesPerIngestInvocation: 4, recordsPerInvocation: {}, logBytesPerInvocation: {},
        itemBytes: { markets: 2000 }, writesPerFeedMessage: {}, publicationsPerFeedMessage: 1, priceUpdatePayloadBytes: 6000, app,
      },
    });
    const byName = new Map(measured.assumptions.map((a) => [a.name, a]));
    expect(byName.get('Lambda duration, ingest (ms)')).toMatchObject({ value: 100, source: 'measured' });
    // 100 ms for 4 messages, so 500 ms for the profile's batches of 20.
    expect(measured.lines.find((l) => l.item.startsWith('IngestFeedFunction duration'))!.item).toContain('500.0 ms');
    expect(byName.get('Lambda duration, pricing (ms)')).toMatchObject({ source: 'assumed' });
    expect(byName.get('onPriceUpdate payload (bytes)')).toMatchObject({ value: 6000, source: 'measured' });
    // 6,000 bytes is two 5 KB units: twice the outbound messages of a 1,200-byte payload.
    expect(measured.quotas.find((q) => q.name.includes('outbound'))!.current).toBeCloseTo(2 * 200 * 250 + (200 * 10) / 86_400, 6);
  });
});
