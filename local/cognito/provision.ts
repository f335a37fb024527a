import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserPoolModel } from '../assembly/model.ts';

/** The ids cognito-local gave the template's pools and clients, by logical id. */
export interface CognitoIds {
  pools: Record<string, string>;
  clients: Record<string, string>;
}

export interface SeedUser {
  username: string;
  password: string;
  groups?: string[];
  attributes?: Record<string, string>;
}

export function cognitoClient(endpoint: string, region: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/**
 * Creates the template's user pools, app clients and groups in cognito-local, reusing
 * those that exist by name, so ids (and tokens, and configured clients) survive restarts.
 */
export async function provisionUserPools(client: CognitoIdentityProviderClient, pools: UserPoolModel[], log: (line: string) => void): Promise<CognitoIds> {
  const ids: CognitoIds = { pools: {}, clients: {} };
  const existingPools = (await client.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? [];
  for (const pool of pools) {
    const poolName = String(pool.properties.UserPoolName ?? `${pool.stackName}-${pool.logicalId}`);
    let poolId = existingPools.find((p) => p.Name === poolName)?.Id;
    if (!poolId) {
      const policies = pool.properties.Policies as { PasswordPolicy?: Record<string, unknown> } | undefined;
      const created = await client.send(
        new CreateUserPoolCommand({
          PoolName: poolName,
          ...(policies?.PasswordPolicy && { Policies: { PasswordPolicy: policies.PasswordPolicy } }),
          ...(Array.isArray(pool.properties.UsernameAttributes) && { UsernameAttributes: pool.properties.UsernameAttributes as ('email' | 'phone_number')[] }),
        }),
      );
      poolId = created.UserPool!.Id!;
      log(`user pool ${poolName}: created ${poolId}`);
    }
    ids.pools[pool.logicalId] = poolId;

    const existingClients = (await client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserPoolClients ?? [];
    for (const appClient of pool.clients) {
      const clientName = String(appClient.properties.ClientName ?? appClient.logicalId);
      let clientId = existingClients.find((c) => c.ClientName === clientName)?.ClientId;
      if (!clientId) {
        const created = await client.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: clientName,
            ExplicitAuthFlows: (appClient.properties.ExplicitAuthFlows as ExplicitAuthFlowsType[] | undefined) ?? [],
          }),
        );
        clientId = created.UserPoolClient!.ClientId!;
      }
      ids.clients[appClient.logicalId] = clientId;
    }
    for (const group of pool.groups) {
      await ignoreExisting(() => client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group.name, ...(group.properties.Description !== undefined && { Description: String(group.properties.Description) }) })));
    }
  }
  return ids;
}

/** Creates users with permanent passwords and their groups; existing users keep theirs. */
export async function seedUsers(client: CognitoIdentityProviderClient, userPoolId: string, users: SeedUser[], log: (line: string) => void): Promise<void> {
  for (const user of users) {
    const exists = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: user.username })).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: user.username,
          MessageAction: 'SUPPRESS',
          TemporaryPassword: user.password,
          UserAttributes: Object.entries(user.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      await client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: user.username, Password: user.password, Permanent: true }));
      log(`user ${user.username} created in ${userPoolId}`);
    }
    for (const group of user.groups ?? []) {
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.username, GroupName: group }));
    }
  }
}

async function ignoreExisting(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if ((error as { name?: string }).name !== 'GroupExistsException') throw error;
  }
}
