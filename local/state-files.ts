import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedUser } from './cognito/provision.ts';
import type { LocalCredential } from './iam/credentials.ts';

/** API key values derive from this seed, so they survive restarts of a persistent runtime. */
export function loadSecretSeed(stateDir: string, persistent: boolean): string {
  if (!persistent) return randomBytes(16).toString('hex');
  const file = join(stateDir, 'secret-seed');
  if (!existsSync(file)) writeFileSync(file, randomBytes(16).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** `<stateDir>/credentials.json`: the seeded users and every role's local access key, for people and tools. */
export function writeCredentialsFile(stateDir: string, users: SeedUser[], credentials: LocalCredential[]): string {
  const path = join(stateDir, 'credentials.json');
  const content = {
    users: users.map(({ username, password, groups }) => ({ username, password, groups: groups ?? [] })),
    iam: credentials.map(({ name, accessKeyId, secretAccessKey, roleArn }) => ({ name, accessKeyId, secretAccessKey, role: roleArn })),
  };
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** `<stateDir>/amplify_outputs.json`, for the first API. */
export function writeOutputsFile(stateDir: string, outputs: Record<string, unknown> | undefined): string {
  const path = join(stateDir, 'amplify_outputs.json');
  if (outputs) writeFileSync(path, `${JSON.stringify(outputs, null, 2)}\n`);
  return path;
}
