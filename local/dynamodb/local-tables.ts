import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableModel } from '../assembly/model.ts';
import { startDynamoDbLocal } from './server.ts';
import { ensureTables } from './tables.ts';

export interface LocalTables {
  endpoint: string;
  client: DynamoDBClient;
  /** Data on disk (a persistent run), where destructive key changes are refused. */
  dataDir: string | undefined;
  stop(): Promise<void>;
}

/** DynamoDB Local with the model's tables: created when missing, kept (data and all) when present. */
export async function startLocalTables(options: { tables: TableModel[]; region: string; dataDir: string | undefined; log(line: string): void }): Promise<LocalTables> {
  const { dataDir, log } = options;
  const dynamo = await startDynamoDbLocal({ log, ...(dataDir && { dataDir }) });
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const stop = async () => {
    client.destroy();
    await dynamo.stop();
  };
  try {
    await ensureTables(client, options.tables, log, { ...(dataDir && { dataDir }) });
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint: dynamo.endpoint, client, dataDir, stop };
}
