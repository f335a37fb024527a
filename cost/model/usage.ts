import { HEARTBEAT_MESSAGE_MAX_BYTES } from '../../functions/domain/live/heartbeat.ts';
import type { Assumptions } from './assumptions.ts';
import type { AppResources, FunctionResource, FunctionRole, TableResource, TableRole, WorkloadProfile } from './types.ts';
import { DAYS_PER_MONTH, GIB, meteredMessages, readRequestUnits, sampledPerSecond, writeRequestUnits } from './units.ts';

/**
 * Load ×m: m times the clients (so each update also reaches m times the subscriptions), the feed,
 * the price updates, queries, mutations, jobs and users. Deliveries therefore grow as m².
 */
export function scaleProfile(profile: WorkloadProfile, m: number): WorkloadProfile {
  return {
    ...profile,
    clients: { ...profile.clients, connected: profile.clients.connected * m },
    feed: { ...profile.feed, messagesPerSecond: profile.feed.messagesPerSecond * m },
    priceUpdates: {
      perSecond: profile.priceUpdates.perSecond * m,
      fanout: profile.priceUpdates.fanout * m,
      hottestMarketPerSecond: profile.priceUpdates.hottestMarketPerSecond * m,
    },
    api: { ...profile.api, queriesPerSecond: profile.api.queriesPerSecond * m, mutationsPerSecond: profile.api.mutationsPerSecond * m },
    jobs: { ...profile.jobs, perDay: profile.jobs.perDay * m },
    users: { monthlyActive: profile.users.monthlyActive * m },
  };
}

/** Rates a second while the feed, the API and the clients are live: what the quotas are held against. */
export interface PeakRates {
  feedCalls: number;
  feedMessages: number;
  publishes: number;
  jobUpdates: number;
  deliveries: number;
  outboundMessages: number;
  inboundMessages: number;
  connectionsOpened: number;
  appsyncRequests: number;
  invocations: Record<FunctionRole, number>;
  lambdaConcurrency: number;
  hotPartitions: { name: string; table: TableRole; writeUnits: number }[];
}

/** Quantities a month, per meter. */
export interface MonthlyUsage {
  appsync: { requests: number; realtimeUpdates: number; deliveredMessages: number; connectionMinutes: number; deliveries: number; heartbeatDeliveries: number; payloadGb: number };
  lambda: { role: FunctionRole; logicalId: string; architecture: 'arm64' | 'x86_64'; invocations: number; gbSeconds: number; durationMs: number; memoryMb: number }[];
  dynamodb: { table: TableRole; logicalId: string; writeRequestUnits: number; readRequestUnits: number; storageGb: number; pitrGb: number; streamReadRequestUnits: number; streamRecords: number }[];
  cognitoMau: number;
  cloudwatch: { logsIngestedGb: number; logsStoredGb: number; alarms: number };
  xrayTraces: number;
  dataTransferGb: number;
}

export function functionFor(app: AppResources, role: FunctionRole): FunctionResource | undefined {
  return app.functions.find((f) => f.role === role);
}

function tableFor(app: AppResources, role: TableRole): TableResource | undefined {
  return app.tables.find((t) => t.role === role);
}

/**
 * Duration of one invocation: as measured, except that an ingest invocation takes as long per
 * message as it did when measured, times the profile's batch size (messages are applied one by one).
 */
export function durationMs(role: FunctionRole, p: WorkloadProfile, a: Assumptions): number {
  const measured = a.durationMs[role].value;
  return role === 'ingest' ? (measured / a.ingestMessagesPerInvocation.value) * p.feed.messagesPerBatch : measured;
}

/** A heartbeat message's bytes besides its markets: `at`, `intervalSeconds` and the JSON around them. */
const HEARTBEAT_HEAD_BYTES = 120;

/**
 * The heartbeat (docs/live-state.md): every interval, all day, a beat listing every market's
 * last published version, in as many messages as keep each under HEARTBEAT_MESSAGE_MAX_BYTES,
 * each delivered to every connected client (onHeartbeat has no filter); and one function
 * invocation a minute that runs for most of it. `beatsPerSecond` counts beats (one table scan
 * each), `perSecond` their messages (one publish each); `payloadBytes` and `units` are one message's.
 */
export function heartbeatLoad(app: AppResources, p: WorkloadProfile, a: Assumptions): { beatsPerSecond: number; perSecond: number; payloadBytes: number; units: number } {
  const fn = functionFor(app, 'heartbeat');
  if (!fn) return { beatsPerSecond: 0, perSecond: 0, payloadBytes: 0, units: 0 };
  const intervalSeconds = Number(fn.environment.HEARTBEAT_INTERVAL_SECONDS ?? 3);
  const marketBytes = p.feed.markets * a.heartbeatBytesPerMarket.value;
  const messages = Math.max(1, Math.ceil(marketBytes / (HEARTBEAT_MESSAGE_MAX_BYTES - HEARTBEAT_HEAD_BYTES)));
  const payloadBytes = HEARTBEAT_HEAD_BYTES + marketBytes / messages;
  return { beatsPerSecond: 1 / intervalSeconds, perSecond: messages / intervalSeconds, payloadBytes, units: meteredMessages(payloadBytes, 5120) };
}

/** Event creations and changes a second (the event-publisher function's stream records). */
function eventChangesPerSecond(p: WorkloadProfile, a: Assumptions): number {
  return ((p.feed.markets / 10) * a.eventChangesPerDayPerTenMarkets.value) / 86_400;
}

export function peakRates(app: AppResources, p: WorkloadProfile, a: Assumptions): PeakRates {
  const heartbeat = heartbeatLoad(app, p, a);
  const feedCalls = p.feed.messagesPerSecond / p.feed.messagesPerBatch;
  const jobUpdates = (p.jobs.perDay * p.jobs.updatesPerJob) / 86_400;
  const heartbeatDeliveries = p.clients.connected * heartbeat.perSecond;
  const deliveries = p.priceUpdates.perSecond * p.priceUpdates.fanout + heartbeatDeliveries;
  const outboundMessages = p.priceUpdates.perSecond * p.priceUpdates.fanout * meteredMessages(a.priceUpdatePayloadBytes.value, 5120) + heartbeatDeliveries * heartbeat.units + jobUpdates;
  const connectedSeconds = p.clients.hoursConnectedPerDay * 3600;
  const connectionsOpened = connectedSeconds > 0 ? (p.clients.connected * p.clients.connectionsPerDay) / connectedSeconds : 0;
  const marketRecords = p.feed.messagesPerSecond * a.writesPerFeedMessage.markets.value + p.api.mutationsPerSecond;
  const invocations: Record<FunctionRole, number> = {
    ingest: functionFor(app, 'ingest') ? feedCalls : 0,
    pricing: functionFor(app, 'pricing') ? marketRecords / a.recordsPerInvocation.value : 0,
    jobs: functionFor(app, 'jobs') ? p.jobs.perDay / 86_400 : 0,
    heartbeat: functionFor(app, 'heartbeat') ? 1 / 60 : 0,
    events: functionFor(app, 'events') ? eventChangesPerSecond(p, a) : 0,
    other: 0,
  };
  const lambdaConcurrency = (Object.keys(invocations) as FunctionRole[]).reduce((sum, role) => sum + invocations[role] * (durationMs(role, p, a) / 1000), 0);
  const market = a.itemBytes.markets.value;
  const hotPartitions = [
    { name: 'hottest market item (MarketsTable, transactional write per feed message)', table: 'markets' as const, writeUnits: p.priceUpdates.hottestMarketPerSecond * writeRequestUnits(market, { transactional: true }) },
    { name: "hottest market's price history (PricesTable partition)", table: 'prices' as const, writeUnits: p.priceUpdates.hottestMarketPerSecond * writeRequestUnits(a.itemBytes.prices.value) },
    {
      name: "one feed's ledger (FeedMessagesTable partition key feedId, transactional)",
      table: 'feedMessages' as const,
      writeUnits: (p.feed.messagesPerSecond / p.feed.feeds) * a.writesPerFeedMessage.feedMessages.value * writeRequestUnits(a.itemBytes.feedMessages.value, { transactional: true }),
    },
  ].filter((h) => tableFor(app, h.table));
  return {
    feedCalls,
    feedMessages: p.feed.messagesPerSecond,
    publishes: p.priceUpdates.perSecond,
    jobUpdates,
    deliveries,
    outboundMessages,
    // Each subscription field a mutation invokes is one inbound message (AppSync monitoring docs).
    inboundMessages: p.priceUpdates.perSecond + jobUpdates + heartbeat.perSecond,
    connectionsOpened,
    appsyncRequests: feedCalls + p.priceUpdates.perSecond + jobUpdates + heartbeat.perSecond + p.api.queriesPerSecond + p.api.mutationsPerSecond + p.jobs.perDay / 86_400,
    invocations,
    lambdaConcurrency,
    hotPartitions,
  };
}

export function monthlyUsage(app: AppResources, p: WorkloadProfile, a: Assumptions): MonthlyUsage {
  const feedSeconds = p.feed.hoursPerDay * 3600 * DAYS_PER_MONTH;
  const apiSeconds = p.api.hoursPerDay * 3600 * DAYS_PER_MONTH;
  const jobsPerMonth = p.jobs.perDay * DAYS_PER_MONTH;
  const rates = peakRates(app, p, a);
  const heartbeat = heartbeatLoad(app, p, a);
  const secondsPerMonth = 86_400 * DAYS_PER_MONTH;
  const heartbeats = heartbeat.beatsPerSecond * secondsPerMonth;
  const heartbeatPublishes = heartbeat.perSecond * secondsPerMonth;
  const heartbeatDeliveries = p.clients.connected * p.clients.hoursConnectedPerDay * 3600 * DAYS_PER_MONTH * heartbeat.perSecond;

  const publishes = p.priceUpdates.perSecond * feedSeconds;
  const jobUpdates = jobsPerMonth * p.jobs.updatesPerJob;
  const deliveries = publishes * p.priceUpdates.fanout;
  const connections = p.clients.connected * p.clients.connectionsPerDay * DAYS_PER_MONTH;
  const deliveredMessages =
    deliveries * meteredMessages(a.priceUpdatePayloadBytes.value, 5120) + jobUpdates * meteredMessages(a.jobUpdatePayloadBytes.value, 5120) + heartbeatDeliveries * heartbeat.units;
  const requests = rates.feedCalls * feedSeconds + publishes + jobUpdates + heartbeatPublishes + jobsPerMonth + (p.api.queriesPerSecond + p.api.mutationsPerSecond) * apiSeconds;
  const payloadBytes = deliveries * a.priceUpdatePayloadBytes.value + jobUpdates * a.jobUpdatePayloadBytes.value + heartbeatDeliveries * heartbeat.payloadBytes;

  const invocationsPerMonth: Record<FunctionRole, number> = {
    ingest: rates.feedCalls * feedSeconds,
    pricing: (p.feed.messagesPerSecond * a.writesPerFeedMessage.markets.value * feedSeconds + p.api.mutationsPerSecond * apiSeconds) / a.recordsPerInvocation.value,
    jobs: jobsPerMonth,
    heartbeat: 60 * 24 * DAYS_PER_MONTH,
    events: eventChangesPerSecond(p, a) * secondsPerMonth,
    other: 0,
  };
  const lambda = app.functions.map((fn) => {
    const invocations = invocationsPerMonth[fn.role];
    const ms = durationMs(fn.role, p, a);
    return { role: fn.role, logicalId: fn.logicalId, architecture: fn.architecture, invocations, durationMs: ms, memoryMb: fn.memoryMb, gbSeconds: invocations * (Math.ceil(ms) / 1000) * (fn.memoryMb / 1024) };
  });

  const dynamodb = app.tables.map((table) => ({ table: table.role, logicalId: table.logicalId, ...tableUsage(app, table, p, a, { feedSeconds, apiSeconds, jobsPerMonth, publishes, heartbeats }) }));

  const logBytes = lambda.reduce((sum, fn) => sum + fn.invocations * a.logBytesPerInvocation[fn.role].value, 0);
  const logsIngestedGb = logBytes / GIB;
  const retentionDays = app.logGroups.length > 0 ? Math.max(...app.logGroups.map((g) => g.retentionDays ?? 3653)) : 30;

  // X-Ray: AppSync requests when the API traces, and each traced function's own invocations.
  const tracedApi = app.apis.some((api) => api.xrayEnabled);
  const tracedStreamFunctions = app.functions.filter((fn) => fn.tracing && fn.role !== 'ingest');
  const xrayTraces =
    (tracedApi ? sampledPerSecond(rates.appsyncRequests) * feedSeconds : 0) +
    tracedStreamFunctions.reduce((sum, fn) => sum + sampledPerSecond(rates.invocations[fn.role]) * (fn.role === 'jobs' || fn.role === 'heartbeat' ? secondsPerMonth : feedSeconds), 0);

  return {
    appsync: {
      requests,
      // Outbound messages plus WebSocket operations: a connection and each subscription started (the pricing page counts connections).
      realtimeUpdates: deliveredMessages + connections * (1 + p.clients.subscriptionsPerClient),
      deliveredMessages,
      connectionMinutes: p.clients.connected * p.clients.hoursConnectedPerDay * 60 * DAYS_PER_MONTH,
      deliveries,
      heartbeatDeliveries,
      payloadGb: payloadBytes / GIB,
    },
    lambda,
    dynamodb,
    cognitoMau: app.userPools.length > 0 ? p.users.monthlyActive : 0,
    cloudwatch: { logsIngestedGb, logsStoredGb: logsIngestedGb * Math.min(1, retentionDays / DAYS_PER_MONTH), alarms: app.alarms },
    xrayTraces,
    dataTransferGb: payloadBytes / GIB,
  };
}

/** Request units and storage of one table, from what the pipeline does to it (functions/, resolvers/). */
function tableUsage(
  app: AppResources,
  table: TableResource,
  p: WorkloadProfile,
  a: Assumptions,
  t: { feedSeconds: number; apiSeconds: number; jobsPerMonth: number; publishes: number; heartbeats: number },
): { writeRequestUnits: number; readRequestUnits: number; storageGb: number; pitrGb: number; streamReadRequestUnits: number; streamRecords: number } {
  const bytes = a.itemBytes[table.role].value;
  const feedMessages = p.feed.messagesPerSecond * t.feedSeconds;
  const gsiCopies = 1 + table.gsisProjectingAll;
  let writes = 0;
  let reads = 0;
  let storedItems = 0;
  let itemWrites = 0;
  switch (table.role) {
    case 'markets':
      // ingest-feed: a strongly consistent GetItem, then the market write in a TransactWriteItems (functions/ingest-feed/feed-store.ts).
      reads += feedMessages * readRequestUnits(bytes, 'strong');
      writes += feedMessages * a.writesPerFeedMessage.markets.value * (writeRequestUnits(bytes, { transactional: true }) + table.gsisProjectingAll * writeRequestUnits(bytes));
      // Trader mutations update a market (setMargin, setMarketStatus).
      writes += p.api.mutationsPerSecond * t.apiSeconds * writeRequestUnits(bytes) * gsiCopies;
      itemWrites = feedMessages * a.writesPerFeedMessage.markets.value + p.api.mutationsPerSecond * t.apiSeconds;
      // Board queries read markets, eventually consistent.
      reads += p.api.queriesPerSecond * t.apiSeconds * readRequestUnits(bytes * a.itemsReadPerQuery.value, 'eventual');
      storedItems = p.feed.markets;
      break;
    case 'feedMessages':
      writes += feedMessages * a.writesPerFeedMessage.feedMessages.value * writeRequestUnits(bytes, { transactional: true });
      // Ledger entries live 7 days (LEDGER_TTL_SECONDS in functions/ingest-feed/feed-store.ts).
      storedItems = p.feed.messagesPerSecond * p.feed.hoursPerDay * 3600 * 7 * a.writesPerFeedMessage.feedMessages.value;
      break;
    case 'prices': {
      const perPublication = a.writesPerFeedMessage.prices.value / a.publicationsPerFeedMessage.value;
      writes += t.publishes * perPublication * writeRequestUnits(bytes) * gsiCopies;
      const ttlDays = Number(functionFor(app, 'pricing')?.environment.PRICE_HISTORY_TTL_DAYS ?? 30);
      storedItems = p.priceUpdates.perSecond * perPublication * p.feed.hoursPerDay * 3600 * ttlDays;
      break;
    }
    case 'jobs':
      writes += t.jobsPerMonth * (1 + p.jobs.updatesPerJob) * writeRequestUnits(bytes) * gsiCopies;
      itemWrites = t.jobsPerMonth * (1 + p.jobs.updatesPerJob);
      reads += t.jobsPerMonth * readRequestUnits(bytes, 'strong');
      storedItems = p.jobs.perDay * 30;
      break;
    case 'events':
      // One event item per ten markets, read by board queries; created and changed by the feed.
      reads += p.api.queriesPerSecond * t.apiSeconds * readRequestUnits(bytes, 'eventual');
      itemWrites = eventChangesPerSecond(p, a) * 86_400 * DAYS_PER_MONTH;
      writes += itemWrites * writeRequestUnits(bytes, { transactional: true });
      storedItems = Math.ceil(p.feed.markets / 10);
      break;
    case 'publications':
      // price-engine: reads a market's last publication and writes the new one
      // (functions/price-engine/publications.ts); the heartbeat scans them all each beat, strongly
      // consistent (functions/heartbeat/handler.ts).
      writes += t.publishes * writeRequestUnits(bytes);
      reads += t.publishes * readRequestUnits(bytes, 'strong') + t.heartbeats * readRequestUnits(bytes * p.feed.markets, 'strong');
      storedItems = p.feed.markets;
      break;
    case 'other':
      break;
  }
  const storageGb = (storedItems * (bytes + 100)) / GIB; // +100 bytes of per-item overhead DynamoDB counts for storage.
  // Stream records read by a Lambda event source mapping are free (DynamoDB pricing); no other reader here.
  return { writeRequestUnits: writes, readRequestUnits: reads, storageGb, pitrGb: table.pointInTimeRecovery ? storageGb : 0, streamReadRequestUnits: 0, streamRecords: table.stream ? itemWrites : 0 };
}
