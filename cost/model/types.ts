/**
 * The cost model's inputs. Plain data, no Node imports, so the web console bundles the same
 * model the CLI runs.
 */

/** What the synthesized app deploys, as far as cost is concerned (read by cost/assembly.ts). */
export interface AppResources {
  functions: FunctionResource[];
  tables: TableResource[];
  apis: { name: string; authModes: string[]; xrayEnabled: boolean; fieldLogLevel: string }[];
  userPools: { name: string; tier: string }[];
  alarms: number;
  logGroups: { name: string; retentionDays: number | null }[];
}

/** The part the workload drives, by what it does in the pipeline. */
export type FunctionRole = 'ingest' | 'pricing' | 'jobs' | 'heartbeat' | 'events' | 'other';

export interface FunctionResource {
  logicalId: string;
  role: FunctionRole;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: 'arm64' | 'x86_64';
  tracing: boolean;
  /** Records per invocation from its stream event source mapping (BatchSize), when it has one. */
  streamBatchSize?: number;
  /** Days price history is kept (PRICE_HISTORY_TTL_DAYS of the pricing function). */
  environment: Record<string, string>;
}

export type TableRole = 'events' | 'markets' | 'prices' | 'publications' | 'jobs' | 'feedMessages' | 'other';

export interface TableResource {
  logicalId: string;
  role: TableRole;
  onDemand: boolean;
  pointInTimeRecovery: boolean;
  stream: boolean;
  ttl: boolean;
  /** GSIs that copy every attribute (ProjectionType ALL): each base write is written again there. */
  gsisProjectingAll: number;
}

/** A number with where it came from, so the output can say which numbers were measured. */
export interface Sourced<T = number> {
  value: T;
  source: 'measured' | 'assumed';
  /** For assumed values: why this value. For measured: how. */
  note: string;
}

/** What `npm run cost -- --calibrate` measured on the local system (cost/calibration.json). */
export interface Calibration {
  measuredAt: string;
  machine: string;
  /** The machine's 1-minute load average before and after the feed (a busy machine runs slower). */
  loadAverage?: { before: number; after: number };
  command: string;
  durationSeconds: number;
  feedMessages: number;
  /** Median duration per invocation, per function role. */
  lambdaDurationMs: Partial<Record<FunctionRole, number>>;
  /** Invocations observed per function role. */
  lambdaInvocations: Partial<Record<FunctionRole, number>>;
  /** Feed messages one ingest invocation handled (the demo sends its markets in one batch). */
  feedMessagesPerIngestInvocation: number;
  /** Stream records handed to one invocation, on average. */
  recordsPerInvocation: Partial<Record<FunctionRole, number>>;
  /** Bytes of function log output per invocation (CloudWatch Logs ingestion). */
  logBytesPerInvocation: Partial<Record<FunctionRole, number>>;
  /** Mean item size in bytes (DynamoDB's size rules: attribute names plus values), per table role. */
  itemBytes: Partial<Record<TableRole, number>>;
  /** Item writes per feed message, per table role (new items plus stream-recorded changes). */
  writesPerFeedMessage: Partial<Record<TableRole, number>>;
  publicationsPerFeedMessage: number;
  /** Bytes of the serialized `data` frame of one onPriceUpdate, as a subscriber received it. */
  priceUpdatePayloadBytes: number;
  /** The app the numbers were measured on, so the web console can price it without an assembly. */
  app: AppResources;
}

export interface WorkloadProfile {
  name: string;
  description?: string;
  clients: {
    /** Clients connected at once while they are connected. */
    connected: number;
    subscriptionsPerClient: number;
    hoursConnectedPerDay: number;
    /** Connections each client opens a day (each reconnect is one). */
    connectionsPerDay: number;
  };
  feed: {
    messagesPerSecond: number;
    /** Messages sent in one ingestFeed call. */
    messagesPerBatch: number;
    /** Partner feeds the messages are spread over (each feed's ledger is one DynamoDB partition). */
    feeds: number;
    markets: number;
    hoursPerDay: number;
  };
  priceUpdates: {
    perSecond: number;
    /** Subscriptions each update reaches, on average. */
    fanout: number;
    /** Updates a second of the busiest market. */
    hottestMarketPerSecond: number;
  };
  api: { queriesPerSecond: number; mutationsPerSecond: number; hoursPerDay: number };
  jobs: { perDay: number; updatesPerJob: number };
  users: { monthlyActive: number };
}

export interface PriceEntry {
  usd: number;
  value?: number;
  unit: string;
  source: string;
  read: string;
  verified: boolean;
  note?: string;
}

export interface QuotaEntry {
  value: number;
  adjustable: boolean;
  source: string;
  read: string;
  verified: boolean;
  note?: string;
}

export interface PriceBook {
  region: string;
  currency: string;
  note: string;
  prices: Record<string, PriceEntry>;
  quotas: Record<string, QuotaEntry>;
}
