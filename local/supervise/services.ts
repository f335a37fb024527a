import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { UserPoolModel, TableModel } from '../assembly/model.ts';
import { cognitoClient, provisionUserPools, seedUsers, type CognitoIds, type SeedUser } from '../cognito/provision.ts';
import { startCognitoLocal, type CognitoLocal } from '../cognito/server.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dynamodb/server.ts';
import { ensureTables } from '../dynamodb/tables.ts';
import { superviseChild, type Supervisor } from './child-process.ts';

export interface DynamoDbSupervision {
  first: DynamoDbLocal;
  /** The persistent database folder; absent = in memory. */
  dataDir?: string;
  /** The runtime's client of it (same endpoint before and after a restart). */
  client: DynamoDBClient;
  tables: TableModel[];
  /** After the tables exist again, e.g. restarting stream pollers whose streams were lost with the data. */
  afterReprovision?(lostData: boolean): Promise<void>;
  log(line: string): void;
}

/** DynamoDB Local's JVM, restarted on its port with its database folder, its tables ensured again. */
export function superviseDynamoDb(options: DynamoDbSupervision): Supervisor<DynamoDbLocal> {
  const { first, dataDir, log } = options;
  return superviseChild({
    name: 'dynamodb-local',
    first,
    restart: () => startDynamoDbLocal({ port: first.port, log, ...(dataDir && { dataDir }) }),
    dataNote: dataDir
      ? `its data in ${dataDir} is kept (everything it had committed to disk)`
      : 'it ran in memory (--in-memory), so every table and item it held is gone; the tables of the assembly are created again, empty',
    reprovision: async () => {
      await ensureTables(options.client, options.tables, log, { ...(dataDir && { dataDir }) });
      await options.afterReprovision?.(!dataDir);
      return `${options.tables.length} table(s) in place`;
    },
    log,
  });
}

export interface CognitoSupervision {
  first: CognitoLocal;
  /** Its data folder (kept across a restart, in-memory runs included: a temporary folder). */
  dir: string;
  region: string;
  pools: UserPoolModel[];
  /** The ids the first start gave the pools and clients: tokens and configured clients name them. */
  ids: CognitoIds;
  users: SeedUser[];
  log(line: string): void;
}

/** cognito-local, restarted on its port (its tokens' issuer) with its data folder, pools and users ensured again. */
export function superviseCognito(options: CognitoSupervision): Supervisor<CognitoLocal> {
  const { first, dir, log } = options;
  return superviseChild({
    name: 'cognito-local',
    first,
    restart: () => startCognitoLocal({ dir, port: first.port, log }),
    dataNote: `its users and pools in ${dir} are kept`,
    reprovision: async (cognito) => {
      const client = cognitoClient(cognito.endpoint, options.region);
      try {
        const ids = await provisionUserPools(client, options.pools, log);
        const changed = Object.entries(options.ids.pools).filter(([logicalId, id]) => ids.pools[logicalId] !== id);
        if (changed.length > 0) {
          throw new Error(`user pool ids changed across the restart (${changed.map(([logicalId]) => logicalId).join(', ')}): tokens and configured clients would no longer match`);
        }
        for (const poolId of Object.values(ids.pools)) await seedUsers(client, poolId, options.users, log);
        return `${options.pools.length} user pool(s) in place`;
      } finally {
        client.destroy();
      }
    },
    log,
  });
}
