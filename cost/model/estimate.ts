import { pushAlternatives, type PushAlternative } from './alternatives.ts';
import { resolveAssumptions, type Assumptions } from './assumptions.ts';
import { appsyncGraphqlUsd, cloudwatchUsd, cognitoUsd, dataTransferUsd, dynamodbUsd, lambdaUsd, xrayUsd } from './pricing.ts';
import { checkQuotas, firstLimit, type QuotaCheck } from './quotas.ts';
import type { AppResources, Calibration, PriceBook, Sourced, WorkloadProfile } from './types.ts';
import { roundUsd } from './units.ts';
import { monthlyUsage, scaleProfile, type MonthlyUsage } from './usage.ts';

export const SERVICES = ['appsync', 'lambda', 'dynamodb', 'cognito', 'cloudwatch', 'xray', 'dataTransfer'] as const;
export type Service = (typeof SERVICES)[number];

export interface CostLine {
  service: Service;
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

export interface CostReport {
  profile: string;
  region: string;
  loadMultiple: number;
  /** Dollars a month; `total` is the sum of the services as printed (each rounded to cents). */
  monthlyUsd: Record<Service, number> & { total: number };
  perMillionDeliveredUsd: number;
  deliveredPerMonth: number;
  firstLimit: { name: string; current: number; limit: number; unit: string; breaksAtMultiple: number; breaksAtDoubling: number; adjustable: boolean } | null;
  quotas: QuotaCheck[];
  lines: CostLine[];
  alternatives: PushAlternative[];
  /** Total a month at each load multiple, for the chart. */
  curve: { multiple: number; monthlyUsd: Record<Service, number> & { total: number } }[];
  assumptions: { name: string; value: number; source: 'measured' | 'assumed'; note: string }[];
  calibration: { measuredAt: string; machine: string; loadAverage?: { before: number; after: number } } | null;
  pricesNote: string;
  unverifiedPrices: string[];
}

export interface EstimateInput {
  app: AppResources;
  profile: WorkloadProfile;
  prices: PriceBook;
  calibration?: Calibration;
  loadMultiple?: number;
  curveMultiples?: number[];
}

/** Prices a month of the profile on the app, names the first quota to break, and costs the push alternatives. */
export function estimate(input: EstimateInput): CostReport {
  const { app, prices, calibration } = input;
  const m = input.loadMultiple ?? 1;
  const assumptions = resolveAssumptions(calibration);
  const profile = scaleProfile(input.profile, m);
  const { lines, monthly } = price(app, profile, assumptions, prices);
  const deliveredPerMonth = monthlyUsage(app, profile, assumptions).appsync.deliveries;
  const quotas = checkQuotas(app, profile, assumptions, prices);
  const first = firstLimit(quotas);
  const curve = (input.curveMultiples ?? [1, 2, 4, 8, 16]).map((multiple) => ({ multiple, monthlyUsd: price(app, scaleProfile(profile, multiple), assumptions, prices).monthly }));
  return {
    profile: input.profile.name,
    region: prices.region,
    loadMultiple: m,
    monthlyUsd: monthly,
    perMillionDeliveredUsd: deliveredPerMonth > 0 ? Math.round((monthly.total / deliveredPerMonth) * 1e6 * 10_000) / 10_000 : 0,
    deliveredPerMonth,
    firstLimit: first && {
      name: first.name,
      current: first.current,
      limit: first.limit,
      unit: first.unit,
      breaksAtMultiple: first.breaksAtMultiple!,
      breaksAtDoubling: first.breaksAtDoubling!,
      adjustable: first.adjustable,
    },
    quotas,
    lines,
    alternatives: pushAlternatives(profile, assumptions, prices),
    curve,
    assumptions: flattenAssumptions(assumptions),
    calibration: calibration ? { measuredAt: calibration.measuredAt, machine: calibration.machine, ...(calibration.loadAverage && { loadAverage: calibration.loadAverage }) } : null,
    pricesNote: prices.note,
    unverifiedPrices: Object.entries(prices.prices)
      .filter(([, entry]) => !entry.verified)
      .map(([key]) => key),
  };
}

function price(app: AppResources, profile: WorkloadProfile, a: Assumptions, prices: PriceBook): { lines: CostLine[]; monthly: CostReport['monthlyUsd'] } {
  const usage: MonthlyUsage = monthlyUsage(app, profile, a);
  const lines: CostLine[] = [];
  const add = (service: Service, item: string, quantity: number, unit: string, usd: number) => lines.push({ service, item, quantity, unit, usd });

  const appsync = appsyncGraphqlUsd(prices, usage.appsync);
  add('appsync', 'queries and mutations', usage.appsync.requests, 'requests', appsync.requests);
  add('appsync', 'real-time updates (5 KB units, connects, subscribes)', usage.appsync.realtimeUpdates, 'updates', appsync.realtimeUpdates);
  add('appsync', 'connection-minutes', usage.appsync.connectionMinutes, 'minutes', appsync.connectionMinutes);
  for (const fn of usage.lambda) {
    const usd = lambdaUsd(prices, fn);
    add('lambda', `${fn.logicalId} requests`, fn.invocations, 'invocations', usd.requests);
    add('lambda', `${fn.logicalId} duration (${fn.memoryMb} MB ${fn.architecture}, ${fn.durationMs.toFixed(1)} ms)`, fn.gbSeconds, 'GB-s', usd.duration);
  }
  for (const table of usage.dynamodb) {
    const usd = dynamodbUsd(prices, table);
    add('dynamodb', `${table.logicalId} writes`, table.writeRequestUnits, 'WRU', usd.writes);
    add('dynamodb', `${table.logicalId} reads`, table.readRequestUnits, 'RRU', usd.reads);
    add('dynamodb', `${table.logicalId} storage + PITR`, table.storageGb, 'GB-month', usd.storage + usd.pitr);
    if (table.streamRecords > 0) add('dynamodb', `${table.logicalId} stream, read by Lambda (free)`, table.streamRecords, 'records', usd.streams);
  }
  // Only Essentials is priced; a pool on another tier is priced as Essentials and says so.
  const tier = app.userPools[0]?.tier ?? 'ESSENTIALS';
  add('cognito', `monthly active users (${tier === 'ESSENTIALS' ? 'Essentials' : `${tier}, priced as Essentials`})`, usage.cognitoMau, 'MAU', cognitoUsd(prices, usage.cognitoMau));
  const cw = cloudwatchUsd(prices, usage.cloudwatch);
  add('cloudwatch', 'function logs ingested', usage.cloudwatch.logsIngestedGb, 'GB', cw.logsIngested);
  add('cloudwatch', 'function logs stored', usage.cloudwatch.logsStoredGb, 'GB-month', cw.logsStored);
  add('cloudwatch', 'alarms', usage.cloudwatch.alarms, 'alarm metrics', cw.alarms);
  add('xray', 'traces recorded (default sampling)', usage.xrayTraces, 'traces', xrayUsd(prices, usage.xrayTraces));
  add('dataTransfer', 'real-time payloads out', usage.dataTransferGb, 'GB', dataTransferUsd(prices, usage.dataTransferGb));

  const byService = Object.fromEntries(SERVICES.map((s) => [s, roundUsd(lines.filter((l) => l.service === s).reduce((sum, l) => sum + l.usd, 0))])) as Record<Service, number>;
  const total = roundUsd(SERVICES.reduce((sum, s) => sum + byService[s], 0));
  return { lines, monthly: { total, ...byService } };
}

function flattenAssumptions(a: Assumptions): CostReport['assumptions'] {
  const out: CostReport['assumptions'] = [];
  const push = (name: string, s: Sourced) => out.push({ name, value: s.value, source: s.source, note: s.note });
  for (const [role, s] of Object.entries(a.durationMs)) if (role !== 'other') push(`Lambda duration, ${role} (ms)`, s);
  push('stream records per pricing invocation', a.recordsPerInvocation);
  push('feed messages per ingest invocation (measured batch)', a.ingestMessagesPerInvocation);
  for (const [role, s] of Object.entries(a.logBytesPerInvocation)) if (role !== 'other') push(`log bytes per invocation, ${role}`, s);
  for (const [table, s] of Object.entries(a.itemBytes)) if (table !== 'other') push(`item size, ${table} (bytes)`, s);
  for (const [table, s] of Object.entries(a.writesPerFeedMessage)) push(`${table} writes per feed message`, s);
  push('publications per feed message', a.publicationsPerFeedMessage);
  push('onPriceUpdate payload (bytes)', a.priceUpdatePayloadBytes);
  push('onJobUpdate payload (bytes)', a.jobUpdatePayloadBytes);
  push('items read per query', a.itemsReadPerQuery);
  push('fan-out time per postToConnection (ms, API Gateway alternative)', a.fanoutCallMs);
  push('heartbeat bytes per market listed', a.heartbeatBytesPerMarket);
  push('event changes a day per ten markets', a.eventChangesPerDayPerTenMarkets);
  return out;
}
