import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ScanCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import WebSocket from 'ws';
import { createAppSyncClient } from '../sdk/appsync-client.ts';
import { createDemoFeed, demoEvent } from '../client/demo/demo-feed.ts';
import { runDemoFeed } from '../client/demo/run-demo-feed.ts';
import { synthesize } from '../local/assembly/synth.ts';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime.ts';
import type { SeedUser } from '../local/cognito/provision.ts';
import { ON_PRICE_UPDATE } from '../sdk/live-markets/operations.ts';
import { START_JOB } from '../web/src/graphql/operations.ts';
import { readAppResources } from './assembly.ts';
import { itemSizeBytes, type AttributeValue } from './model/item-size.ts';
import type { AppResources, Calibration, FunctionRole, TableRole } from './model/types.ts';

interface Options {
  projectDir: string;
  seconds: number;
  out: string;
  log?: (line: string) => void;
}

/**
 * Runs the local system (the synthesized app, its Lambdas, DynamoDB Local) under the demo feed
 * for `seconds`, with one real subscriber, and writes what it measured: Lambda durations and log
 * volume per function (from the REPORT lines the local Lambda service writes), item sizes per
 * table (a scanned sample), writes and publications per feed message, and the size of an
 * onPriceUpdate data frame as the subscriber received it.
 */
export async function calibrate(options: Options): Promise<Calibration> {
  const log = options.log ?? ((line: string) => console.log(`[calibrate] ${line}`));
  if (!(options.seconds >= 5 && options.seconds <= 120)) throw new Error(`--seconds must be between 5 and 120, got ${options.seconds}`);
  const work = mkdtempSync(join(tmpdir(), 'pricestream-calibrate-'));
  let runtime: LocalRuntime | undefined;
  try {
    log('synthesizing the CDK app');
    const assemblyDir = await synthesize({ projectDir: options.projectDir, outDir: join(work, 'cdk.out') });
    const app = readAppResources(assemblyDir);
    const reports = new Map<string, { durations: number[]; logBytes: number }>();
    const { users } = JSON.parse(readFileSync(new URL('../client/demo/users.json', import.meta.url), 'utf8')) as { users: SeedUser[] };
    log('starting the local system (DynamoDB Local, cognito-local, Lambda workers, AppSync)');
    runtime = await startLocalRuntime({
      assemblyDir,
      stateDir: join(work, 'state'),
      persistent: false,
      port: 0,
      users,
      // The runtime's start-up steps show progress; per-message real-time events would flood it.
      log: (line) => (line.startsWith('realtime ') ? undefined : log(`  local: ${line}`)),
      functionLog: (line) => recordFunctionLine(reports, line),
    });
    const api = runtime.apis[0];
    const partner = runtime.credentials.find((c) => c.name.startsWith('PartnerFeedRole'));
    if (!api || !partner) throw new Error('calibration needs the Pricestream app: an AppSync API and the PartnerFeedRole');
    const roleOf = new Map(runtime.model.functions.map((fn) => [fn.functionName, app.functions.find((f) => f.logicalId === fn.logicalId)?.role ?? 'other']));

    const subscriber = await subscribe(api.graphqlUrl, api.model.apiKeys[0]!.value);
    let feedMessages = 0;
    const feed = createDemoFeed(`calibrate-${Date.now()}`);
    const counted = {
      feedId: feed.feedId,
      opening: () => counting(feed.opening()),
      tick: () => counting(feed.tick()),
    };
    function counting<T extends unknown[]>(messages: T): T {
      feedMessages += messages.length;
      return messages;
    }
    const client = createAppSyncClient({ endpoint: api.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: partner } });
    log(`opening the demo event, then feeding ${demoEvent.markets.length} markets every 500 ms for ${options.seconds} s`);
    const started = Date.now();
    const loadBefore = loadavg()[0]!;
    const progress = setInterval(() => {
      const invocations = [...reports.values()].reduce((sum, r) => sum + r.durations.length, 0);
      log(`${Math.round((Date.now() - started) / 1000)} s: ${feedMessages} feed messages sent, ${subscriber.updates.length} price updates received, ${invocations} Lambda invocations`);
    }, 5_000);
    try {
      const runner = await runDemoFeed({ client, feed: counted, intervalMs: 500, reportEveryMs: 3_600_000, log });
      await new Promise((r) => setTimeout(r, options.seconds * 1000));
      await runner.stop();
      // The last messages are still in the pipeline: wait (bounded) until the subscriber stops receiving.
      await settle(() => subscriber.updates.length, 10_000);
    } finally {
      clearInterval(progress);
      client.close();
    }
    subscriber.close();
    log(`fed ${feedMessages} messages; the subscriber received ${subscriber.updates.length} price updates`);

    const dynamodb = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const streams = new DynamoDBStreamsClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const itemBytes: Partial<Record<TableRole, number>> = {};
    const itemCounts: Partial<Record<TableRole, number>> = {};
    const streamRecords: Partial<Record<TableRole, number>> = {};
    for (const table of runtime.model.tables) {
      const role = app.tables.find((t) => t.logicalId === table.logicalId)?.role ?? 'other';
      const items = await scanAll(dynamodb, table.tableName);
      itemCounts[role] = items.length;
      if (items.length > 0) itemBytes[role] = Math.round(items.reduce((sum, item) => sum + itemSizeBytes(item as Record<string, AttributeValue>), 0) / items.length);
      if (table.streamViewType) streamRecords[role] = await countStreamRecords(streams, table.tableName);
    }
    streams.destroy();

    // One job (REPRICE_EVENT of the demo event) started by the trader, for the job-runner's duration and the jobs table.
    const jobsBefore = invocationsOf(reports, roleOf, 'jobs');
    await startRepriceJob(runtime, users);
    log('started a REPRICE_EVENT job as the trader; waiting for the job-runner');
    await waitFor(() => invocationsOf(reports, roleOf, 'jobs') > jobsBefore, 30_000, 'the job-runner to run the job');
    const jobsTable = runtime.model.tables.find((t) => app.tables.find((a) => a.logicalId === t.logicalId)?.role === 'jobs');
    if (jobsTable) {
      const jobs = await scanAll(dynamodb, jobsTable.tableName);
      if (jobs.length > 0) itemBytes.jobs = Math.round(jobs.reduce((sum, item) => sum + itemSizeBytes(item as Record<string, AttributeValue>), 0) / jobs.length);
    }
    dynamodb.destroy();

    const byRole = (pick: (r: { durations: number[]; logBytes: number }) => number, combine: 'median' | 'sum' | 'perInvocation') => {
      const out: Partial<Record<FunctionRole, number>> = {};
      for (const [fn, r] of reports) {
        const role = roleOf.get(fn) ?? 'other';
        if (r.durations.length === 0) continue;
        out[role] = combine === 'median' ? median(r.durations) : combine === 'sum' ? pick(r) : pick(r) / r.durations.length;
      }
      return out;
    };
    const invocations = byRole((r) => r.durations.length, 'sum');
    const calibration: Calibration = {
      measuredAt: new Date().toISOString(),
      machine: `${hostname()}: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
      // A shared machine's load inflates durations: the 1-minute load average before and after the feed.
      loadAverage: { before: round2(loadBefore), after: round2(loadavg()[0]!) },
      command: `npm run cost -- --calibrate --seconds ${options.seconds}`,
      durationSeconds: options.seconds,
      feedMessages,
      lambdaDurationMs: round(byRole(() => 0, 'median')),
      lambdaInvocations: invocations,
      feedMessagesPerIngestInvocation: invocations.ingest ? round2(feedMessages / invocations.ingest) : 0,
      recordsPerInvocation: invocations.pricing && streamRecords.markets ? { pricing: round2(streamRecords.markets / invocations.pricing) } : {},
      logBytesPerInvocation: round(byRole((r) => r.logBytes, 'perInvocation')),
      itemBytes,
      writesPerFeedMessage: {
        ...(streamRecords.markets !== undefined && { markets: round2(streamRecords.markets / feedMessages) }),
        ...(itemCounts.feedMessages !== undefined && { feedMessages: round2(itemCounts.feedMessages / feedMessages) }),
        ...(itemCounts.prices !== undefined && { prices: round2(itemCounts.prices / feedMessages) }),
      },
      publicationsPerFeedMessage: round2(subscriber.updates.length / feedMessages),
      priceUpdatePayloadBytes: Math.round(mean(subscriber.updates)),
      app: stripEnvironment(app),
    };
    writeFileSync(options.out, `${JSON.stringify(calibration, null, 2)}\n`);
    log(`wrote ${options.out}`);
    return calibration;
  } finally {
    await runtime?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function invocationsOf(reports: Map<string, { durations: number[] }>, roleOf: Map<string, FunctionRole>, role: FunctionRole): number {
  return [...reports].filter(([fn]) => roleOf.get(fn) === role).reduce((sum, [, r]) => sum + r.durations.length, 0);
}

async function startRepriceJob(runtime: LocalRuntime, users: SeedUser[]): Promise<void> {
  const trader = users.find((u) => u.groups?.includes('traders'));
  const pool = runtime.model.userPools[0];
  if (!trader || !pool?.clients[0] || !runtime.cognitoEndpoint) throw new Error('calibration needs a user in the traders group and the app user pool to start a job');
  const cognito = new CognitoIdentityProviderClient({ endpoint: runtime.cognitoEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clients[0].clientId, AuthParameters: { USERNAME: trader.username, PASSWORD: trader.password } }),
    );
    const token = AuthenticationResult?.AccessToken;
    if (!token) throw new Error(`signing in as ${trader.username} gave no access token`);
    const client = createAppSyncClient({ endpoint: runtime.apis[0]!.graphqlUrl, region: runtime.region, auth: { type: 'AMAZON_COGNITO_USER_POOLS', token } });
    await client.request(START_JOB, { type: 'REPRICE_EVENT', params: JSON.stringify({ eventId: demoEvent.id }) });
    client.close();
  } finally {
    cognito.destroy();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `[<function name>] REPORT RequestId: … Duration: 12.34 ms …` — the Lambda service's platform line. */
function recordFunctionLine(reports: Map<string, { durations: number[]; logBytes: number }>, line: string): void {
  const match = /^\[([^\]]+)\] (.*)$/s.exec(line);
  if (!match) return;
  const [, fn, text] = match as unknown as [string, string, string];
  const entry = reports.get(fn) ?? { durations: [], logBytes: 0 };
  reports.set(fn, entry);
  entry.logBytes += Buffer.byteLength(text) + 1;
  const duration = /^REPORT RequestId: \S+\tDuration: ([\d.]+) ms/.exec(text);
  if (duration) entry.durations.push(Number(duration[1]));
}

/** One subscriber over plain `ws://`, API key auth: the size of each onPriceUpdate `data` frame it receives. */
async function subscribe(graphqlUrl: string, apiKey: string): Promise<{ updates: number[]; close(): void }> {
  const url = new URL(graphqlUrl);
  const auth = { host: url.host, 'x-api-key': apiKey };
  const socket = new WebSocket(`ws://${url.host}${url.pathname}/realtime`, ['graphql-ws', `header-${Buffer.from(JSON.stringify(auth)).toString('base64url')}`]);
  const updates: number[] = [];
  let acknowledged: () => void = () => {};
  let failed: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    acknowledged = resolve;
    failed = reject;
  });
  socket.on('message', (raw: Buffer) => {
    const frame = JSON.parse(raw.toString()) as { type: string; payload?: unknown };
    if (frame.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: 'calibrate', type: 'start', payload: { data: JSON.stringify({ query: ON_PRICE_UPDATE, variables: { eventId: demoEvent.id } }), extensions: { authorization: auth } } }));
    } else if (frame.type === 'start_ack') acknowledged();
    else if (frame.type === 'data') updates.push(raw.length);
    else if (frame.type === 'error' || frame.type === 'connection_error') failed(new Error(`the subscriber was refused: ${raw.toString()}`));
  });
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  socket.on('error', (error) => failed(error));
  const timer = setTimeout(() => failed(new Error('the subscriber got no start_ack within 10 s')), 10_000);
  await ready.finally(() => clearTimeout(timer));
  return { updates, close: () => socket.close() };
}

async function scanAll(client: DynamoDBClient, tableName: string): Promise<Record<string, SdkAttributeValue>[]> {
  const items: Record<string, SdkAttributeValue>[] = [];
  let start: Record<string, SdkAttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every record on the table's stream from its start: the item writes that changed something. */
async function countStreamRecords(client: DynamoDBStreamsClient, tableName: string): Promise<number> {
  const { Streams } = await client.send(new ListStreamsCommand({ TableName: tableName }));
  let count = 0;
  for (const stream of Streams ?? []) {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: stream.StreamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      let iterator = (await client.send(new GetShardIteratorCommand({ StreamArn: stream.StreamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      // An open shard always returns an iterator; stop at the first empty page.
      for (let pages = 0; iterator && pages < 1000; pages++) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        count += page.Records?.length ?? 0;
        if ((page.Records?.length ?? 0) === 0) break;
        iterator = page.NextShardIterator;
      }
    }
  }
  return count;
}

/** Resolves once `value` has not changed for a second, or after `timeoutMs`. */
async function settle(value: () => number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = value();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < 1000) {
    await new Promise((r) => setTimeout(r, 100));
    if (value() !== last) {
      last = value();
      stableSince = Date.now();
    }
  }
}

function stripEnvironment(app: AppResources): AppResources {
  // Only what the model reads from a function's environment is kept (the rest names local tables and URLs).
  return { ...app, functions: app.functions.map((fn) => ({ ...fn, environment: Object.fromEntries(Object.entries(fn.environment).filter(([k]) => k === 'PRICE_HISTORY_TTL_DAYS')) })) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const round2 = (value: number) => Math.round(value * 100) / 100;
function round<K extends string>(values: Partial<Record<K, number>>): Partial<Record<K, number>> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round2(v as number)])) as Partial<Record<K, number>>;
}
