/**
 * Pricestream's local runtime serving the benchmark app (argv[2]: its cloud assembly), in a
 * process of its own; seeds the markets table and reports where it listens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalRuntime } from '../../local/runtime.ts';
import { EXPECTED, MARKET_IDS, OPERATIONS } from './shape.ts';
import { tellParent, type ServerReady } from './protocol.ts';

const assemblyDir = process.argv[2];
if (!assemblyDir) throw new Error('usage: serve-runtime.ts <assembly dir>');
// bench/isolation.ts shortens the keep-alive interval to see whether keep-alives stay on time.
const keepAliveMs = process.env.BENCH_KEEPALIVE_MS ? Number(process.env.BENCH_KEEPALIVE_MS) : undefined;
const runtime = await startLocalRuntime({
  assemblyDir,
  stateDir: mkdtempSync(join(tmpdir(), 'bench-request-path-')),
  persistent: false,
  port: 0,
  log: () => {},
  ...(keepAliveMs && { realtime: { keepAliveMs } }),
});
const api = runtime.apis[0]!;
const tableName = [...api.model.dataSources.values()].find((d) => d.dynamodb)!.dynamodb!.tableName;
await seedMarkets(new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), tableName);

// The runtime compiles and type-checks an API's resolvers on its first request. On a slow VM
// that outlasted the load generator's warm-up and was counted in the first measured run.
for (const operation of ['ping', 'market', 'pipeline', 'tick', 'publish'] as const) {
  const answer = await (await fetch(api.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': api.model.apiKeys[0]!.value }, body: OPERATIONS[operation](0) })).text();
  if (!answer.includes(EXPECTED[operation])) throw new Error(`warming up: ${operation} answered ${answer.slice(0, 300)}`);
}

tellParent({ type: 'ready', graphqlUrl: api.graphqlUrl, realtimeUrl: api.realtimeUrl, apiKey: api.model.apiKeys[0]!.value } satisfies ServerReady);
tellParent({ type: 'dynamodb', endpoint: runtime.dynamodbEndpoint, region: runtime.region, tableName: tableName });
process.on('disconnect', () => void runtime.stop().then(() => process.exit(0)));

/** One item per market id, the shape `market(id)` reads. */
export async function seedMarkets(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < MARKET_IDS.length; i += 25) {
    const items = MARKET_IDS.slice(i, i + 25).map((id, j) => ({
      PutRequest: { Item: { id: { S: id }, name: { S: `Market ${i + j}` }, version: { N: '1' }, price: { N: '2.5' } } },
    }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: items } }));
  }
}
