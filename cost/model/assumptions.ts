import type { Calibration, FunctionRole, Sourced, TableRole } from './types.ts';

/** The per-unit facts the model multiplies by: measured by `--calibrate` where it could, assumed otherwise. */
export interface Assumptions {
  durationMs: Record<FunctionRole, Sourced>;
  recordsPerInvocation: Sourced;
  /** Feed messages an ingest invocation handled while its duration was measured. */
  ingestMessagesPerInvocation: Sourced;
  logBytesPerInvocation: Record<FunctionRole, Sourced>;
  itemBytes: Record<TableRole, Sourced>;
  writesPerFeedMessage: Record<'markets' | 'feedMessages' | 'prices', Sourced>;
  publicationsPerFeedMessage: Sourced;
  priceUpdatePayloadBytes: Sourced;
  jobUpdatePayloadBytes: Sourced;
  itemsReadPerQuery: Sourced;
  /** Bytes a heartbeat carries per market it lists (docs/live-state.md). */
  heartbeatBytesPerMarket: Sourced;
  /** Event creations and changes a day, per ten markets. */
  eventChangesPerDayPerTenMarkets: Sourced;
  fanoutCallMs: Sourced;
  connectionItemBytes: Sourced;
}

const assumed = (value: number, note: string): Sourced => ({ value, source: 'assumed', note });
const measured = (value: number, note: string): Sourced => ({ value, source: 'measured', note });

const DEFAULTS = {
  // The heartbeat function runs for most of each minute: it publishes every 3 s from 0 to 57 s.
  durationMs: { ingest: 60, pricing: 40, jobs: 2000, heartbeat: 57_500, events: 50, other: 50 } as Record<FunctionRole, number>,
  logBytes: { ingest: 450, pricing: 600, jobs: 1500, heartbeat: 2000, events: 400, other: 400 } as Record<FunctionRole, number>,
  itemBytes: { events: 300, markets: 700, prices: 650, publications: 150, jobs: 500, feedMessages: 150, other: 500 } as Record<TableRole, number>,
};

/**
 * Turns a calibration (or none) into the model's assumptions, each saying whether it was measured
 * on the local system or assumed, and why.
 */
export function resolveAssumptions(calibration?: Calibration): Assumptions {
  const at = calibration ? `${calibration.measuredAt.slice(0, 10)}, ${calibration.feedMessages} feed messages over ${calibration.durationSeconds} s` : '';
  const fromCalibration = <K extends string>(values: Partial<Record<K, number>> | undefined, key: K, fallback: number, what: string, why: string): Sourced => {
    const value = values?.[key];
    return value !== undefined && Number.isFinite(value) && value > 0 ? measured(value, `${what} (cost/calibration.json, ${at})`) : assumed(fallback, why);
  };
  const roles: FunctionRole[] = ['ingest', 'pricing', 'jobs', 'heartbeat', 'events', 'other'];
  const tables: TableRole[] = ['events', 'markets', 'prices', 'publications', 'jobs', 'feedMessages', 'other'];
  const record = <K extends string>(keys: K[], make: (key: K) => Sourced) => Object.fromEntries(keys.map((k) => [k, make(k)])) as Record<K, Sourced>;
  return {
    durationMs: record(roles, (role) =>
      fromCalibration(
        calibration?.lambdaDurationMs,
        role,
        DEFAULTS.durationMs[role],
        `median REPORT Duration of the ${role} function, local workers (not AWS's hardware)`,
        role === 'heartbeat'
          ? 'the heartbeat function runs for most of each minute: it publishes every 3 s from 0 to 57 s (functions/heartbeat/)'
          : `no measurement of the ${role} function: a typical DynamoDB-bound Node.js handler`,
      ),
    ),
    recordsPerInvocation: fromCalibration(calibration?.recordsPerInvocation, 'pricing', 1, 'stream records per price-engine invocation', 'one record per invocation: the most invocations a batch window of 0 can give'),
    ingestMessagesPerInvocation:
      calibration && calibration.feedMessagesPerIngestInvocation > 0
        ? measured(calibration.feedMessagesPerIngestInvocation, `feed messages per ingestFeed call while the ingest duration was measured (cost/calibration.json, ${at})`)
        : assumed(3, 'the assumed ingest duration is for a batch of 3 messages'),
    logBytesPerInvocation: record(roles, (role) =>
      fromCalibration(calibration?.logBytesPerInvocation, role, DEFAULTS.logBytes[role], `bytes the ${role} function logs per invocation, START/END/REPORT included`, 'START, END and REPORT lines plus one JSON log line'),
    ),
    itemBytes: record(tables, (table) =>
      fromCalibration(calibration?.itemBytes, table, DEFAULTS.itemBytes[table], `mean item size of a scanned sample of the ${table} table (DynamoDB's rule: names plus values)`, `no sample of the ${table} table: size of its documented item (docs/data-model.md)`),
    ),
    writesPerFeedMessage: {
      markets: fromCalibration(calibration?.writesPerFeedMessage, 'markets', 1, 'markets stream records per feed message', 'a probabilities message updates its market once'),
      feedMessages: fromCalibration(calibration?.writesPerFeedMessage, 'feedMessages', 1, 'ledger items per feed message', 'one ledger entry per message (functions/ingest-feed/ingest.ts)'),
      prices: fromCalibration(calibration?.writesPerFeedMessage, 'prices', 1, 'price-history items per feed message', 'each repricing stores one PriceUpdate'),
    },
    publicationsPerFeedMessage:
      calibration && calibration.publicationsPerFeedMessage > 0
        ? measured(calibration.publicationsPerFeedMessage, `onPriceUpdate messages a subscriber received per feed message (cost/calibration.json, ${at})`)
        : assumed(1, 'one publishPriceUpdate per repriced market'),
    priceUpdatePayloadBytes:
      calibration && calibration.priceUpdatePayloadBytes > 0
        ? measured(calibration.priceUpdatePayloadBytes, `bytes of the onPriceUpdate data frame a real subscriber received (cost/calibration.json, ${at})`)
        : assumed(1200, 'a three-selection PriceUpdate with decimal, fractional and American prices'),
    jobUpdatePayloadBytes: assumed(500, 'an onJobUpdate frame with progress and message'),
    itemsReadPerQuery: assumed(4, 'a board query reads an event and a few markets (eventually consistent)'),
    heartbeatBytesPerMarket: assumed(75, 'one {"marketId","eventId","version"} entry of a heartbeat\'s JSON with ids like the demo\'s'),
    eventChangesPerDayPerTenMarkets: assumed(4, 'an event is created, goes live, finishes and is amended about once'),
    fanoutCallMs: assumed(2, 'API Gateway fan-out: postToConnection calls made 50 at a time at ~100 ms each; UNVERIFIED'),
    connectionItemBytes: assumed(200, 'a connection or subscription item of a self-built WebSocket registry'),
  };
}
