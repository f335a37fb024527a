import type { CloudAssembly } from '../assembly/cloud-assembly.ts';
import { buildAppModel, type AppModel, type LocalEnvironment } from '../assembly/model.ts';
import { cognitoClient, provisionUserPools, seedUsers, type CognitoIds, type SeedUser } from './provision.ts';
import type { CognitoLocal } from './server.ts';

/**
 * The model with the ids the local Cognito gave its pools and clients (created, or reused by
 * name so ids and tokens survive restarts and reloads), the users seeded into every pool.
 */
export async function modelWithUserPools(
  assembly: CloudAssembly,
  environment: LocalEnvironment,
  cognito: CognitoLocal,
  users: SeedUser[],
  log: (line: string) => void,
): Promise<{ model: AppModel; ids: CognitoIds }> {
  const client = cognitoClient(cognito.endpoint, environment.region);
  try {
    const ids = await provisionUserPools(client, buildAppModel(assembly, environment).userPools, log);
    const model = buildAppModel(assembly, { ...environment, cognito: { issuerBase: cognito.issuerBase, ...ids } });
    for (const pool of model.userPools) await seedUsers(client, pool.userPoolId, users, log);
    return { model, ids };
  } finally {
    client.destroy();
  }
}
