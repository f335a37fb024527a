import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableModel } from '../assembly/model.ts';
import type { Supervisor } from '../supervise/child-process.ts';
import { superviseDynamoDb } from '../supervise/services.ts';
import { startDynamoDbLocal, type DynamoDbLocal, type DynamoDbLocalOptions } from './server.ts';
import { ensureTables } from './tables.ts';
import { createDynamoDbWire, type DynamoDbWire } from './wire-client.ts';

export interface LocalTables {
  endpoint: string;
  client: DynamoDBClient;
  /** The data sources' lean client (wire-client.ts), on the same endpoint. */
  wire: DynamoDbWire;
  /** Data on disk (a persistent run), where destructive key changes are refused. */
  dataDir: string | undefined;
  /** Restarts the JVM when it dies (local/supervise/). */
  supervisor: Supervisor<DynamoDbLocal>;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local with the model's tables: created when missing, kept (data and all) when
 * present; restarted on its port when the JVM dies, its tables ensured again, then
 * `afterReprovision` (e.g. stream pollers whose streams went with in-memory data).
 */
export async function startLocalTables(options: {
  tables: TableModel[];
  region: string;
  dataDir: string | undefined;
  afterReprovision?(lostData: boolean): Promise<void>;
  /** How the first JVM is started; default startDynamoDbLocal (server.ts). */
  startDynamoDb?(options: DynamoDbLocalOptions): Promise<DynamoDbLocal>;
  log(line: string): void;
}): Promise<LocalTables> {
  const { dataDir, log, startDynamoDb = startDynamoDbLocal } = options;
  const dynamo = await startDynamoDb({ log, ...(dataDir && { dataDir }) });
  // Bounded, so that a request never hangs on a JVM that died or is restarting.
  const requestHandler = { connectionTimeout: 2_000, requestTimeout: 10_000 };
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler });
  const wire = createDynamoDbWire({ endpoint: dynamo.endpoint, region: options.region, connectTimeoutMs: requestHandler.connectionTimeout, requestTimeoutMs: requestHandler.requestTimeout });
  const supervisor = superviseDynamoDb({
    first: dynamo,
    client,
    tables: options.tables,
    log,
    ...(dataDir && { dataDir }),
    ...(options.afterReprovision && { afterReprovision: options.afterReprovision }),
  });
  const stop = async () => {
    client.destroy();
    wire.destroy();
    await supervisor.stop();
  };
  try {
    await ensureTables(client, options.tables, log, { ...(dataDir && { dataDir }) });
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint: dynamo.endpoint, client, wire, dataDir, supervisor, stop };
}
