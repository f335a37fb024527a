import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseRuntimeArgs, RUNTIME_USAGE } from '../../local/cli-args.ts';
import type { SeedUser } from '../../local/cognito/provision.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { onShutdown } from '../../local/shutdown.ts';
import { runtimeSummary } from '../../local/summary.ts';
import { createAppSyncClient } from '../appsync-client.ts';
import { demoEvent } from './demo-data.ts';
import { startDemoPublisher } from './publisher.ts';
import { seedDemo } from './seed.ts';

/**
 * `npm start`: the whole system locally, with the demo users and a demo feed. With
 * `--assembly <dir>` it runs that cloud assembly alone, without any demo.
 */
let parsed;
try {
  parsed = parseRuntimeArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (parsed.help) {
  console.log(`Starts Pricestream locally with a demo feed.\n\nUsage: npm start -- [options]\n\n${RUNTIME_USAGE}`);
  process.exit(0);
}

const log = (line: string) => console.log(`[local] ${line}`);
const withDemo = parsed.options.assemblyDir === undefined;
const { users } = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8')) as { users: SeedUser[] };

let runtime: LocalRuntime | undefined;
let stopPublisher: (() => Promise<void>) | undefined;
onShutdown(async () => {
  await stopPublisher?.();
  await runtime?.stop();
});

try {
  runtime = await startLocalRuntime({ ...parsed.options, ...(withDemo && { users }), log });
  if (withDemo) stopPublisher = await startDemo(runtime);
  console.log(`\n${runtimeSummary(runtime)}\n`);
  if (withDemo) {
    console.log(`demo: event ${demoEvent.id} with markets ${demoEvent.markets.map((m) => m.id).join(', ')}, repriced every second`);
    console.log(`  try: subscription { onPriceUpdate(eventId: "${demoEvent.id}") { marketId version selections { name price { decimal } } } }`);
  }
  console.log('\nready — Ctrl-C stops everything');
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  await runtime?.stop();
  process.exit(1);
}

async function startDemo(runtime: LocalRuntime): Promise<() => Promise<void>> {
  const marketsTable = runtime.model.tables.find((t) => t.logicalId.startsWith('MarketsTable'));
  const publisherKey = runtime.credentials.find((c) => c.name.startsWith('PricePublisherRole'));
  const api = runtime.apis[0];
  if (!marketsTable || !publisherKey || !api) throw new Error('the assembly lacks the markets table, the price publisher role or the API that the demo needs');
  const dynamo = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await seedDemo(dynamo, marketsTable.tableName);
  const client = createAppSyncClient({
    endpoint: api.graphqlUrl,
    region: runtime.region,
    auth: { type: 'AWS_IAM', credentials: { accessKeyId: publisherKey.accessKeyId, secretAccessKey: publisherKey.secretAccessKey } },
  });
  const publisher = startDemoPublisher({ client, dynamo, marketsTableName: marketsTable.tableName, intervalMs: 1000, log: (line: string) => console.log(`[demo] ${line}`) });
  return async () => {
    await publisher.stop();
    dynamo.destroy();
  };
}
