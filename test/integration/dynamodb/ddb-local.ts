import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import type { DynamoDbLocal } from '../../../local/dynamodb/server.ts';
import { leaseDynamoDbLocal } from '../../support/dynamodb-pool.ts';

export function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}

/** An in-memory DynamoDB Local of the run's pool for the test file that calls this, given back (wiped) after it. */
export function useDynamoDbLocal(): { readonly server: DynamoDbLocal; readonly client: DynamoDBClient } {
  const state: { server?: DynamoDbLocal; client?: DynamoDBClient } = {};
  beforeAll(async () => {
    state.server = await leaseDynamoDbLocal();
    state.client = clientFor(state.server.endpoint);
  });
  afterAll(async () => {
    state.client?.destroy();
    await state.server?.stop();
  });
  return {
    get server() {
      return state.server!;
    },
    get client() {
      return state.client!;
    },
  };
}

export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, withinMs = 30_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
