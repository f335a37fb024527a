import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AppModel } from './assembly/model.ts';
import { startTtlExpiry } from './dynamodb/ttl.ts';
import { startEventSourceMappings } from './event-sources/index.ts';
import type { LambdaService } from './lambda/index.ts';

export interface Streams {
  stop(): Promise<void>;
}

/**
 * TTL expiry of the model's tables and its stream event source mappings, which see the
 * expiry's deletions as DynamoDB writes them (`dynamodb/ttl.ts`). Started after the APIs:
 * the functions the mappings invoke may call them.
 */
export async function startStreams(options: {
  model: AppModel;
  dynamodb: DynamoDBClient;
  dynamodbEndpoint: string;
  lambda: LambdaService;
  stateDir: string;
  persistent: boolean;
  log(line: string): void;
}): Promise<Streams> {
  const { model, log } = options;
  const ttl = startTtlExpiry({ client: options.dynamodb, tables: model.tables, log });
  try {
    const mappings = await startEventSourceMappings({
      mappings: model.eventSourceMappings,
      dynamodbEndpoint: options.dynamodbEndpoint,
      region: model.region,
      lambda: options.lambda,
      stateDir: options.stateDir,
      persistent: options.persistent,
      log,
      normalizeRecord: (tableName, record) => ttl.normalize(tableName, record),
    });
    return {
      async stop() {
        await mappings.stop();
        await ttl.stop();
      },
    };
  } catch (error) {
    await ttl.stop();
    throw error;
  }
}

/** Whether a reload must restart the streams: a mapping or a table's stream or TTL changed. */
export function streamsChanged(before: AppModel, after: AppModel): boolean {
  const shape = (model: AppModel) =>
    JSON.stringify({
      mappings: model.eventSourceMappings,
      tables: model.tables.map((t) => [t.tableName, t.streamViewType, t.timeToLiveAttribute]),
    });
  return shape(before) !== shape(after);
}
