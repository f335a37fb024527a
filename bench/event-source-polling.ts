/**
 * DynamoDB Streams polling interval: write-to-handler latency against idle CPU cost.
 *
 *   node bench/event-source-polling.ts [intervalMs ...]     (default: 10 25 50 100 250)
 *
 * For each interval: one mapping on an idle table for IDLE_S seconds (CPU of this process and of
 * DynamoDB Local's JVM, from /proc), then WRITES single-item writes at random offsets, each timed
 * from just before PutItem to the moment the handler runs (its Date.now(), same machine clock).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb/server.ts';
import { startEventSourceMappings } from '../local/event-sources/index.ts';
import { startLambdaService } from '../local/lambda/index.ts';

const IDLE_S = 10;
const WRITES = 60;
const intervals = process.argv.slice(2).map(Number).filter((n) => n > 0);
const REGION = 'us-east-1';

const code = mkdtempSync(join(tmpdir(), 'bench-esm-code-'));
writeFileSync(
  join(code, 'index.mjs'),
  `import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  const at = Date.now();
  for (const r of event.Records) appendFileSync(process.env.OUT, JSON.stringify({ id: r.dynamodb.Keys.id.S, at }) + '\\n');
  return {};
};
`,
);

const dynamo = await startDynamoDbLocal();
const port = new URL(dynamo.endpoint).port;
const jvm = findJvm(port);
const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
const rows: string[] = [];

for (const interval of intervals.length > 0 ? intervals : [10, 25, 50, 100, 250]) {
  const table = `Bench${interval}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const out = join(mkdtempSync(join(tmpdir(), 'bench-esm-out-')), 'seen.jsonl');
  writeFileSync(out, '');
  const lambda = startLambdaService({
    functions: [
      { stackName: 'Bench', logicalId: 'F', functionName: `consumer${interval}`, arn: `arn:aws:lambda:${REGION}:000000000000:function:consumer${interval}`, handler: 'index.handler', runtime: 'nodejs24.x', codeDir: code, timeoutSeconds: 30, memoryMb: 128, environment: { OUT: out } },
    ],
    region: REGION,
    accountId: '000000000000',
    credentialsFor: () => undefined,
    endpoints: {},
    log: () => {},
  });
  const mappings = await startEventSourceMappings({
    mappings: [
      {
        stackName: 'Bench', logicalId: 'M', uuid: `m-${interval}`, functionName: `consumer${interval}`,
        eventSourceArn: `arn:aws:dynamodb:${REGION}:000000000000:table/${table}/stream/2026-01-01T00:00:00.000`, sourceTableName: table,
        enabled: true, batchSize: 100, maximumBatchingWindowSeconds: 0, startingPosition: 'LATEST', maximumRetryAttempts: -1,
        bisectBatchOnFunctionError: false, maximumRecordAgeSeconds: -1, functionResponseTypes: [], filterPatterns: [], parallelizationFactor: 1,
      },
    ],
    dynamodbEndpoint: dynamo.endpoint,
    region: REGION,
    lambda,
    stateDir: mkdtempSync(join(tmpdir(), 'bench-esm-state-')),
    persistent: false,
    log: () => {},
    tuning: { pollIntervalMs: interval },
  });
  // Warm the function (its first invoke loads the module).
  await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'warm-up' } } }));
  await waitFor(() => readFileSync(out, 'utf8').includes('warm-up'));

  const cpuBefore = process.cpuUsage();
  const jvmBefore = jvm ? jvmCpuMs(jvm) : 0;
  await sleep(IDLE_S * 1000);
  const nodeCpu = process.cpuUsage(cpuBefore);
  const nodeIdlePct = ((nodeCpu.user + nodeCpu.system) / 1000 / (IDLE_S * 1000)) * 100;
  const jvmIdlePct = jvm ? ((jvmCpuMs(jvm) - jvmBefore) / (IDLE_S * 1000)) * 100 : NaN;

  const sent = new Map<string, number>();
  for (let i = 0; i < WRITES; i++) {
    await sleep(50 + Math.random() * 250);
    const id = `w${i}`;
    sent.set(id, Date.now());
    await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } }));
  }
  await waitFor(() => readFileSync(out, 'utf8').split('\n').filter(Boolean).length >= WRITES + 1);
  const latencies = readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; at: number })
    .filter((s) => sent.has(s.id))
    .map((s) => s.at - sent.get(s.id)!)
    .sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  rows.push(`| ${interval} | ${pct(50)} | ${pct(99)} | ${latencies.at(-1)} | ${nodeIdlePct.toFixed(1)} | ${jvmIdlePct.toFixed(1)} |`);
  console.log(rows.at(-1));
  await mappings.stop();
  await lambda.stop();
}
client.destroy();
await dynamo.stop();

console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, ${new Date().toISOString()}`);
console.log('| poll interval (ms) | write→handler p50 (ms) | p99 (ms) | max (ms) | idle CPU, node (% of a core) | idle CPU, DynamoDB Local JVM (% of a core) |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);

function sleep(ms: number) {
  return new Promise((resume) => setTimeout(resume, ms));
}

async function waitFor(test: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

/** The JVM listening on DynamoDB Local's port: the java process whose command line names it. */
function findJvm(portText: string): number | undefined {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => arg.endsWith('java')) && cmdline.includes('-port') && cmdline.includes(portText)) return Number(pid);
    } catch {
      // A process that ended meanwhile.
    }
  }
  return undefined;
}

function jvmCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
