import type { Assumptions } from './assumptions.ts';
import { quota } from './pricing.ts';
import type { AppResources, PriceBook, WorkloadProfile } from './types.ts';
import { peakRates, scaleProfile, type PeakRates } from './usage.ts';

export interface QuotaCheck {
  name: string;
  /** Key of the quota in the prices file. */
  key: string;
  unit: string;
  current: number;
  limit: number;
  /** limit / current at load ×1. */
  headroom: number;
  /** The load multiple at which `current` reaches the limit (null: never, in the range checked). */
  breaksAtMultiple: number | null;
  /** The first doubling of load (1, 2, 4, …) at which the quota is exceeded. */
  breaksAtDoubling: number | null;
  adjustable: boolean;
  verified: boolean;
}

interface QuotaDefinition {
  name: string;
  key: string;
  unit: string;
  measure(rates: PeakRates): number;
}

/** The quotas the push path and the pipeline run into, each measured from the peak rates. */
function quotaDefinitions(base: PeakRates): QuotaDefinition[] {
  return [
    { name: 'AppSync outbound messages (5 KB units)', key: 'appsync.outboundMessagesPerSecond', unit: 'messages/s', measure: (r) => r.outboundMessages },
    { name: 'AppSync inbound messages (publishes)', key: 'appsync.inboundMessagesPerSecond', unit: 'messages/s', measure: (r) => r.inboundMessages },
    { name: 'AppSync new connections', key: 'appsync.connectionsPerSecond', unit: 'connections/s', measure: (r) => r.connectionsOpened },
    { name: 'AppSync request tokens (1 per request)', key: 'appsync.requestTokensPerSecond', unit: 'tokens/s', measure: (r) => r.appsyncRequests },
    { name: 'Lambda concurrent executions (account)', key: 'lambda.concurrentExecutions', unit: 'executions', measure: (r) => r.lambdaConcurrency },
    ...base.hotPartitions.map((hot, index): QuotaDefinition => ({
      name: `DynamoDB partition: ${hot.name}`,
      key: 'dynamodb.partitionWriteUnitsPerSecond',
      unit: 'WCU/s',
      measure: (r) => r.hotPartitions[index]?.writeUnits ?? 0,
    })),
  ];
}

const MAX_MULTIPLE = 1024;

/**
 * Each quota's value at load ×1, its headroom, and the load multiple at which it breaks: doubling
 * the load until it is exceeded, then bisecting between the last two doublings.
 */
export function checkQuotas(app: AppResources, profile: WorkloadProfile, assumptions: Assumptions, prices: PriceBook): QuotaCheck[] {
  const at = (m: number) => peakRates(app, scaleProfile(profile, m), assumptions);
  const base = at(1);
  return quotaDefinitions(base).map((definition) => {
    const limit = quota(prices, definition.key);
    const entry = prices.quotas[definition.key]!;
    const valueAt = (m: number) => definition.measure(at(m));
    const current = definition.measure(base);
    let breaksAtDoubling: number | null = null;
    for (let m = 1; m <= MAX_MULTIPLE; m *= 2) {
      if (valueAt(m) > limit) {
        breaksAtDoubling = m;
        break;
      }
    }
    let breaksAtMultiple: number | null = null;
    if (breaksAtDoubling !== null) {
      let low = breaksAtDoubling === 1 ? 0 : breaksAtDoubling / 2;
      let high = breaksAtDoubling;
      for (let i = 0; i < 40; i++) {
        const mid = (low + high) / 2;
        if (valueAt(mid) > limit) high = mid;
        else low = mid;
      }
      breaksAtMultiple = high;
    }
    return {
      name: definition.name,
      key: definition.key,
      unit: definition.unit,
      current,
      limit,
      headroom: current > 0 ? limit / current : Infinity,
      breaksAtMultiple,
      breaksAtDoubling,
      adjustable: entry.adjustable,
      verified: entry.verified,
    };
  });
}

/** The quota that breaks at the lowest load multiple. */
export function firstLimit(checks: QuotaCheck[]): QuotaCheck | null {
  return checks.filter((c) => c.breaksAtMultiple !== null).sort((a, b) => a.breaksAtMultiple! - b.breaksAtMultiple!)[0] ?? null;
}
